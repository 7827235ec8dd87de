// Non-Windows builds: the hive store is the only backend (registry/win/Win32BackendFactory.cpp is the Windows one).
#include "registry/Backend.h"
#include "registry/hive/HiveStore.h"

namespace regbridge {

std::unique_ptr<Backend> openBackend(const BackendOptions& options) {
  return hive::openHiveStore(options.prefix.empty() ? hive::defaultPrefix() : options.prefix);
}

} // namespace regbridge
