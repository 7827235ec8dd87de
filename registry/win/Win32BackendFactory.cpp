// Windows builds: the registry itself. The hive store's file code is POSIX and is not built here.
#include "registry/Backend.h"
#include "registry/Error.h"
#include "registry/win/Win32Backend.h"

namespace regbridge {

std::unique_ptr<Backend> openBackend(const BackendOptions& options) {
  if (!options.prefix.empty())
    throw RegistryError(ErrorCode::InvalidArgument,
                        "a prefix ('" + options.prefix +
                            "') selects the hive store, which this Windows build does not include (its file code is "
                            "POSIX); leave the prefix out to use the Windows registry");
  return openWin32Backend();
}

} // namespace regbridge
