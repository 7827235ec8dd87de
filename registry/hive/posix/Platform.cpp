// Platform.h on POSIX: clock_gettime, pthread_self, Linux's membarrier and the passwd database.
#include "registry/hive/Platform.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <pwd.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
#endif

namespace regbridge::hive {

std::int64_t coarseMonotonicNs() {
  struct timespec now;
#ifdef CLOCK_MONOTONIC_COARSE
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
#else
  ::clock_gettime(CLOCK_MONOTONIC, &now);
#endif
  return std::int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;
}

std::uintptr_t threadIdFromSystem() {
  static_assert(sizeof(pthread_t) <= sizeof(std::uintptr_t));
  const pthread_t self = ::pthread_self();
  std::uintptr_t id = 0;
  std::memcpy(&id, &self, sizeof self); // an integer on Linux, a pointer on macOS
  return id;
}

#ifdef __linux__
namespace {
long membarrier(int command) { return ::syscall(__NR_membarrier, command, 0, 0); }
} // namespace

bool enableProcessWideBarrier() {
  // Registered once per process, by the first store opened; REGBRIDGE_READ_LOCK=shared keeps every store on the
  // plain std::shared_mutex, to compare the two.
  static const bool enabled = [] {
    if (const char* choice = std::getenv("REGBRIDGE_READ_LOCK"); choice && std::strcmp(choice, "shared") == 0)
      return false;
    const long supported = membarrier(MEMBARRIER_CMD_QUERY);
    if (supported < 0 || !(supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
  }();
  return enabled;
}

bool processWideBarrier() {
  if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return true;
  // A child made by fork() may not inherit the registration: register it again, then retry.
  return errno == EPERM && membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0 &&
         membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0;
}
#else
bool enableProcessWideBarrier() { return false; }
bool processWideBarrier() { return false; }
#endif

std::string homeFolderFromUserDatabase() {
  if (const struct passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return {};
}

} // namespace regbridge::hive
