// The portable file interface of HiveFile.h as the POSIX implementation (registry/hive/posix/HiveFile.cpp) answers
// it: what lstatPath carries in place of a struct stat, pathKind, readFileHead and the temporary-file names. The
// store's tests cover these through whole operations; here each answer is compared with the system's own.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "TestSupport.h"
#include "registry/hive/HiveFile.h"

using namespace regbridge::hive;
using regbridge::test::readFile;
using regbridge::test::TempDir;
using regbridge::test::writeFile;

namespace fs = std::filesystem;

TEST(PathStatusTest, APlainFileCarriesItsModeOwnerAndIdentity) {
  TempDir dir;
  const auto file = dir.path() / "user.reg";
  writeFile(file, "text");
  ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
  const PathStatus status = lstatPath(file.string());
  EXPECT_TRUE(status.exists);
  EXPECT_FALSE(status.isLink);
  EXPECT_EQ(status.permissions, 0640u);
  EXPECT_EQ(status.owner, std::uint32_t(::getuid()));
  EXPECT_EQ(status.group, std::uint32_t(::getgid()));
  EXPECT_EQ(status.identity, statIdentity(file.string()));
  EXPECT_EQ(status.identity.size, 4);
  EXPECT_EQ(identityAt(file.string(), status), statIdentity(file.string()));
}

TEST(PathStatusTest, ASymlinkIsDescribedAsItselfAndIdentityAtFollowsIt) {
  TempDir dir;
  const auto target = dir.path() / "elsewhere.reg";
  const auto link = dir.path() / "user.reg";
  writeFile(target, "text");
  fs::create_symlink(target, link);
  const PathStatus status = lstatPath(link.string());
  EXPECT_TRUE(status.exists);
  EXPECT_TRUE(status.isLink);
  EXPECT_NE(status.identity, statIdentity(target.string())); // the link's own inode
  EXPECT_EQ(identityAt(link.string(), status), statIdentity(target.string()));
}

TEST(PathStatusTest, AMissingPathIsNoError) {
  TempDir dir;
  writeFile(dir.path() / "file", "");
  for (const auto& path : {dir.path() / "missing", dir.path() / "file" / "below"}) { // ENOENT, ENOTDIR
    const PathStatus status = lstatPath(path.string());
    EXPECT_FALSE(status.exists) << path;
    EXPECT_EQ(identityAt(path.string(), status), FileIdentity{}) << path;
  }
}

TEST(PathStatusTest, ASaveGivenTheStatusTakenBeforeKeepsTheModeAndTheLink) {
  TempDir dir;
  const auto file = dir.path() / "system.reg";
  writeFile(file, "old");
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  const PathStatus known = lstatPath(file.string());
  std::string_view piece("new");
  const FileIdentity made = replaceFileAtomically(file.string(), std::span(&piece, 1), &known);
  EXPECT_EQ(readFile(file), "new");
  EXPECT_EQ(lstatPath(file.string()).permissions, 0600u);
  EXPECT_EQ(made, statIdentity(file.string()));

  const auto target = dir.path() / "elsewhere.reg";
  const auto link = dir.path() / "user.reg";
  writeFile(target, "old");
  fs::create_symlink(target, link);
  const PathStatus linkStatus = lstatPath(link.string());
  replaceFileAtomically(link.string(), std::span(&piece, 1), &linkStatus);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(readFile(target), "new");
}

TEST(PathStatusTest, PathKindFollowsSymlinks) {
  TempDir dir;
  const auto file = dir.path() / "file";
  const auto folder = dir.path() / "folder";
  writeFile(file, "");
  fs::create_directory(folder);
  fs::create_directory_symlink(folder, dir.path() / "to-folder");
  fs::create_symlink(dir.path() / "nowhere", dir.path() / "dangling");
  ASSERT_EQ(::mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(pathKind((dir.path() / "missing").string()), PathKind::Missing);
  EXPECT_EQ(pathKind((dir.path() / "dangling").string()), PathKind::Missing);
  EXPECT_EQ(pathKind(folder.string()), PathKind::Folder);
  EXPECT_EQ(pathKind((dir.path() / "to-folder").string()), PathKind::Folder);
  EXPECT_EQ(pathKind(file.string()), PathKind::Other);
  EXPECT_EQ(pathKind((dir.path() / "fifo").string()), PathKind::Other);
}

TEST(PathStatusTest, ReadFileHeadReadsTheStartOfRegularFilesOnly) {
  TempDir dir;
  const auto file = dir.path() / "system.reg";
  writeFile(file, "WINE REGISTRY Version 2\n;; All keys relative to \\\\Machine\n\n#arch=win32\n");
  EXPECT_EQ(readFileHead(file.string(), 4), "WINE");
  EXPECT_EQ(readFileHead(file.string(), 4096), readFile(file));
  EXPECT_EQ(peekArch(file.string()), "win32");
  EXPECT_EQ(readFileHead((dir.path() / "missing").string(), 16), "");
  EXPECT_EQ(readFileHead(dir.str(), 16), "");
  // A FIFO with no writer: opening it for reading would wait for one; it is refused instead.
  ASSERT_EQ(::mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(readFileHead((dir.path() / "fifo").string(), 16), "");
  EXPECT_EQ(peekArch((dir.path() / "fifo").string()), "");
}

TEST(PathStatusTest, TemporaryFileNamesAreRecognisedAndRemovedAsLeftovers) {
  TempDir dir;
  const std::string name = temporaryFileName((dir.path() / "user.reg").string(), 4242, 7);
  EXPECT_EQ(name, (dir.path() / "user.reg.4242.7.regbridge-tmp").string());
  EXPECT_TRUE(isTemporaryFileName(name));
  EXPECT_FALSE(isTemporaryFileName("user.reg"));
  EXPECT_FALSE(isTemporaryFileName(".regbridge-tmp"));
  writeFile(name, "left by a crashed writer");
  writeFile(dir.path() / "user.reg", "kept");
  removeLeftoverTemporaryFiles(dir.str());
  EXPECT_FALSE(fs::exists(name));
  EXPECT_EQ(readFile(dir.path() / "user.reg"), "kept");
}
