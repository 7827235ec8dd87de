// WineServerProbe.h: the server folder named from stat() of the prefix, and fcntl(F_GETLK) on its lock file.
#include "registry/hive/WineServerProbe.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace regbridge::hive {

namespace {

// dlls/ntdll/unix/server.c, init_server_dir: `server-%llx-%llx`.
std::string wineHex(unsigned long long value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%llx", value);
  return buffer;
}

// Debian's `<prefix>/wineserver`: the name of the server's temporary folder, e.g. `wine-5TQZCS`.
std::string debianTmpdirName(const std::string& prefix) {
  int fd = ::open((prefix + "/wineserver").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buffer[4096];
  ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return {};
  std::string name(buffer, std::size_t(n));
  while (!name.empty() && (name.back() == '\n' || name.back() == '\0')) name.pop_back();
  return name;
}

// `server-<dev hex>-<inode hex>`, or empty when the prefix folder is missing.
std::string serverDirName(const std::string& prefix) {
  struct stat st;
  if (::stat(prefix.c_str(), &st) != 0) return {};
  return "server-" + wineHex(st.st_dev) + "-" + wineHex(st.st_ino);
}

std::vector<std::string> lockCandidates(const std::string& prefix, const std::string& serverDir,
                                        const std::string& uid) {
  std::vector<std::string> candidates;
  std::string tmpdir = debianTmpdirName(prefix);
  if (!tmpdir.empty() && tmpdir.find("..") == std::string::npos) {
    if (tmpdir.front() == '/') {
      candidates.push_back(tmpdir + "/" + serverDir + "/lock");
    } else {
      candidates.push_back("/run/user/" + uid + "/" + tmpdir + "/" + serverDir + "/lock");
      if (const char* t = std::getenv("TMPDIR"); t && *t)
        candidates.push_back(std::string(t) + "/" + tmpdir + "/" + serverDir + "/lock");
      candidates.push_back("/tmp/" + tmpdir + "/" + serverDir + "/lock");
    }
  }
#ifdef __ANDROID__
  // There is no /tmp on Android: Wine keeps the folder inside the prefix there (init_server_dir).
  candidates.push_back(prefix + "/.wineserver/" + serverDir + "/lock");
#else
  candidates.push_back("/tmp/.wine-" + uid + "/" + serverDir + "/lock");
#endif
  return candidates;
}

std::optional<WineServerInfo> lockedBy(const std::vector<std::string>& candidates) {
  for (const auto& candidate : candidates) {
    int fd = ::open(candidate.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 0;
    probe.l_len = 0;
    int rc = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    // F_GETLK reports a conflicting lock held by another process: the server's. A stale folder left by a server
    // that exited holds no lock.
    if (rc == 0 && probe.l_type != F_UNLCK) return WineServerInfo{long(probe.l_pid), candidate};
  }
  return std::nullopt;
}

} // namespace

std::vector<std::string> wineServerLockCandidates(const std::string& prefix) {
  std::string serverDir = serverDirName(prefix);
  if (serverDir.empty()) return {};
  return lockCandidates(prefix, serverDir, std::to_string(::getuid()));
}

std::optional<WineServerInfo> findRunningWineServer(const std::string& prefix) {
  return lockedBy(wineServerLockCandidates(prefix));
}

std::optional<WineServerInfo> WineServerProbe::find() {
  if (serverDir_.empty()) {
    serverDir_ = serverDirName(prefix_);
    if (serverDir_.empty()) return std::nullopt;
    uid_ = std::to_string(::getuid());
  }
  return lockedBy(lockCandidates(prefix_, serverDir_, uid_));
}

} // namespace regbridge::hive
