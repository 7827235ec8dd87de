#include "registry/hive/TreeEdits.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "registry/Value.h"

namespace regbridge::hive {

std::uint64_t fileTimeNow() {
  // The system clock counts from the Unix epoch (guaranteed since C++20); FILETIME counts 100 ns steps.
  const auto sinceEpoch = std::chrono::system_clock::now().time_since_epoch();
  return kFileTimeUnixEpoch +
         std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(sinceEpoch).count()) / 100;
}

bool setValueTouching(HiveKey& key, std::u16string_view name, std::uint32_t type, std::span<const std::uint8_t> data,
                      std::uint64_t now) {
  if (const HiveValue* old = key.findValue(name);
      old && old->type == type && !data.empty() && std::ranges::equal(old->data, data))
    return false;
  key.setValue(name, type, std::vector<std::uint8_t>(data.begin(), data.end()));
  key.setModified(now);
  return true;
}

bool deleteValueTouching(HiveKey& key, std::u16string_view name, std::uint64_t now) {
  if (!key.removeValue(name)) return false;
  key.setModified(now);
  return true;
}

HiveKey& createKeysTouching(HiveKey& parent, std::span<const std::u16string_view> names, std::uint64_t now) {
  HiveKey* key = &parent;
  for (auto name : names) {
    HiveKey& child = key->addSubkey(name);
    child.setModified(now);
    key->setModified(now);
    key = &child;
  }
  return *key;
}

void deleteKeyTouching(HiveKey& key, std::uint64_t now) {
  HiveKey* parent = key.parent();
  // Copy the name: removing the key frees it.
  std::u16string name = key.name();
  parent->removeSubkey(name);
  parent->setModified(now);
}

} // namespace regbridge::hive
