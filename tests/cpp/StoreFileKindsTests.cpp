// What the store does with a prefix it did not make: a hive path that is no regular file (a FIFO, a socket, a
// directory, a symlink loop), a prefix that is a file, a prefix it may only read. Each hive fails or works on its
// own, nothing blocks, and reads leave nothing behind.
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <future>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

enum class Kind { Fifo, Directory, SymlinkLoop, Socket };

void makeNonFile(const fs::path& path, Kind kind) {
  fs::remove(path);
  switch (kind) {
  case Kind::Fifo: ASSERT_EQ(::mkfifo(path.c_str(), 0644), 0); break;
  case Kind::Directory: fs::create_directory(path); break;
  case Kind::SymlinkLoop: fs::create_symlink(path.filename(), path); break;
  case Kind::Socket: {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    ASSERT_LT(path.string().size(), sizeof address.sun_path);
    std::strcpy(address.sun_path, path.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ::close(fd); // the socket file stays
    break;
  }
  }
}

const char* nameOf(Kind kind) {
  switch (kind) {
  case Kind::Fifo: return "FIFO";
  case Kind::Directory: return "directory";
  case Kind::SymlinkLoop: return "symbolic links";
  case Kind::Socket: return "socket";
  }
  return "";
}

// Runs `body` on another thread and fails the test if it has not finished within a generous time, instead of
// hanging the whole suite: a store stuck in open() of a FIFO is unblocked by opening the FIFO for writing.
void withinTime(const fs::path& fifo, const std::function<void()>& body) {
  auto done = std::async(std::launch::async, body);
  if (done.wait_for(std::chrono::seconds(20)) == std::future_status::ready) {
    done.get();
    return;
  }
  ADD_FAILURE() << "the call blocked (still running after 20 s)";
  while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  }
}

} // namespace

class StoreFileKindsTest : public ::testing::TestWithParam<Kind> {};

TEST_P(StoreFileKindsTest, AUserRegThatIsNoFileFailsAloneAndBlocksNothing) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const fs::path user = dir.path() / "user.reg";
  makeNonFile(user, GetParam());
  auto store = openStore(dir.path());
  withinTime(user, [&] {
    auto e =
        expectError(ErrorCode::Io, [&] { store->readValue(key("HKCU\\Control Panel\\Colors"), "ActiveBorder", {}); });
    EXPECT_NE(std::string(e.what()).find(user.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(nameOf(GetParam())), std::string::npos) << e.what();
    expectError(ErrorCode::Io, [&] { store->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(1)); });
    // The other hives work: HKLM, and HKU\.Default though it sits beside user.reg under HKEY_USERS.
    EXPECT_TRUE(store->keyExists(key("HKLM\\Software")));
    store->writeValue(key("HKLM\\Software\\Regbridge"), "v", REG_DWORD, dword(2));
    EXPECT_EQ(store->readValue(key("HKLM\\Software\\Regbridge"), "v", {}).data, dword(2));
    EXPECT_TRUE(store->keyExists(key("HKU\\.Default\\Software\\Microsoft")));
    store->writeValue(key("HKU\\.Default\\Software\\Regbridge"), "v", REG_DWORD, dword(3));
    EXPECT_EQ(store->readValue(key("HKU\\.Default\\Software\\Regbridge"), "v", {}).data, dword(3));
  });
  EXPECT_EQ(fs::symlink_status(user).type(), GetParam() == Kind::Fifo        ? fs::file_type::fifo
                                             : GetParam() == Kind::Directory ? fs::file_type::directory
                                             : GetParam() == Kind::Socket    ? fs::file_type::socket
                                                                             : fs::file_type::symlink);
}

// A hive that was read fine and then became something else: the next calls on the other hives still work.
TEST_P(StoreFileKindsTest, AUserRegThatTurnsIntoNoFileLaterFailsAlone) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const fs::path user = dir.path() / "user.reg";
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(1));
  EXPECT_TRUE(store->keyExists(key("HKLM\\Software")));
  makeNonFile(user, GetParam());
  withinTime(user, [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(120)); // past the window for edits by others
    EXPECT_TRUE(store->keyExists(key("HKLM\\Software")));
    store->writeValue(key("HKLM\\Software\\Regbridge"), "v", REG_DWORD, dword(2));
    EXPECT_TRUE(store->keyExists(key("HKU\\.Default\\Software\\Microsoft")));
    expectError(ErrorCode::Io, [&] { store->readValue(key("HKCU\\Software\\X"), "v", {}); });
  });
}

INSTANTIATE_TEST_SUITE_P(Kinds, StoreFileKindsTest,
                         ::testing::Values(Kind::Fifo, Kind::Directory, Kind::SymlinkLoop, Kind::Socket),
                         [](const auto& info) {
                           switch (info.param) {
                           case Kind::Fifo: return std::string("Fifo");
                           case Kind::Directory: return std::string("Directory");
                           case Kind::SymlinkLoop: return std::string("SymlinkLoop");
                           case Kind::Socket: return std::string("Socket");
                           }
                           return std::string();
                         });

TEST(StorePrefixTest, AFileGivenAsThePrefixFailsClearly) {
  TempDir dir;
  const fs::path file = dir.path() / "not-a-folder";
  writeFile(file, "hello\n");
  auto store = openStore(file);
  for (const char* path : {"HKLM\\Software", "HKCU\\Software", "HKU\\.Default\\Software"}) {
    auto e = expectError(ErrorCode::Io, [&] { store->listSubkeys(key(path), {}); });
    EXPECT_NE(std::string(e.what()).find(file.string() + " is not a directory"), std::string::npos) << e.what();
  }
  auto e = expectError(ErrorCode::Io, [&] { store->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(1)); });
  EXPECT_NE(std::string(e.what()).find("is not a directory"), std::string::npos) << e.what();
  EXPECT_EQ(readFile(file), "hello\n");
}

TEST(StorePrefixTest, AMissingPrefixIsAnEmptyStoreMadeByTheFirstWrite) {
  TempDir dir;
  const fs::path prefix = dir.path() / "new" / "prefix";
  auto store = openStore(prefix);
  EXPECT_EQ(store->listSubkeys(key("HKCU"), {}), std::vector<std::string>{});
  EXPECT_FALSE(fs::exists(prefix));
  store->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(1));
  EXPECT_TRUE(fs::exists(prefix / "user.reg"));
}

// A user who only reads a Wine prefix leaves no file in it; the first write makes the lock file.
TEST(StorePrefixTest, ReadsCreateNoLockFile) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const fs::path lock = dir.path() / ".regbridge.lock";
  auto reader = openStore(dir.path());
  EXPECT_TRUE(reader->keyExists(key("HKCU\\Control Panel\\Colors")));
  EXPECT_FALSE(reader->listSubkeys(key("HKLM\\Software"), {}).empty());
  EXPECT_TRUE(reader->keyExists(key("HKU\\.Default\\Software\\Microsoft")));
  reader->flush();
  EXPECT_FALSE(fs::exists(lock));

  // Without a lock file, reads check the files as for a foreign edit: the first regbridge write is seen within the
  // window (kForeignCheckInterval, 50 ms); then the reader has found the lock file and follows the writer's counters.
  auto writer = openStore(dir.path());
  writer->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(1));
  EXPECT_TRUE(fs::exists(lock));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_EQ(reader->readValue(key("HKCU\\Software\\X"), "v", {}).data, dword(1));
  writer->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(2));
  EXPECT_EQ(reader->readValue(key("HKCU\\Software\\X"), "v", {}).data, dword(2));
  writer->writeValue(key("HKLM\\Software\\X"), "v", REG_DWORD, dword(3));
  EXPECT_EQ(reader->readValue(key("HKLM\\Software\\X"), "v", {}).data, dword(3));
}
