// What the hive store asks of the system beyond its files (HiveFile.h) and its lock (StoreLock.h); one
// implementation per platform, chosen by CMake: registry/hive/posix/Platform.cpp.
#pragma once

#include <cstdint>
#include <string>

namespace regbridge::hive {

// A monotonic clock in nanoseconds for windows of tens of milliseconds, as cheap as the system has one: Linux's
// coarse clock is a few ns through the vDSO, with ~4 ms resolution.
std::int64_t coarseMonotonicNs();

// The current user's home folder as the user database records it (getpwuid), for when $HOME is unset; empty when
// it has none.
std::string homeFolderFromUserDatabase();

} // namespace regbridge::hive
