#include "registry/hive/ChildIndex.h"

#include <cstring>

#include "registry/hive/HiveTree.h"
#include "registry/hive/WineCase.h"

namespace regbridge::hive {

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  __uint128_t m = static_cast<__uint128_t>(h ^ v) * 0x9e3779b97f4a7c15ULL;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}

bool equalNoCase(std::u16string_view a, std::u16string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && foldUnit(a[i]) != foldUnit(b[i])) return false;
  return true;
}

} // namespace

std::uint32_t foldedNameHash(std::u16string_view name) {
  // Four folded units per multiply.
  std::uint64_t h = 0x243f6a8885a308d3ULL ^ name.size();
  std::size_t i = 0;
  for (; i + 4 <= name.size(); i += 4)
    h = mix(h, std::uint64_t(foldUnit(name[i])) | std::uint64_t(foldUnit(name[i + 1])) << 16 |
                   std::uint64_t(foldUnit(name[i + 2])) << 32 | std::uint64_t(foldUnit(name[i + 3])) << 48);
  std::uint64_t tail = 0;
  for (int shift = 0; i < name.size(); ++i, shift += 16) tail |= std::uint64_t(foldUnit(name[i])) << shift;
  h = mix(h, tail);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

HiveKey* ChildIndex::find(std::u16string_view name, std::uint32_t hash) const {
  const std::vector<HiveKey*>& slots = table_->slots;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    HiveKey* key = slots[i];
    if (!key) return nullptr;
    if (key->foldedHash() == hash && equalNoCase(key->name(), name)) return key;
  }
}

void ChildIndex::place(HiveKey* subkey) {
  std::vector<HiveKey*>& slots = table_->slots;
  const std::size_t mask = slots.size() - 1;
  std::size_t i = subkey->foldedHash() & mask;
  while (slots[i]) i = (i + 1) & mask;
  slots[i] = subkey;
}

void ChildIndex::rebuild(const std::vector<std::unique_ptr<HiveKey>>& all) {
  std::size_t size = 32;
  while (size * 3 / 4 < all.size() + 1) size *= 2;
  if (!table_) table_ = std::make_unique<Table>();
  table_->slots.assign(size, nullptr);
  for (const auto& subkey : all) place(subkey.get());
  table_->count = all.size();
}

void ChildIndex::inserted(HiveKey* subkey, std::size_t subkeyCount, const std::vector<std::unique_ptr<HiveKey>>& all) {
  if (!active()) {
    if (subkeyCount >= kMinSubkeys) rebuild(all);
    return;
  }
  if ((table_->count + 1) * 4 > table_->slots.size() * 3) {
    rebuild(all); // `all` holds the new subkey already
    return;
  }
  place(subkey);
  ++table_->count;
}

void ChildIndex::removed(const HiveKey* subkey) {
  if (!active()) return;
  std::vector<HiveKey*>& slots = table_->slots;
  const std::size_t mask = slots.size() - 1;
  std::size_t i = subkey->foldedHash() & mask;
  while (slots[i] != subkey) {
    if (!slots[i]) return;
    i = (i + 1) & mask;
  }
  // Backward-shift deletion: move up each later entry of the run that may sit in the freed slot, so that no probe
  // stops early at a hole.
  for (std::size_t hole = i, j = (i + 1) & mask;; j = (j + 1) & mask) {
    HiveKey* next = slots[j];
    if (!next) {
      slots[hole] = nullptr;
      break;
    }
    const std::size_t home = next->foldedHash() & mask;
    // `next` may move to `hole` when its home is not in the cyclic range (hole, j].
    const bool homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!homeBetween) {
      slots[hole] = next;
      hole = j;
    }
  }
  --table_->count;
}

} // namespace regbridge::hive
