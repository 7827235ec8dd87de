// What the hive store asks of the system beyond its files (HiveFile.h) and its lock (StoreLock.h); one
// implementation per platform, chosen by CMake: registry/hive/posix/Platform.cpp.
#pragma once

#include <cstdint>
#include <string>

namespace regbridge::hive {

// A monotonic clock in nanoseconds for windows of tens of milliseconds, as cheap as the system has one: Linux's
// coarse clock is a few ns through the vDSO, with ~4 ms resolution.
std::int64_t coarseMonotonicNs();

// An id of the calling thread, never 0, unique among the threads alive: TreeLock's readers find their slot by it, at
// every read. The thread pointer where the compiler reads it in one instruction (the %fs base on x86-64 Linux, the
// thread's own control block), else pthread_self, a call into the C library.
std::uintptr_t threadIdFromSystem();
inline std::uintptr_t currentThreadId() {
#if defined(__has_builtin)
#if __has_builtin(__builtin_thread_pointer) && defined(__linux__)
  return reinterpret_cast<std::uintptr_t>(__builtin_thread_pointer());
#endif
#endif
  return threadIdFromSystem();
}

// A memory barrier that every running thread of this process executes (Linux's membarrier, private expedited): what
// lets TreeLock's readers go without one. enableProcessWideBarrier registers the process for it, once, and says
// whether it may be used; processWideBarrier then says whether it ran.
bool enableProcessWideBarrier();
bool processWideBarrier();

// The current user's home folder as the user database records it (getpwuid), for when $HOME is unset; empty when
// it has none.
std::string homeFolderFromUserDatabase();

} // namespace regbridge::hive
