#include "registry/operations/StringReadCache.h"

#include <cstdint>
#include <cstring>
#include <memory>

namespace regbridge {

namespace {

// A direct-mapped table: each (key, name, view) has one slot, chosen by its hash, and a store replaces whatever
// the slot held. A hit is one hash and one compare; a miss that stores copies into the slot's strings, reusing
// their capacity, so a caller reading round-robin over more values than there are slots (a walk over a whole hive)
// pays no allocation and no clearing for a cache that cannot help it.
constexpr std::size_t kSlots = 4096; // a power of two
// A slot whose text grew past this gives the memory back when a smaller text replaces it.
constexpr std::size_t kKeptCapacity = 16 << 10;

struct Slot {
  std::uint64_t hash = 0;
  std::uint64_t version = 0; // 0: empty (servingVersion is never 0)
  char view = 0;
  std::string key;
  std::string name;
  std::string text;
};

// Eight bytes per multiply, the tail read as two overlapping words (wyhash's way): std::hash (murmur) of the key and
// of the name was a tenth of a cached readStringValueSync. Keys are our callers' paths, not adversarial input.
std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
std::uint64_t load4(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  __uint128_t m = static_cast<__uint128_t>(h ^ v) * 0x9e3779b97f4a7c15ULL;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}
std::uint64_t hashBytes(std::uint64_t h, std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n > 8; n -= 8, p += 8) h = mix(h, load8(p));
  std::uint64_t tail = 0;
  if (n >= 4) tail = load4(p) | load4(p + n - 4) << 32;
  else if (n > 0)
    tail = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
           static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  return mix(h ^ s.size(), tail);
}

std::uint64_t hashOf(std::string_view key, std::string_view name, RegistryView view) {
  return hashBytes(hashBytes(0x243f6a8885a308d3ULL ^ static_cast<unsigned char>(view), key), name);
}

// Each thread's table holds pointers, and a slot is made by its first store: a table of slots themselves took
// ~480 KB per reading thread at once (4,096 slots of three strings each), a fifth of what a helper's loaded tree
// weighs, for a thread that may only ever read a few values.
std::unique_ptr<Slot>& slotFor(std::uint64_t hash) {
  thread_local std::unique_ptr<std::unique_ptr<Slot>[]> slots;
  if (!slots) slots = std::make_unique<std::unique_ptr<Slot>[]>(kSlots);
  return slots[hash & (kSlots - 1)];
}

void assignKeeping(std::string& out, std::string_view in) {
  if (out.capacity() > kKeptCapacity && in.size() <= kKeptCapacity) std::string().swap(out);
  out.assign(in);
}

} // namespace

const std::string* StringReadCache::find(std::uint64_t version, std::string_view key, std::string_view name,
                                         RegistryView view) {
  if (version == 0) return nullptr;
  const std::uint64_t hash = hashOf(key, name, view);
  const Slot* found = slotFor(hash).get();
  if (!found) return nullptr;
  const Slot& slot = *found;
  if (slot.version != version || slot.hash != hash || slot.view != static_cast<char>(view) || slot.key != key ||
      slot.name != name)
    return nullptr;
  return &slot.text;
}

void StringReadCache::store(std::uint64_t version, std::string_view key, std::string_view name, RegistryView view,
                            const std::string& text) {
  if (version == 0) return;
  const std::uint64_t hash = hashOf(key, name, view);
  std::unique_ptr<Slot>& made = slotFor(hash);
  if (!made) made = std::make_unique<Slot>();
  Slot& slot = *made;
  slot.hash = hash;
  slot.version = version;
  slot.view = static_cast<char>(view);
  assignKeeping(slot.key, key);
  assignKeeping(slot.name, name);
  assignKeeping(slot.text, text);
}

} // namespace regbridge
