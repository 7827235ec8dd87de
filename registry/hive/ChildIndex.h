// A key's subkeys by the hash of their folded names, for keys with many of them (HKCR\CLSID has thousands): a
// lookup then costs a hash of the name asked for and a probe or two, where a binary search over the sorted subkeys
// would touch two cache lines (the key and its name) at each of a dozen steps. Keys with few subkeys have none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace regbridge::hive {

class HiveKey;

// Wine's case folding (WineCase.h) applied unit by unit while hashing, so that names differing only in case hash
// alike, with no folded copy of the name built on the way.
std::uint32_t foldedNameHash(std::u16string_view name);

class ChildIndex {
public:
  // Below this many subkeys a binary search is as quick and takes no memory.
  static constexpr std::size_t kMinSubkeys = 16;

  bool active() const { return table_ != nullptr; }
  // The subkey whose name equals `name` without case, which hashes to `hash`; null when none does.
  HiveKey* find(std::u16string_view name, std::uint32_t hash) const;
  // Keeps the table in step with a key's subkeys: call after each insertion or removal there.
  void inserted(HiveKey* subkey, std::size_t subkeyCount, const std::vector<std::unique_ptr<HiveKey>>& all);
  void removed(const HiveKey* subkey);

private:
  void rebuild(const std::vector<std::unique_ptr<HiveKey>>& all);
  void place(HiveKey* subkey);

  struct Table {
    std::vector<HiveKey*> slots; // open addressing, linear probing; a power of two, at most 3/4 full; null: empty
    std::size_t count = 0;
  };
  // Behind a pointer: most keys have few subkeys and pay one pointer for none.
  std::unique_ptr<Table> table_;
};

} // namespace regbridge::hive
