// Platform.h on POSIX: clock_gettime and the passwd database.
#include "registry/hive/Platform.h"

#include <ctime>
#include <pwd.h>
#include <unistd.h>

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

std::string homeFolderFromUserDatabase() {
  if (const struct passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return {};
}

} // namespace regbridge::hive
