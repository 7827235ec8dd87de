// Windows builds: the system registry through advapi32 is the only backend. The hive store (Wine-format files in a
// prefix folder) is not compiled for Windows: its file handling is POSIX code, and on Windows the real registry is
// the one a program means.
#include "registry/Backend.h"
#include "registry/Error.h"
#include "registry/win/Win32Backend.h"

namespace regbridge {

std::unique_ptr<Backend> openBackend(const BackendOptions& options) {
  if (!options.prefix.empty()) {
    throw RegistryError(ErrorCode::InvalidArgument,
                        "a prefix (\"" + options.prefix +
                            "\") names a Wine-format hive store, which is not part of the Windows build: on Windows "
                            "regbridge opens the system registry; leave the prefix out");
  }
  return openWin32Backend();
}

} // namespace regbridge
