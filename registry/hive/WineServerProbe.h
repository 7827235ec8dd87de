// Is a wineserver running for this prefix? One that is owns the registry: it keeps it in memory and writes it
// back on its own schedule, overwriting any change made to the files meanwhile.
//
// A wineserver holds an fcntl write lock on the `lock` file of its server folder, named after the device and inode
// of the prefix folder: upstream `/tmp/.wine-<uid>/server-<dev hex>-<inode hex>/lock` (server/request.c,
// create_server_dir; dlls/ntdll/unix/server.c, init_server_dir). Debian's wine instead makes a random `wine-XXXXXX`
// folder under /run/user/<uid>, $TMPDIR or /tmp and records its name in `<prefix>/wineserver`; both places are checked.
// A wineserver runs only on POSIX systems, so the probe is there alone: registry/hive/posix/WineServerProbe.cpp.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace regbridge::hive {

struct WineServerInfo {
  long pid = 0;         // as fcntl(F_GETLK) reports it
  std::string lockFile; // the lock file it holds
};

// The lock files a wineserver for this prefix would hold, most likely first; empty when the prefix is missing.
std::vector<std::string> wineServerLockCandidates(const std::string& prefix);

// The running wineserver of this prefix, if any.
std::optional<WineServerInfo> findRunningWineServer(const std::string& prefix);

// The same question asked again and again, as a writer asks before every write batch: the server folder's name
// (from the prefix folder's device and inode) and the uid are found once, so that an answer costs the opens of
// the candidates only — two when no server runs. System calls cost microseconds here, next to a hive rewrite of a
// few hundred. (A prefix folder deleted and made again under an open store keeps the old name; so does its lock.)
class WineServerProbe {
public:
  explicit WineServerProbe(std::string prefix) : prefix_(std::move(prefix)) {}
  std::optional<WineServerInfo> find();

private:
  std::string prefix_;
  std::string serverDir_; // empty until the prefix folder exists
  std::string uid_;
};

} // namespace regbridge::hive
