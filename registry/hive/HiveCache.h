// The three hives of a prefix in memory, kept in step with their files.
//
// Change detection: every regbridge writer bumps its hive's generation counter in the mapped lock file after the
// rename (StoreLock.h), so a read sees another process's write at once, for the price of one atomic load per hive.
// Editors that are not regbridge (Wine itself, a text editor) bump nothing: their changes are found by a stat() of
// the files at most every kForeignCheckInterval, so a read may serve the previous version for up to that long.
// Writers always stat under the lock before changing a hive, so no update is lost. Without a lock file (none
// written yet, or a read-only prefix) there are no counters: the files are stat()ed as for a foreign edit, at most
// every kForeignCheckInterval, and that check also looks for a lock file that a writer has created since — so the
// very first regbridge write to a prefix is seen by other processes within that window, later ones at once. Only a
// write creates the lock file: a user who merely reads a Wine prefix leaves nothing behind in it.
//
// Each hive stands alone: a file that cannot be read (a directory, a FIFO, a symlink loop, no permission) fails the
// calls that need that hive, and only those.
//
// A hive is written back only if saving its tree gives back the file exactly (parse issues aside, which refuse the
// write at once): checked at the first write to a tree, when the whole tree is formatted anyway (checkRoundTrip).
//
// Locking: readers hold treeLock_ shared (TreeLock.h: no atomic read-modify-write for them, a process-wide barrier
// for the writer). Only one thread at a time changes or reloads trees (writerMutex_); it swaps them in under
// treeLock_ exclusive, and parses and serialises outside it, so reads go on meanwhile. One consequence: a reader in
// this process may see a change while its save is still under way (a few hundred µs before it is acknowledged). If
// that save fails, the hive is reloaded from disk and the change disappears again.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/Backend.h"
#include "registry/hive/HiveFile.h"
#include "registry/hive/HiveFormat.h"
#include "registry/hive/LinkResolver.h"
#include "registry/hive/PrefixLayout.h"
#include "registry/hive/StoreLock.h"
#include "registry/hive/TreeLock.h"
#include "registry/hive/WineServerProbe.h"

namespace regbridge::hive {

inline constexpr std::chrono::milliseconds kForeignCheckInterval{50};

// Thrown by HiveCache::root/userSid when that file is not in memory yet; the cache loads it and retries.
struct NeedsLoad {
  HiveFileId file;
};
// Thrown by WriteContext::requireWritable when that tree has not been compared with its file yet; the batch does
// that outside the tree lock and runs the change again.
struct NeedsVerify {
  HiveFileId file;
};

class HiveCache;

// What one change of a write batch may do besides reading.
class WriteContext {
public:
  // The trees, each checked against its file (a stat) the first time the batch reaches it: a change always applies
  // to the newest version of what it reads, and a batch stats only the hives its changes reach.
  const HiveRoots& roots() const { return roots_; }
  std::uint64_t now() const { return now_; }
  // Throws StoreCorrupt when the file did not parse, or would not be saved back as it is: such a file is never
  // written back.
  void requireWritable(HiveFileId file) const;
  // The change altered this file's tree: it is saved at the end of the batch.
  void markChanged(HiveFileId file);

private:
  friend class HiveCache;
  // What a batch learnt of its files: which it has compared with the disk, and the lstat it took of each.
  struct Checks {
    unsigned compared = 0;
    std::array<PathStatus, kHiveFileCount> status;
  };
  class FreshRoots final : public HiveRoots {
  public:
    FreshRoots(HiveCache& cache, Checks& checks) : cache_(cache), checks_(checks) {}
    HiveKey& root(HiveFileId file) const override;
    std::u16string_view userSid() const override;

  private:
    void ensureFresh(HiveFileId file) const;
    HiveCache& cache_;
    Checks& checks_;
  };
  WriteContext(HiveCache& cache, std::uint64_t now, Checks& checks) : cache_(cache), roots_(cache, checks), now_(now) {}
  HiveCache& cache_;
  FreshRoots roots_;
  std::uint64_t now_;
  unsigned changed_ = 0;
};

class HiveCache final : public HiveRoots {
public:
  explicit HiveCache(std::string prefix);
  ~HiveCache();

  const std::string& prefix() const { return prefix_; }
  std::string pathOf(HiveFileId file) const { return prefix_ + "/" + std::string(hiveFileName(file)); }

  // HiveRoots; call only inside read() or a write batch.
  HiveKey& root(HiveFileId file) const override;
  std::u16string_view userSid() const override;

  // Runs `body` under the shared lock, on hives reloaded first if their files changed.
  template <class F> auto read(F&& body) -> decltype(body()) {
    for (int attempt = 0;; ++attempt) {
      std::optional<HiveFileId> load;
      {
        TreeLock::ReadGuard lock(treeLock_);
        // A file rewritten faster than we can reload it must not starve the reader: serve what we have then.
        if (attempt >= 4 || isFresh()) {
          try {
            return body();
          } catch (const NeedsLoad& needs) {
            load = needs.file;
          }
        }
      }
      if (blockingForbidden()) throw WouldBlock{};
      refresh(load);
    }
  }

  // One write batch. The constructor takes this process's writer slot and the store lock, checks that no
  // wineserver owns the prefix and reloads changed files; it throws (AccessDenied, StoreLocked, Io) when the store
  // cannot be written at all.
  class WriteBatch {
  public:
    explicit WriteBatch(HiveCache& cache);
    ~WriteBatch();
    WriteBatch(const WriteBatch&) = delete;
    WriteBatch& operator=(const WriteBatch&) = delete;

    // Runs one change under the exclusive lock. Returns the files it changed (bit i: HiveFileId i).
    unsigned apply(const std::function<void(WriteContext&)>& change);
    // Saves every changed file. A file that could not be saved is reloaded from disk, so memory never holds what
    // the disk does not; its error is returned in its slot.
    std::array<std::exception_ptr, kHiveFileCount> save();

  private:
    HiveCache& cache_;
    std::unique_lock<std::mutex> writer_;
    std::optional<StoreLock::Guard> guard_;
    unsigned changed_ = 0;
    WriteContext::Checks checks_;                // what WriteContext::roots found of the files
    const HiveCache* previousWriting_ = nullptr; // the thread's open batch before this one (of another store)
  };

  // Backend::servingVersion: bumped, under the exclusive tree lock, whenever a tree is swapped or changed.
  std::uint64_t servingVersion() {
    return read([&] { return version_.load(std::memory_order_relaxed); });
  }

  // The serving version for a caller inside read(): the trees it reads are those of this version. Every change to a
  // tree and every swap of one must bump it under the exclusive lock: the store's PathIndex keeps pointers to keys
  // and values found under a version, and uses them for as long as it is current.
  std::uint64_t versionInRead() const { return version_.load(std::memory_order_relaxed); }

  // fsync of the files this store wrote since the last flush, and of the prefix folder.
  void flush();

private:
  friend class WriteContext;

  struct Slot {
    // The parse result is kept whole: a Hive cannot be moved out of it (its keys point at their parents).
    std::unique_ptr<ParseResult> parsed; // null: not read yet
    FileIdentity identity;               // of the file the tree came from; exists = false: missing, the tree is empty
    std::uint64_t generation = 0;
    std::optional<std::string> corrupt; // "<file>:<line>: <message>" when the file did not parse
    bool verified = false; // the tree saves back to the file exactly (or came from no file, or from our own save)
    std::u16string sid;    // user.reg: the SID its header names
  };

  bool isFresh() const;
  void refresh(std::optional<HiveFileId> load);
  bool changedOnDisk(HiveFileId file) const;
  void load(HiveFileId file);
  // Loads a file some other caller needs and that we noticed changed: when it cannot be read, the tree is dropped
  // (the next call that needs it reports why) instead of failing the caller, who did not ask for it.
  void reloadQuietly(HiveFileId file);
  void forget(HiveFileId file);
  void verify(HiveFileId file);
  void requirePrefixFolder() const;
  void attachLock(bool forWriting);
  std::string archForNewFile(HiveFileId file) const;

  std::string prefix_;
  std::unique_ptr<StoreLock> lock_; // null: none to be had (yet); changed only under treeLock_ exclusive
  std::string lockProblem_;
  WineServerProbe wineServer_; // under writerMutex_
  std::atomic<std::uint64_t> version_{nextServingVersion()};
  std::array<Slot, kHiveFileCount> slots_;

  mutable TreeLock treeLock_;
  std::mutex writerMutex_;
  mutable std::atomic<std::int64_t> nextForeignCheckNs_{0};
  bool leftoversRemoved_ = false;            // under writerMutex_
  unsigned writtenSinceFlush_ = 0;           // under writerMutex_
  std::vector<std::string_view> savePieces_; // under writerMutex_; kept for its capacity
};

} // namespace regbridge::hive
