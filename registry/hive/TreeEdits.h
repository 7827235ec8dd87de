// Changes to a hive tree with Wine's bookkeeping of modification times (server/registry.c): set_value and
// delete_value touch the key itself; create_key stamps the new key and touches its parent; delete_key touches the
// parent. Nothing else moves, so a write followed by its undo changes only that key's time in the file.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "registry/hive/HiveTree.h"

namespace regbridge::hive {

// Now as a FILETIME (100 ns ticks since 1601), Wine's current_time.
std::uint64_t fileTimeNow();

// False when the value already holds exactly this type and data: Wine skips such a write, time included
// (except for empty data, which its memcmp check never matches).
bool setValueTouching(HiveKey& key, std::u16string_view name, std::uint32_t type, std::span<const std::uint8_t> data,
                      std::uint64_t now);
// False when there is no such value.
bool deleteValueTouching(HiveKey& key, std::u16string_view name, std::uint64_t now);
// Creates `names` one below the other under `parent`, as `reg add` does one RegCreateKeyEx at a time.
HiveKey& createKeysTouching(HiveKey& parent, std::span<const std::u16string_view> names, std::uint64_t now);
// Removes `key` with everything under it. It must have a parent.
void deleteKeyTouching(HiveKey& key, std::uint64_t now);

} // namespace regbridge::hive
