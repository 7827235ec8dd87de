#include "registry/hive/HiveCache.h"
#include "registry/hive/HeapPrefault.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "registry/Error.h"
#include "registry/hive/IoError.h"
#include "registry/hive/Platform.h"
#include "registry/hive/TreeEdits.h"
#include "registry/hive/WineServerProbe.h"

namespace regbridge::hive {

namespace {

constexpr unsigned bitOf(HiveFileId file) { return 1u << indexOf(file); }

// Hive files up to this size keep their loaded text in the tree (Hive::savedText), adopted right after the parse
// while the tree is still in cache: their first save's check (verify) then needs no second read of the file, whose
// bytes would land on fresh heap pages (their first touch costs more here than the check), nor a walk of a tree gone
// cold. A user.reg is some 10-300 KB; a system.reg of megabytes would add its size to the memory a store holds from
// its load, for a check that only its first save makes.
constexpr std::int64_t kKeptTextBytes = 512 << 10;

// The cache whose write batch this thread holds open, if any (see refresh).
thread_local const HiveCache* writingCache = nullptr;

// The coarse clock is a few ns through the vDSO and its ~4 ms resolution is plenty for a 50 ms window.
std::int64_t monotonicNs() { return coarseMonotonicNs(); }

bool folderExists(const std::string& path) { return pathKind(path) == PathKind::Folder; }

} // namespace

// ---- WriteContext ----------------------------------------------------------------------------------------------

HiveKey& WriteContext::FreshRoots::root(HiveFileId file) const {
  ensureFresh(file);
  return cache_.root(file);
}

std::u16string_view WriteContext::FreshRoots::userSid() const {
  ensureFresh(HiveFileId::User);
  return cache_.userSid();
}

// A foreign editor (Wine, a text editor) bumps no counter: the batch stats the file, under the store lock, before
// its first use. A stale tree makes the change stop (NeedsLoad) before it has touched anything; it runs again on the
// file reloaded.
void WriteContext::FreshRoots::ensureFresh(HiveFileId file) const {
  const unsigned bit = bitOf(file);
  if (checks_.compared & bit) return;
  const auto& slot = cache_.slots_[indexOf(file)];
  if (!slot.parsed) return; // root() loads it, fresh
  checks_.compared |= bit;
  const std::string path = cache_.pathOf(file);
  PathStatus& status = checks_.status[indexOf(file)];
  status = lstatPath(path);
  if (identityAt(path, status) != slot.identity) throw NeedsLoad{file};
}

void WriteContext::requireWritable(HiveFileId file) const {
  const auto& slot = cache_.slots_[indexOf(file)];
  if (slot.corrupt)
    throw RegistryError(ErrorCode::StoreCorrupt,
                        *slot.corrupt + " (the file is not as Wine writes it, so regbridge will not write it back: "
                                        "that would change or lose what it holds; repair it, or remove it to start "
                                        "that hive afresh)");
  if (!slot.verified) throw NeedsVerify{file};
}

void WriteContext::markChanged(HiveFileId file) { changed_ |= bitOf(file); }

// ---- HiveCache -------------------------------------------------------------------------------------------------

HiveCache::HiveCache(std::string prefix) : prefix_(std::move(prefix)), wineServer_(prefix_) {
  // Opening creates nothing: a lock file already there is used, else the first write makes it.
  if (folderExists(prefix_)) attachLock(false);
}

HiveCache::~HiveCache() = default;

HiveKey& HiveCache::root(HiveFileId file) const {
  const Slot& slot = slots_[indexOf(file)];
  if (!slot.parsed) throw NeedsLoad{file};
  return slot.parsed->hive.root;
}

std::u16string_view HiveCache::userSid() const {
  const Slot& slot = slots_[indexOf(HiveFileId::User)];
  if (!slot.parsed) throw NeedsLoad{HiveFileId::User};
  return slot.sid;
}

bool HiveCache::isFresh() const {
  if (lock_) {
    for (auto file : kAllHiveFiles) {
      const Slot& slot = slots_[indexOf(file)];
      if (slot.parsed && lock_->generation(file) != slot.generation) return false;
    }
    std::int64_t now = monotonicNs();
    std::int64_t due = nextForeignCheckNs_.load(std::memory_order_relaxed);
    // The stats are due but this thread must not block: not fresh, and the window stays due for the worker.
    if (now >= due && blockingForbidden()) return false;
    // One reader per window pays for the stats; the others go on.
    if (now < due || !nextForeignCheckNs_.compare_exchange_strong(
                         due, now + std::chrono::nanoseconds(kForeignCheckInterval).count(), std::memory_order_relaxed))
      return true;
  } else {
    // No counters to trust (nobody has written here through regbridge yet): the files are checked as for a foreign
    // edit, once per window, and that check also looks for a lock file that a writer has created since. A stat per
    // read would cost ~20x a read from memory and send every async read to a worker thread.
    std::int64_t now = monotonicNs();
    std::int64_t due = nextForeignCheckNs_.load(std::memory_order_relaxed);
    if (now < due) return true;
    if (blockingForbidden()) return false;
    if (!nextForeignCheckNs_.compare_exchange_strong(due, now + std::chrono::nanoseconds(kForeignCheckInterval).count(),
                                                     std::memory_order_relaxed))
      return true;
    if (folderExists(prefix_)) return false;
  }
  for (auto file : kAllHiveFiles) {
    const Slot& slot = slots_[indexOf(file)];
    try {
      if (slot.parsed && statIdentity(pathOf(file)) != slot.identity) return false;
    } catch (const RegistryError&) {
      return false; // unreadable now (a symlink loop, no permission): refresh drops that tree
    }
  }
  return true;
}

void HiveCache::refresh(std::optional<HiveFileId> needed) {
  if (writingCache == this) {
    // A read by the thread holding the writer slot (a read inside a grouped run of writes): it holds writerMutex_
    // already, and its trees may hold changes not saved yet, which a reload would lose. Only a tree not loaded at
    // all is read; the others are served as they are (the write batch brought them up to date when it began).
    if (needed && !slots_[indexOf(*needed)].parsed) load(*needed);
    return;
  }
  std::lock_guard writer(writerMutex_);
  if (!lock_) attachLock(false);
  for (auto file : kAllHiveFiles) {
    const Slot& slot = slots_[indexOf(file)];
    if (!slot.parsed) {
      if (needed == file) load(file); // the caller needs it: its error is the caller's
    } else if (needed == file) {
      if (changedOnDisk(file)) load(file);
    } else {
      reloadQuietly(file);
    }
  }
}

void HiveCache::reloadQuietly(HiveFileId file) {
  try {
    if (changedOnDisk(file)) load(file);
  } catch (const RegistryError&) {
    forget(file);
  }
}

void HiveCache::forget(HiveFileId file) {
  Slot empty;
  std::unique_lock exclusive(treeLock_);
  std::swap(slots_[indexOf(file)], empty);
  version_.store(nextServingVersion(), std::memory_order_relaxed);
}

bool HiveCache::changedOnDisk(HiveFileId file) const {
  const Slot& slot = slots_[indexOf(file)];
  if (lock_ && lock_->generation(file) != slot.generation) return true;
  return statIdentity(pathOf(file)) != slot.identity;
}

void HiveCache::requirePrefixFolder() const {
  if (pathKind(prefix_) == PathKind::Other)
    throw RegistryError(ErrorCode::Io,
                        "the prefix " + prefix_ +
                            " is not a directory: the store needs a folder (a Wine prefix, or a new folder)");
}

// Saving the tree must give back the file as it is: compared once, at the first write to a tree read from a file.
// Only the keys the parser did not find exactly as Wine writes them are formatted for it (and that work is kept for
// the saves); the others are compared by where they lie.
void HiveCache::verify(HiveFileId file) {
  Slot& slot = slots_[indexOf(file)];
  const std::string path = pathOf(file);
  const Hive& hive = slot.parsed->hive;
  const HiveKey& root = hive.root;
  // A file with a header and no key at all (made by hand) holds nothing a save could lose: saving adds Wine's root
  // key line to it, and that is all.
  const bool holdsNothing = root.subkeys().empty() && root.values().empty() && !root.className() && !root.isLink();
  std::optional<ParseIssue> issue;
  // Until its first save, a tree has a savedText only when its load kept the file's text (kKeptTextBytes).
  if (hive.savedText && statIdentity(path) == slot.identity) {
    issue = checkRoundTrip(hive, std::string_view(*hive.savedText));
  } else {
    auto content = readWholeFile(path);
    if (!content || content->identity != slot.identity) {
      load(file); // changed since it was read: compare the new one
      return;
    }
    // The tree keeps the text: the keys the parser found as Wine writes them are saved from it, not formatted again.
    issue = checkRoundTrip(hive, std::move(content->text));
  }
  if (issue && !holdsNothing) slot.corrupt = path + ":" + std::to_string(issue->line) + ": " + issue->message;
  slot.verified = true;
}

void HiveCache::load(HiveFileId file) {
  const std::string path = pathOf(file);
  requirePrefixFolder();
  Slot fresh;
  // The counter before the file: a write landing in between makes us reload once more, never miss it.
  fresh.generation = lock_ ? lock_->generation(file) : 0;
  // The text and the tree take 3.6-4.1 times the file's size (a real and the generated system.reg); what goes past
  // 4x still lands on huge pages (see prefaultHeap). What the tree leaves of the block, and the text once parsed,
  // are handed back after.
  // A hive small enough to keep its text is not worth it: its tree fills part of one huge page, and handing back the
  // rest splits that page into 4 KiB ones, the first touch of each of which then costs a fault in the hypervisor's
  // page tables again, whether by the first save's walk of the tree or by the kernel's writev of the kept text. For
  // the generated 264 KB user.reg, in a fresh process, that made the first write 1.8-2.5 ms instead of 1.0-1.35
  // (the load took 4.2-4.8 ms either way).
  const std::int64_t size = statIdentity(path).size;
  const bool prefaulted = size > kKeptTextBytes;
  if (prefaulted) prefaultHeap(4 * std::size_t(size));
  if (auto content = readWholeFile(path)) {
    fresh.identity = content->identity;
    fresh.parsed.reset(new ParseResult(parseHive(content->text)));
    if (!fresh.parsed->issues.empty()) {
      const auto& issue = fresh.parsed->issues.front();
      fresh.corrupt = path + ":" + std::to_string(issue.line) + ": " + issue.message;
    }
    if (size <= kKeptTextBytes && !fresh.corrupt && fresh.parsed->hive.parsedSize == content->text.size()) {
      // The buffer the file was read into, not a copy: the first save hands these pages to the kernel (writev). On the
      // virtual machines this is measured on, the kernel's first access to a page that only the CPU has written costs
      // ~5 us (a copy made that writev 350-600 us instead of 50-90 for a 270 KB user.reg); the read() that filled
      // this buffer was such an access already.
      adoptParsedText(fresh.parsed->hive, std::move(content->text));
    }
    if (prefaulted) releaseUnusedHeap(std::move(content->text));
  } else {
    // A missing file reads as an empty hive; it is created, with Wine's header, by the first write to it.
    fresh.parsed.reset(new ParseResult{makeEmptyHive(relativeToFor(file, kDefaultUserSid), archForNewFile(file)), {}});
    fresh.verified = true;
  }
  if (file == HiveFileId::User) fresh.sid = sidFromRelativeTo(fresh.parsed->hive.relativeTo);
  {
    std::unique_lock exclusive(treeLock_);
    std::swap(slots_[indexOf(file)], fresh);
    version_.store(nextServingVersion(), std::memory_order_relaxed);
  }
  // The old tree is freed here, after readers are let back in.
}

void HiveCache::attachLock(bool forWriting) {
  if (!folderExists(prefix_)) {
    if (!forWriting) return;
    requirePrefixFolder();
    // The first write creates the prefix folder (0777 less the umask, as mkdir -p).
    std::error_code ec;
    std::filesystem::create_directories(prefix_, ec);
    if (ec) throwSystemError(ec.value(), "cannot create the prefix folder " + prefix_);
  }
  std::string why;
  auto lock = StoreLock::open(prefix_, forWriting, why);
  if (!lock) {
    lockProblem_ = why;
    return;
  }
  std::unique_lock exclusive(treeLock_);
  lock_ = std::move(lock);
}

std::string HiveCache::archForNewFile(HiveFileId file) const {
  // Wine refuses a file whose `#arch` differs from the others'.
  for (auto other : kAllHiveFiles) {
    if (other == file) continue;
    if (std::string arch = peekArch(pathOf(other)); !arch.empty()) return arch;
  }
  return "win64";
}

void HiveCache::flush() {
  std::lock_guard writer(writerMutex_);
  for (auto file : kAllHiveFiles)
    if (writtenSinceFlush_ & bitOf(file)) syncFile(pathOf(file));
  if (folderExists(prefix_)) syncFolder(prefix_);
  writtenSinceFlush_ = 0;
}

// ---- WriteBatch ------------------------------------------------------------------------------------------------

HiveCache::WriteBatch::WriteBatch(HiveCache& cache) : cache_(cache), writer_(cache.writerMutex_) {
  if (!cache_.lock_ || cache_.lock_->access() != StoreLock::Access::ReadWrite) {
    cache_.attachLock(true);
    if (!cache_.lock_ || cache_.lock_->access() != StoreLock::Access::ReadWrite)
      throw RegistryError(ErrorCode::AccessDenied,
                          "cannot write to the store in " + cache_.prefix_ + ": " +
                              (cache_.lockProblem_.empty() ? "its lock file is read-only" : cache_.lockProblem_));
  }
  guard_.emplace(cache_.lock_->lockExclusive());
  if (auto server = cache_.wineServer_.find())
    throw RegistryError(ErrorCode::StoreLocked,
                        "a wineserver (pid " + std::to_string(server->pid) + ") is running for prefix " +
                            cache_.prefix_ +
                            "; writes would be overwritten when it saves the registry. Stop it first "
                            "(WINEPREFIX=" +
                            cache_.prefix_ + " wineserver -k) or write through wine (wine reg add)");
  if (!cache_.leftoversRemoved_) {
    removeLeftoverTemporaryFiles(cache_.prefix_);
    cache_.leftoversRemoved_ = true;
  }
  // Under the lock no other regbridge writer can move the files: bring every tree another one rewrote up to date
  // (the counters cost no system call), so the change applies to the newest version and no update is lost. Edits
  // by others are found by the stat of a file when a change first reaches it (WriteContext::roots).
  for (auto file : kAllHiveFiles) {
    const Slot& slot = cache_.slots_[indexOf(file)];
    if (slot.parsed && cache_.lock_->generation(file) != slot.generation) cache_.reloadQuietly(file);
  }
  previousWriting_ = writingCache;
  writingCache = &cache_;
}

HiveCache::WriteBatch::~WriteBatch() { writingCache = previousWriting_; }

unsigned HiveCache::WriteBatch::apply(const std::function<void(WriteContext&)>& change) {
  std::optional<HiveFileId> toVerify;
  while (true) {
    std::optional<HiveFileId> needed;
    {
      std::unique_lock exclusive(cache_.treeLock_);
      // Even a change that fails part-way may have touched a tree: results computed before it are stale now.
      cache_.version_.store(nextServingVersion(), std::memory_order_relaxed);
      WriteContext context(cache_, fileTimeNow(), checks_);
      try {
        change(context);
        changed_ |= context.changed_;
        return context.changed_;
      } catch (const NeedsLoad& needs) {
        needed = needs.file;
      } catch (const NeedsVerify& needs) {
        toVerify = needs.file;
      } catch (...) {
        changed_ |= context.changed_;
        throw;
      }
    }
    // Changes resolve their keys, and check that the file may be written, before touching anything: a change
    // stopped for a load or a check can simply run again. The check reads the file and formats what the parser did
    // not find in Wine's form: not under the tree lock, so that reads go on meanwhile (only this thread changes
    // trees).
    if (toVerify) {
      cache_.verify(*toVerify);
      toVerify.reset();
    } else {
      cache_.load(*needed);
    }
  }
}

std::array<std::exception_ptr, kHiveFileCount> HiveCache::WriteBatch::save() {
  std::array<std::exception_ptr, kHiveFileCount> failures;
  for (auto file : kAllHiveFiles) {
    if (!(changed_ & bitOf(file))) continue;
    Slot& slot = cache_.slots_[indexOf(file)];
    try {
      // No tree lock needed to read: only the holder of writerMutex_ (us) changes trees. A tree read from a file has
      // that file's text by now (load or verify adopted it), so a save formats only what changed; only a tree that
      // came from no file, small, is formatted whole.
      const auto size = std::size_t(std::max<std::int64_t>(slot.identity.size, 0));
      saveHivePieces(slot.parsed->hive, cache_.savePieces_, size + size / 16);
      const bool statusKnown = checks_.compared & bitOf(file);
      FileIdentity identity = replaceFileAtomically(cache_.pathOf(file), cache_.savePieces_,
                                                    statusKnown ? &checks_.status[indexOf(file)] : nullptr);
      cache_.writtenSinceFlush_ |= bitOf(file);
      slot.verified = true; // the file is now what this tree saves as
      std::unique_lock exclusive(cache_.treeLock_);
      std::uint64_t next = cache_.lock_->generation(file) + 1;
      cache_.lock_->setGeneration(file, next);
      slot.identity = identity;
      slot.generation = next;
    } catch (...) {
      failures[indexOf(file)] = std::current_exception();
      try {
        cache_.load(file);
      } catch (...) {
        // Not even readable now: forget the tree; the next access reads the file again.
        Slot empty;
        std::unique_lock exclusive(cache_.treeLock_);
        std::swap(slot, empty);
        cache_.version_.store(nextServingVersion(), std::memory_order_relaxed);
      }
    }
  }
  changed_ = 0;
  return failures;
}

} // namespace regbridge::hive
