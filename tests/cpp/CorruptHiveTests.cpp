// A hive file that does not parse is never written back: what parsed can be read, writes to that hive fail with
// StoreCorrupt naming file:line, and the other hives stay writable.
#include <algorithm>
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

// A user.reg cut mid-line (a full disk, a crashed editor): Wine reads what is left, and so do we, but a write would
// make the loss of the rest permanent. Refused, naming the line, and the file is left as it is.
TEST(CorruptHiveTest, AHiveCutShortIsReadButNeverRewritten) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const fs::path user = dir.path() / "user.reg";
  std::string text = readFile(user);
  // Cut in the middle of the last dword, as in `"1604"=dword:000`.
  const std::size_t lastDword = text.rfind("=dword:");
  ASSERT_NE(lastDword, std::string::npos);
  text.resize(lastDword + std::string("=dword:000").size());
  const std::size_t lastLine = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
  writeFile(user, text);

  auto store = openStore(dir.path());
  EXPECT_EQ(textOf(store->readValue(key("HKCU\\Control Panel\\Colors"), "ActiveBorder", {})), "255 255 255");
  auto e = expectError(ErrorCode::StoreCorrupt,
                       [&] { store->writeValue(key("HKCU\\Software\\Unrelated"), "v", REG_DWORD, dword(1)); });
  const std::string expectedStart = user.string() + ":" + std::to_string(lastLine) + ": ";
  EXPECT_EQ(std::string(e.what()).substr(0, expectedStart.size()), expectedStart) << e.what();
  EXPECT_EQ(readFile(user), text);
  // The other hives are written as ever.
  store->writeValue(key("HKLM\\Software\\Regbridge"), "v", REG_DWORD, dword(1));
  EXPECT_EQ(readFile(user), text);
}

namespace {

struct LenientLine {
  const char* name;
  const char* line;    // added after `"v"=dword:00000001` in [Software\\A]
  const char* problem; // what the error says
};

class LenientLineTest : public ::testing::TestWithParam<LenientLine> {};

} // namespace

// Lines Wine reads without a word but that a save would change: a write to that hive is refused with the file, the
// line and the problem, and the file stays as it is; reads still work, as in Wine.
TEST_P(LenientLineTest, AWriteIsRefusedAndTheFileKept) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\A"), "v", REG_DWORD, dword(1));
  const fs::path user = dir.path() / "user.reg";
  std::string text = readFile(user);
  const std::string anchor = "\"v\"=dword:00000001\n";
  const std::size_t at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + anchor.size(), std::string(GetParam().line) + "\n");
  const std::size_t line = std::size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n')) + 2;
  writeFile(user, text);

  // The store that wrote the file notices the hand edit; a fresh one reads it from the start.
  auto fresh = openStore(dir.path());
  for (auto* writer : {store.get(), fresh.get()}) {
    auto e = expectError(ErrorCode::StoreCorrupt,
                         [&] { writer->writeValue(key("HKCU\\Software\\B"), "v", REG_DWORD, dword(2)); });
    const std::string where = user.string() + ":" + std::to_string(line) + ": ";
    EXPECT_EQ(std::string(e.what()).substr(0, where.size()), where) << e.what();
    EXPECT_NE(std::string(e.what()).find(GetParam().problem), std::string::npos) << e.what();
    EXPECT_EQ(readFile(user), text);
    EXPECT_TRUE(writer->keyExists(key("HKCU\\Software\\A")));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, LenientLineTest,
    ::testing::Values(LenientLine{"TrailingJunk", "\"w\"=\"x\"junk", "text after the closing quote"},
                      LenientLine{"DuplicateName", "\"v\"=dword:00000002", "value name given twice"},
                      LenientLine{"UnknownEscape", "\"w\"=\"\\q\"", "unknown escape `\\q`"},
                      LenientLine{"ShortDword", "\"w\"=dword:1", "dword data is not 8"},
                      LenientLine{"BadHex", "\"w\"=hex:1,02", "hex data not as Wine writes it"},
                      LenientLine{"OutOfOrder", "\"a\"=\"x\"", "value out of Wine's order"},
                      // Seen by the whole-file comparison only: `\x41` is `A`, which Wine writes as it is.
                      LenientLine{"NeedlessEscape", "\"w\"=\"\\x41\"", "saving would change `\"w\"=\"\\x41\"` into"}),
    [](const auto& info) { return std::string(info.param.name); });
