// The keys a store has found, by the text of the path they were asked by: a read of a key found before costs a hash
// of that text and one probe, instead of a parse, a conversion of every part to UTF-16, a walk down the tree (each
// step a lookup among a key's subkeys) and the links on the way. Reading round-robin over thousands of keys, the
// walk was most of a read.
//
// An entry holds what the walk found for that text — the key itself, after the mount, the 32-bit view's redirection
// and every link on the way — so it is right exactly as long as no tree changed. Every change of a tree (a write, a
// reload of a file changed on disk, a first load) bumps the store's serving version under the exclusive tree lock;
// entries are tagged with the version they were found under, and an entry of an older version is no entry. So a key
// renamed, deleted or created, or a link whose target changed, is walked again.
//
// Only paths of ASCII text are indexed, by their text with A-Z folded to a-z: for ASCII that is Wine's folding
// (WineCase.h), so two paths with the same folded text name the same key. Other paths are walked every time.
//
// Not a separate copy of the tree: it points into it, and holds only the keys asked for.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace regbridge::hive {

class HiveKey;
struct HiveValue;

class PathIndex {
public:
  // What besides the text decides the key a path finds: the view and whether a final link is opened itself.
  static unsigned flagsOf(unsigned char view, bool openLink) { return unsigned(view) << 1 | unsigned(openLink); }

  // The lookup of one read, under the store's shared tree lock. The index is one thread's, and only that thread uses
  // it, so that a read takes no atomic step for it (a locked instruction cost ~10 ns here, a tenth of a read): the
  // first thread to read that either opened the store or answers from memory (inside a NoBlockingScope) takes it — in
  // the addon the JS thread, in a server the thread that answers reads at once. Readers on other threads (the
  // addon's workers, a pool that may block) walk.
  class Use {
  public:
    Use(PathIndex& index, std::uint64_t version, std::string_view text, unsigned flags);
    ~Use() = default;
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

    // The key found for this text under this version before, else null.
    HiveKey* found() const { return found_; }
    // Records what the walk found for this text (call only after found() gave null).
    void remember(HiveKey* key);
    // The value of this name read last in the key found, when this text was the last one asked for too; else null.
    const HiveValue* lastValue(std::string_view name) const {
      return lastHit_ && index_->lastValue_ && name == index_->lastValueName_ ? index_->lastValue_ : nullptr;
    }
    // Records the value read (under the name as given) in the key found.
    void rememberValue(std::string_view name, const HiveValue* value);

  private:
    PathIndex* index_ = nullptr; // null: not indexable (not ASCII), or not this thread's index
    std::uint64_t hash_ = 0;
    std::string_view text_;
    unsigned flags_ = 0;
    HiveKey* found_ = nullptr;
    bool lastHit_ = false; // found as the last text asked for
  };

private:
  struct Entry {
    std::uint64_t version = 0; // the version it was found under; any other: an empty slot
    std::uint64_t hash = 0;
    HiveKey* key = nullptr;
    std::uint32_t offset = 0; // of the folded text in texts_
    std::uint32_t length = 0;
    unsigned flags = 0;
  };

  HiveKey* find(std::uint64_t hash, std::string_view text, unsigned flags) const;
  void insert(std::uint64_t hash, std::string_view text, unsigned flags, HiveKey* key);
  void grow();
  void setLast(std::string_view text, unsigned flags, HiveKey* key);

  // The text found last, as it was given, and its key: a caller that reads the same key again and again (polling a
  // setting) is answered by one comparison, without hashing the text.
  std::string lastText_;
  unsigned lastFlags_ = 0;
  HiveKey* lastKey_ = nullptr; // null: none (or not of this version)
  // The value read last in lastKey_, by the name as given: polling one value skips the search among the key's values.
  std::string lastValueName_;
  const HiveValue* lastValue_ = nullptr;

  const std::thread::id opener_ = std::this_thread::get_id();
  std::atomic<std::thread::id> owner_{}; // none until a reader takes it
  std::uint64_t version_ = 0;            // the version of the live entries
  std::size_t count_ = 0;                // live entries
  std::vector<Entry> slots_;             // open addressing, linear probing; a power of two, at most half full
  std::string texts_;                    // the live entries' folded texts, one after the other
};

} // namespace regbridge::hive
