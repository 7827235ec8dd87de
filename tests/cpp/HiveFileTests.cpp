// replaceFileAtomically: the pieces a save hands it land in order, whatever their number, and the hive keeps its mode
// and its symlink. The replaced file, held open across the rename and freed on another thread, is let go soon after,
// and such files never pile up.
#include <gtest/gtest.h>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "TestSupport.h"
#include "registry/hive/HiveFile.h"

using namespace regbridge::hive;
using regbridge::test::readFile;
using regbridge::test::TempDir;
using regbridge::test::writeFile;

namespace {

mode_t modeOf(const std::filesystem::path& file) {
  struct stat st;
  EXPECT_EQ(::stat(file.c_str(), &st), 0);
  return st.st_mode & 07777;
}

// The descriptors open in this process (those below 4096, which is all a test process uses).
int openDescriptors() {
  int open = 0;
  for (int fd = 0; fd < 4096; ++fd)
    if (::fcntl(fd, F_GETFD) != -1) ++open;
  return open;
}

// Waits until no more descriptors are open than `count`; false if that does not happen within 30 s (the deadline is
// only there so that a failure ends).
bool descriptorsDropTo(int count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (openDescriptors() > count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Restores the umask when a test changes it.
class UmaskScope {
public:
  explicit UmaskScope(mode_t mask) : old_(::umask(mask)) {}
  ~UmaskScope() { ::umask(old_); }

private:
  mode_t old_;
};

} // namespace

TEST(HiveFileTest, ManyPiecesLandInOrder) {
  TempDir dir;
  const auto file = dir.path() / "user.reg";
  // More pieces than one writev takes (IOV_MAX is 1024 on Linux), some empty, some large.
  std::vector<std::string> texts;
  for (int i = 0; i < 5000; ++i)
    texts.push_back(i % 7 == 0 ? "" : std::string(std::size_t(i % 300), char('a' + i % 26)) + "\n");
  texts.push_back(std::string(3 << 20, 'z'));
  std::vector<std::string_view> pieces(texts.begin(), texts.end());
  std::string expected;
  for (const auto& text : texts) expected += text;
  const FileIdentity identity = replaceFileAtomically(file.string(), pieces);
  EXPECT_EQ(readFile(file), expected);
  EXPECT_EQ(identity, statIdentity(file.string()));
}

TEST(HiveFileTest, KeepsAModeTheUmaskWouldNarrow) {
  TempDir dir;
  const auto file = dir.path() / "system.reg";
  writeFile(file, "old");
  ASSERT_EQ(::chmod(file.c_str(), 0664), 0);
  UmaskScope umask(022);
  replaceFileAtomically(file.string(), std::string_view("new"));
  EXPECT_EQ(readFile(file), "new");
  EXPECT_EQ(modeOf(file), mode_t(0664));
}

TEST(HiveFileTest, KeepsANarrowMode) {
  TempDir dir;
  const auto file = dir.path() / "system.reg";
  writeFile(file, "old");
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  replaceFileAtomically(file.string(), std::string_view("new"));
  EXPECT_EQ(modeOf(file), mode_t(0600));
}

TEST(HiveFileTest, ANewFileGetsTheUmasksMode) {
  TempDir dir;
  const auto file = dir.path() / "userdef.reg";
  UmaskScope umask(027);
  replaceFileAtomically(file.string(), std::string_view("new"));
  EXPECT_EQ(modeOf(file), mode_t(0640));
}

TEST(HiveFileTest, ASymlinkedHiveIsReplacedAtItsTarget) {
  TempDir dir;
  const auto target = dir.path() / "elsewhere.reg";
  const auto link = dir.path() / "user.reg";
  writeFile(target, "old");
  std::filesystem::create_symlink(target, link);
  replaceFileAtomically(link.string(), std::string_view("new"));
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(readFile(target), "new");
}

TEST(HiveFileTest, ReplacedFilesAreLetGoAndNeverPileUp) {
  TempDir dir;
  const auto file = dir.path() / "user.reg";
  writeFile(file, "first");
  const int before = openDescriptors();
  const std::string text(64 << 10, 'x');
  int most = before;
  for (int i = 0; i < 500; ++i) {
    replaceFileAtomically(file.string(), std::string_view(text));
    most = std::max(most, openDescriptors());
  }
  EXPECT_EQ(readFile(file), text);
  // The closing thread may be behind by a batch it is closing and a full queue (16 each), never more: a writer that
  // outruns it closes its own.
  EXPECT_LE(most - before, 33) << "replaced files held open pile up";
  // And it catches up: every replaced file is let go.
  EXPECT_TRUE(descriptorsDropTo(before)) << "replaced files are still held open";
}

TEST(HiveFileTest, AForkedChildLetsGoOfTheFilesItReplaces) {
  TempDir dir;
  const auto file = dir.path() / "user.reg";
  writeFile(file, "first");
  // The parent's closing thread is running by now; the child has none of it.
  const int parentBefore = openDescriptors();
  for (int i = 0; i < 20; ++i) replaceFileAtomically(file.string(), std::string_view("parent"));
  ASSERT_TRUE(descriptorsDropTo(parentBefore));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::alarm(60); // a hung child ends the test rather than stalling it
    const int before = openDescriptors();
    for (int i = 0; i < 100; ++i) replaceFileAtomically(file.string(), std::string_view("child"));
    ::_exit(descriptorsDropTo(before) ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child did not end by itself (signal " << WTERMSIG(status) << ")";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child still holds files it replaced";
  EXPECT_EQ(readFile(file), "child");
}
