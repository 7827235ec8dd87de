// A running wineserver owns its prefix: reads still work, writes are refused with StoreLocked. Tested against a
// real wineserver, and against a stand-in that holds the lock the way wineserver does.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "registry/hive/WineServerProbe.h"
#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

bool waitFor(const std::function<bool()>& condition, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

int runWineserver(const fs::path& prefix, const std::string& flag) {
  std::string command = "WINEPREFIX='" + prefix.string() + "' WINEDEBUG=-all wineserver " + flag + " >/dev/null 2>&1";
  return std::system(command.c_str());
}

// Starts a persistent wineserver for `prefix` and stops it (wineserver -k) when the test ends, failed or not.
class WineServer {
public:
  explicit WineServer(fs::path prefix) : prefix_(std::move(prefix)) { started_ = runWineserver(prefix_, "-p") == 0; }
  ~WineServer() {
    if (!started_) return;
    runWineserver(prefix_, "-k");
    waitFor([&] { return !hive::findRunningWineServer(prefix_.string()); }, std::chrono::seconds(20));
    removeServerFolder();
  }
  bool started() const { return started_; }

private:
  // Debian's wine leaves its `wine-XXXXXX` folder (named in <prefix>/wineserver) behind: remove ours.
  void removeServerFolder() {
    std::error_code ec;
    for (const auto& lock : hive::wineServerLockCandidates(prefix_.string())) {
      fs::path serverDir = fs::path(lock).parent_path();
      if (!fs::exists(serverDir, ec) || serverDir.parent_path().filename().string().rfind("wine-", 0) != 0) continue;
      fs::remove_all(serverDir, ec);
      if (fs::is_empty(serverDir.parent_path(), ec)) fs::remove(serverDir.parent_path(), ec);
    }
  }
  fs::path prefix_;
  bool started_ = false;
};

} // namespace

TEST(WineServerTest, NoServerForAFreshFolder) {
  TempDir dir;
  EXPECT_FALSE(hive::findRunningWineServer(dir.str()));
  EXPECT_FALSE(hive::findRunningWineServer((dir.path() / "missing").string()));
}

TEST(WineServerTest, LockCandidatesFollowWinesNaming) {
  TempDir dir;
  struct stat st {};
  ASSERT_EQ(::stat(dir.str().c_str(), &st), 0);
  char expected[128];
  std::snprintf(expected, sizeof expected, "/tmp/.wine-%u/server-%llx-%llx/lock", unsigned(::getuid()),
                (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
  auto candidates = hive::wineServerLockCandidates(dir.str());
  EXPECT_NE(std::find(candidates.begin(), candidates.end(), expected), candidates.end());
  // Debian's variant: the folder named in <prefix>/wineserver.
  writeFile(dir.path() / "wineserver", "wine-AbC123");
  candidates = hive::wineServerLockCandidates(dir.str());
  std::string serverDir = fs::path(expected).parent_path().filename().string();
  EXPECT_NE(std::find(candidates.begin(), candidates.end(), "/tmp/wine-AbC123/" + serverDir + "/lock"),
            candidates.end());
}

TEST(WineServerTest, ALockHeldAsWineserverHoldsItRefusesWrites) {
  // A stand-in for wineserver: a child process holding an fcntl write lock on the lock file of the server folder
  // Debian's wine would use. Quick, and needs no wine.
  TempDir dir;
  TempDir serverRoot;
  std::string tmpName = serverRoot.path().filename().string();
  writeFile(dir.path() / "wineserver", tmpName);
  std::string lockFile;
  for (const auto& candidate : hive::wineServerLockCandidates(dir.str()))
    if (candidate.rfind(serverRoot.str() + "/", 0) == 0) lockFile = candidate;
  ASSERT_FALSE(lockFile.empty()) << "no candidate under " << serverRoot.str();
  fs::create_directories(fs::path(lockFile).parent_path());
  writeFile(lockFile, "");

  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Before"), "v", REG_DWORD, dword(1));

  int ready[2], release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Only the parent keeps these ends, or the child's read below would never see EOF.
    ::close(release[1]);
    ::close(ready[0]);
    int fd = ::open(lockFile.c_str(), O_RDWR);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (fd < 0 || ::fcntl(fd, F_SETLK, &lock) != 0) ::_exit(1);
    char c = 1;
    if (::write(ready[1], &c, 1) != 1) ::_exit(2);
    ssize_t ignored = ::read(release[0], &c, 1); // until the parent closes its end (or dies)
    (void)ignored;
    ::_exit(0);
  }
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);

  auto server = hive::findRunningWineServer(dir.str());
  ASSERT_TRUE(server);
  EXPECT_EQ(server->pid, child);
  const std::string before = readFile(dir.path() / "user.reg");
  auto e = expectError(ErrorCode::StoreLocked,
                       [&] { store->writeValue(key("HKCU\\Software\\During"), "v", REG_DWORD, dword(2)); });
  EXPECT_NE(
      std::string(e.what()).find("wineserver (pid " + std::to_string(child) + ") is running for prefix " + dir.str()),
      std::string::npos)
      << e.what();
  EXPECT_EQ(e.key(), "HKCU\\Software\\During");
  expectError(ErrorCode::StoreLocked, [&] { store->deleteKey(key("HKCU\\Software\\Before"), true); });
  EXPECT_EQ(store->readValue(key("HKCU\\Software\\Before"), "v", {}).data, dword(1));
  EXPECT_EQ(readFile(dir.path() / "user.reg"), before);

  ::close(release[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  ::close(release[0]);
  EXPECT_FALSE(hive::findRunningWineServer(dir.str()));
  store->writeValue(key("HKCU\\Software\\After"), "v", REG_DWORD, dword(3));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\After")));
}

TEST(WineServerTest, RealWineserverRefusesWritesUntilItStops) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const std::string systemBefore = readFile(dir.path() / "system.reg");
  auto store = openStore(dir.path());
  {
    WineServer server(dir.path());
    ASSERT_TRUE(server.started()) << "wineserver -p failed";
    ASSERT_TRUE(waitFor([&] { return hive::findRunningWineServer(dir.str()).has_value(); }, std::chrono::seconds(20)))
        << "the wineserver never took its lock";

    EXPECT_EQ(textOf(store->readValue(key("HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones\\UTC"),
                                      "Std", {})),
              "Coordinated Universal Time");
    auto e = expectError(ErrorCode::StoreLocked,
                         [&] { store->writeValue(key("HKLM\\Software\\Regbridge"), "v", REG_DWORD, dword(1)); });
    EXPECT_NE(std::string(e.what()).find("wineserver (pid "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("is running for prefix " + dir.str() + "; writes would be overwritten"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(readFile(dir.path() / "system.reg"), systemBefore);
  }
  EXPECT_FALSE(hive::findRunningWineServer(dir.str()));
  store->writeValue(key("HKLM\\Software\\Regbridge"), "v", REG_DWORD, dword(1));
  EXPECT_EQ(openStore(dir.path())->readValue(key("HKLM\\Software\\Regbridge"), "v", {}).data, dword(1));
}
