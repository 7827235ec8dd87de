// The file calls of the floor addon, one implementation per platform (posix/, win/), picked by CMake.
#pragma once

#include <cstddef>
#include <string>

namespace regbridge::bench {

// Writes `size` bytes to `dir`/floor.reg.tmp and renames it over `dir`/floor.reg (no flush, as the hive store).
// False when a call fails.
bool writeAndRename(const std::string& dir, std::size_t size);

// The same with the given bytes: what a store that keeps a file's text writes when it saves it unchanged.
bool writeAndRename(const std::string& dir, const char* bytes, std::size_t size);

// Asks the OS to drop the file's clean cached pages, so that a "cold" start reads it from disk again. Best effort:
// false when the platform or the call refuses.
bool evict(const std::string& file);

} // namespace regbridge::bench
