#include "registry/hive/PathIndex.h"

#include <algorithm>
#include <cstring>

#include "registry/Backend.h"

namespace regbridge::hive {

namespace {

// Past this many keys (or this much text) the index starts again empty rather than grow: a caller walking a huge
// store once gains nothing from keeping every key.
constexpr std::size_t kMaxEntries = std::size_t(1) << 20;
constexpr std::size_t kMaxText = std::size_t(64) << 20;

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

std::uint64_t load8(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8); // a constant size: one load, no call
  return word;
}

// The last `n` (1 to 7) bytes of the `size` bytes at `p` as a little-endian word, zeros above: read as the last
// eight bytes when there are eight, so that only short texts take the byte loop.
std::uint64_t loadTail(const char* p, std::size_t size, std::size_t n) {
  if (size >= 8) return load8(p + size - 8) >> (8 * (8 - n));
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t(static_cast<unsigned char>(p[size - n + i])) << (8 * i);
  return word;
}

// A-Z to a-z in each byte of a word of ASCII bytes (each < 0x80, so no sum carries into the next byte).
std::uint64_t foldAscii(std::uint64_t word) {
  const std::uint64_t atLeastA = word + kOnes * (0x80 - 'A');
  const std::uint64_t pastZ = word + kOnes * (0x80 - 'Z' - 1);
  return word | ((atLeastA & ~pastZ & kHighBits) >> 2);
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  __uint128_t m = static_cast<__uint128_t>(h ^ v) * 0x9e3779b97f4a7c15ULL;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}

// Calls each(word, index) for the text's eight-byte words in order, the last one zero-padded.
template <class Each> void forEachWord(std::string_view text, Each&& each) {
  const std::size_t size = text.size();
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) each(load8(text.data() + i), i);
  if (i < size) each(loadTail(text.data(), size, size - i), i);
}

// The hash of the folded text; false when it is not all ASCII.
bool foldedHash(std::string_view text, unsigned flags, std::uint64_t& hash) {
  std::uint64_t h = 0x243f6a8885a308d3ULL ^ (std::uint64_t(text.size()) << 8 | flags);
  std::uint64_t any = 0;
  forEachWord(text, [&](std::uint64_t word, std::size_t) {
    any |= word;
    h = mix(h, foldAscii(word));
  });
  hash = h;
  return (any & kHighBits) == 0;
}

// Whether `text` (ASCII) folds to `folded`, which has its length.
bool foldsTo(std::string_view text, const char* folded) {
  const std::size_t size = text.size();
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8)
    if (foldAscii(load8(text.data() + i)) != load8(folded + i)) return false;
  return i == size || foldAscii(loadTail(text.data(), size, size - i)) == loadTail(folded, size, size - i);
}

} // namespace

PathIndex::Use::Use(PathIndex& index, std::uint64_t version, std::string_view text, unsigned flags)
    : text_(text), flags_(flags) {
  const std::thread::id self = std::this_thread::get_id();
  std::thread::id owner = index.owner_.load(std::memory_order_relaxed);
  if (owner != self) {
    if (owner != std::thread::id() || !(self == index.opener_ || blockingForbidden())) return;
    // Taken once; what the index holds is only ever touched by its owner afterwards.
    if (!index.owner_.compare_exchange_strong(owner, self, std::memory_order_acquire)) return;
  }
  if (index.version_ != version) {
    // A tree changed: every entry is stale (their slots now count as empty), and so is their text.
    index.version_ = version;
    index.count_ = 0;
    index.texts_.clear();
    index.lastKey_ = nullptr;
    index.lastValue_ = nullptr;
  } else if (index.lastKey_ && flags == index.lastFlags_ && text == index.lastText_) {
    index_ = &index;
    found_ = index.lastKey_;
    lastHit_ = true;
    return;
  }
  if (!foldedHash(text, flags, hash_)) return;
  index_ = &index;
  found_ = index.find(hash_, text, flags);
  if (found_) index.setLast(text, flags, found_);
}

void PathIndex::Use::remember(HiveKey* key) {
  if (!index_ || !key) return;
  index_->insert(hash_, text_, flags_, key);
  index_->setLast(text_, flags_, key);
  found_ = key;
}

void PathIndex::Use::rememberValue(std::string_view name, const HiveValue* value) {
  // Only for the key setLast recorded: one found by this text, from the index or by the walk.
  if (!index_ || !found_ || index_->lastKey_ != found_) return;
  index_->lastValueName_.assign(name);
  index_->lastValue_ = value;
}

void PathIndex::setLast(std::string_view text, unsigned flags, HiveKey* key) {
  lastText_.assign(text);
  lastFlags_ = flags;
  lastKey_ = key;
  lastValue_ = nullptr;
}

HiveKey* PathIndex::find(std::uint64_t hash, std::string_view text, unsigned flags) const {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Entry& entry = slots_[i];
    if (entry.version != version_) return nullptr;
    if (entry.hash == hash && entry.flags == flags && entry.length == text.size() &&
        foldsTo(text, texts_.data() + entry.offset))
      return entry.key;
  }
}

void PathIndex::insert(std::uint64_t hash, std::string_view text, unsigned flags, HiveKey* key) {
  if (count_ >= kMaxEntries || texts_.size() + text.size() > kMaxText) {
    // Full: start again. The slots must be emptied too, as their entries still carry the current version.
    slots_.assign(slots_.size(), Entry{});
    count_ = 0;
    texts_.clear();
    lastKey_ = nullptr;
    lastValue_ = nullptr;
  }
  if ((count_ + 1) * 2 > slots_.size()) grow();
  Entry entry{version_, hash, key, std::uint32_t(texts_.size()), std::uint32_t(text.size()), flags};
  forEachWord(text, [&](std::uint64_t word, std::size_t at) {
    const std::uint64_t folded = foldAscii(word);
    char bytes[8];
    std::memcpy(bytes, &folded, 8);
    texts_.append(bytes, std::min<std::size_t>(8, text.size() - at));
  });
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].version == version_) i = (i + 1) & mask;
  slots_[i] = entry;
  ++count_;
}

void PathIndex::grow() {
  std::vector<Entry> old(slots_.empty() ? 1024 : slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Entry& entry : old) {
    if (entry.version != version_) continue;
    std::size_t i = entry.hash & mask;
    while (slots_[i].version == version_) i = (i + 1) & mask;
    slots_[i] = entry;
  }
}

} // namespace regbridge::hive
