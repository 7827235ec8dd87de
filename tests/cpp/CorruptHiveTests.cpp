// A hive file that does not parse is never written back: what parsed can be read, writes to that hive fail with
// StoreCorrupt naming file:line, and the other hives stay writable.
#include <filesystem>
#include <gtest/gtest.h>

#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

// Inserts `line` after the first line that starts with `after`; returns the 1-based number of the inserted line.
std::size_t insertLineAfter(const fs::path& file, const std::string& after, const std::string& line) {
  auto lines = linesOf(readFile(file));
  std::size_t at = 0;
  while (at < lines.size() && lines[at].rfind(after, 0) != 0) ++at;
  EXPECT_LT(at, lines.size()) << after;
  lines.insert(lines.begin() + std::ptrdiff_t(at + 1), line);
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) text += lines[i] + (i + 1 < lines.size() ? "\n" : "");
  writeFile(file, text);
  return at + 2;
}

} // namespace

TEST(CorruptHiveTest, ReadsWorkWritesFailWithFileAndLineAndTheFileIsKept) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const fs::path user = dir.path() / "user.reg";
  // A key line whose name never ends: Wine reports "Malformed key" and skips it.
  const std::size_t badLine = insertLineAfter(user, "\"ActiveTitle\"", "[Software\\\\Broken");
  const std::string bytes = readFile(user);
  const FileStamp stamp = stampOf(user);

  auto store = openStore(dir.path());
  EXPECT_EQ(textOf(store->readValue(key("HKCU\\Control Panel\\Colors"), "ActiveBorder", {})), "255 255 255");
  EXPECT_TRUE(store->keyExists(key("HKCU\\Control Panel\\Desktop")));

  auto e = expectError(ErrorCode::StoreCorrupt,
                       [&] { store->writeValue(key("HKCU\\Software\\New"), "v", REG_DWORD, dword(1)); });
  const std::string expectedStart = user.string() + ":" + std::to_string(badLine) + ": ";
  EXPECT_EQ(std::string(e.what()).substr(0, expectedStart.size()), expectedStart) << e.what();
  EXPECT_EQ(e.key(), "HKCU\\Software\\New");
  expectError(ErrorCode::StoreCorrupt, [&] { store->deleteKey(key("HKCU\\Control Panel\\Colors"), true); });
  expectError(ErrorCode::StoreCorrupt, [&] { store->deleteValue(key("HKCU\\Control Panel\\Colors"), "ActiveBorder"); });
  expectError(ErrorCode::StoreCorrupt, [&] { store->createKey(key("HKU\\S-1-5-21-0-0-0-1000\\Software\\New")); });
  // Nothing was written, and the value is still there.
  EXPECT_EQ(readFile(user), bytes);
  EXPECT_EQ(stampOf(user), stamp);
  EXPECT_TRUE(store->keyExists(key("HKCU\\Control Panel\\Colors")));
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\New")));

  // The other hives are fine and writable.
  store->writeValue(key("HKLM\\Software\\Regbridge"), "v", REG_DWORD, dword(1));
  store->writeValue(key("HKU\\.Default\\Software\\Regbridge"), "v", REG_DWORD, dword(1));
  EXPECT_EQ(readFile(user), bytes);

  // Repaired on disk (by hand), the hive becomes writable again.
  auto lines = linesOf(bytes);
  lines.erase(lines.begin() + std::ptrdiff_t(badLine - 1));
  std::string repaired;
  for (std::size_t i = 0; i < lines.size(); ++i) repaired += lines[i] + (i + 1 < lines.size() ? "\n" : "");
  writeFile(user, repaired);
  store->writeValue(key("HKCU\\Software\\New"), "v", REG_DWORD, dword(1));
  EXPECT_TRUE(openStore(dir.path())->keyExists(key("HKCU\\Software\\New")));
}

TEST(CorruptHiveTest, AFileThatIsNotAHiveIsNeverOverwritten) {
  TempDir dir;
  writeFile(dir.path() / "system.reg", "this is not a registry file\n");
  auto store = openStore(dir.path());
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software")));
  auto e = expectError(ErrorCode::StoreCorrupt, [&] { store->createKey(key("HKLM\\Software\\X")); });
  EXPECT_NE(std::string(e.what()).find("system.reg:1: "), std::string::npos) << e.what();
  EXPECT_EQ(readFile(dir.path() / "system.reg"), "this is not a registry file\n");
  store->createKey(key("HKCU\\Software\\X"));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\X")));
}
