// Is a wineserver running for this prefix? One that is owns the registry: it keeps it in memory and writes it
// back on its own schedule, overwriting any change made to the files meanwhile.
//
// A wineserver holds an fcntl write lock on the `lock` file of its server folder, named after the device and inode
// of the prefix folder: upstream `/tmp/.wine-<uid>/server-<dev hex>-<inode hex>/lock` (server/request.c,
// create_server_dir; dlls/ntdll/unix/server.c, init_server_dir). Debian's wine instead makes a random `wine-XXXXXX`
// folder under /run/user/<uid>, $TMPDIR or /tmp and records its name in `<prefix>/wineserver`; both places are checked.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace regbridge::hive {

struct WineServerInfo {
  pid_t pid = 0;        // as fcntl(F_GETLK) reports it
  std::string lockFile; // the lock file it holds
};

// The lock files a wineserver for this prefix would hold, most likely first; empty when the prefix is missing.
std::vector<std::string> wineServerLockCandidates(const std::string& prefix);

// The running wineserver of this prefix, if any. A few syscalls: cheap next to a hive rewrite, so writers ask
// every time.
std::optional<WineServerInfo> findRunningWineServer(const std::string& prefix);

} // namespace regbridge::hive
