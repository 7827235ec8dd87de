// The promise of the hive format code: a file Wine wrote comes back byte for byte.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "registry/hive/HiveFormat.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<std::uint8_t>;

void expectLosslessRoundTrip(const char* fileName) {
  const std::string text = test::readFile(test::realWinePrefix() / fileName);
  ASSERT_TRUE(text.starts_with("WINE REGISTRY Version 2\n")) << fileName;
  const hive::ParseResult result = hive::parseHive(text);
  for (const auto& issue : result.issues) ADD_FAILURE() << fileName << ":" << issue.line << ": " << issue.message;
  const std::string saved = hive::saveHive(result.hive);
  if (saved == text) return;
  std::size_t at = 0;
  while (at < saved.size() && at < text.size() && saved[at] == text[at]) ++at;
  const std::size_t from = at > 200 ? at - 200 : 0;
  ADD_FAILURE() << fileName << " differs at byte " << at << " of " << text.size() << "\n--- Wine:\n"
                << text.substr(from, 400) << "\n--- saved:\n"
                << saved.substr(from, 400);
}

std::size_t countKeys(const hive::HiveKey& key) {
  std::size_t count = 1;
  for (const auto& subkey : key.subkeys()) count += countKeys(*subkey);
  return count;
}

} // namespace

TEST(RealPrefixRoundTripTest, SystemRegComesBackByteForByte) { expectLosslessRoundTrip("system.reg"); }

TEST(RealPrefixRoundTripTest, UserRegComesBackByteForByte) { expectLosslessRoundTrip("user.reg"); }

TEST(RealPrefixRoundTripTest, UserdefRegComesBackByteForByte) { expectLosslessRoundTrip("userdef.reg"); }

TEST(RealPrefixRoundTripTest, ReadsTheHeadersAndTheWellKnownKeys) {
  const hive::ParseResult system = hive::parseHive(test::readFile(test::realWinePrefix() / "system.reg"));
  EXPECT_EQ(system.hive.relativeTo, "REGISTRY\\Machine");
  EXPECT_TRUE(system.hive.arch == "win64" || system.hive.arch == "win32") << system.hive.arch;
  EXPECT_GT(countKeys(system.hive.root), 1000u);
  const hive::HiveKey* currentVersion = system.hive.root.findSubkey(u"software");
  for (auto part : {u"Microsoft", u"WINDOWS NT", u"currentversion"}) {
    ASSERT_NE(currentVersion, nullptr);
    currentVersion = currentVersion->findSubkey(part);
  }
  ASSERT_NE(currentVersion, nullptr);
  EXPECT_EQ(currentVersion->name(), u"CurrentVersion");
  const hive::HiveValue* product = currentVersion->findValue(u"productname");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->type, 1u);

  const hive::ParseResult user = hive::parseHive(test::readFile(test::realWinePrefix() / "user.reg"));
  EXPECT_TRUE(user.hive.relativeTo.starts_with("REGISTRY\\User\\S-1-5-")) << user.hive.relativeTo;
  const hive::ParseResult userdef = hive::parseHive(test::readFile(test::realWinePrefix() / "userdef.reg"));
  EXPECT_EQ(userdef.hive.relativeTo, "REGISTRY\\User\\.Default");
}

namespace {

Bytes sz(std::u16string_view text, bool nul = true) {
  Bytes out;
  for (char16_t c : text) out.insert(out.end(), {std::uint8_t(c & 0xFF), std::uint8_t(c >> 8)});
  if (nul) out.insert(out.end(), {0, 0});
  return out;
}

void addAwkwardKey(hive::HiveKey& root) {
  constexpr std::uint64_t time = 0x1dd7ca305ad0f30;
  hive::HiveKey& key = root.addSubkey(u"Regbridge awkward \u00e9\u00c9 br[ack]ets \"q\" \U0001F600");
  key.setModified(time);
  key.setClassName(u"class \"q\" \\ \x01\x07");
  key.setValue(u"", 1, sz(u""));
  key.setValue(u"\"\\[]", 1, sz(u"\"quoted\" \\back\\ [br]"));
  key.setValue(u"controls", 1,
               sz(std::u16string(u"\x01\x02"
                                 u"3\x1f"
                                 u"7\x1f"
                                 u"9\a\b\t\n\v\f\r\x1b\x7f") +
                  u'\0' + u"0 end"));
  key.setValue(u"unicode", 1,
               sz(u"\u00e9f\u00e9g\u20ac0\U0001F600a\xd800x\xdc00"
                  u"1"));
  key.setValue(u"multi", 7, sz(std::u16string(u"one\0two\0\0", 9)));
  key.setValue(u"odd", 1, {0x61, 0x00, 0x62});
  key.setValue(u"unterminated", 2, sz(u"no nul", false));
  key.setValue(u"dword", 4, {0xff, 0xfe, 0xfd, 0xfc});
  key.setValue(u"short dword", 4, {1, 2});
  key.setValue(u"qword", 11, {1, 2, 3, 4, 5, 6, 7, 8});
  key.setValue(u"type ffff0011", 0xffff0011, {0xaa});
  key.setValue(u"none", 0, {});
  Bytes binary(300);
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = std::uint8_t(i * 7);
  key.setValue(u"long binary with a long name to move the first line break \u00e9", 3, binary);
  key.addSubkey(u"_first").setModified(time);
  key.addSubkey(u"Last").setModified(time);
}

// The blocks (blank line, key line, options, values) of the keys whose path starts with `prefix`.
std::string blocksStartingWith(const std::string& text, const std::string& prefix) {
  std::string blocks;
  for (std::size_t at = text.find("\n[" + prefix); at != std::string::npos; at = text.find("\n[" + prefix, at + 1)) {
    const std::size_t end = text.find("\n\n", at + 1);
    blocks += text.substr(at, end == std::string::npos ? std::string::npos : end + 1 - at);
  }
  return blocks;
}

} // namespace

// What we write, Wine reads as we meant it: after loading our file and saving it again (it saves on exit once
// something changed), wineserver writes our key exactly as we did.
TEST(RealPrefixRoundTripTest, WineRewritesWhatWeWroteUnchanged) {
  const fs::path& real = test::realWinePrefix();
  test::TempDir dir;
  test::copyRealPrefix(dir.path());
  // Without these wine would update the prefix first; it only reads drive_c.
  fs::copy_file(real / ".update-timestamp", dir.path() / ".update-timestamp");
  fs::create_directory_symlink(real / "drive_c", dir.path() / "drive_c");
  // wine refreshes the device links at start: they are ours, not the cached prefix's.
  fs::create_directory(dir.path() / "dosdevices");
  fs::create_directory_symlink(real / "drive_c", dir.path() / "dosdevices" / "c:");
  fs::create_directory_symlink("/", dir.path() / "dosdevices" / "z:");

  hive::ParseResult user = hive::parseHive(test::readFile(dir.path() / "user.reg"));
  ASSERT_TRUE(user.issues.empty());
  addAwkwardKey(user.hive.root);
  const std::string ours = hive::saveHive(user.hive);
  test::writeFile(dir.path() / "user.reg", ours);

  const std::string env = "WINEPREFIX='" + dir.str() + "' WINEDEBUG=-all ";
  const std::string cmd =
      env + "wine reg add 'HKCU\\Regbridge trigger' /v x /d y /f >/dev/null 2>&1 && " + env + "wineserver -w";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

  const std::string wines = test::readFile(dir.path() / "user.reg");
  ASSERT_NE(wines, ours) << "wine did not save the hive";
  const std::string ourBlocks = blocksStartingWith(ours, "Regbridge awkward");
  std::size_t keyLines = 0;
  for (std::size_t at = ourBlocks.find("\n["); at != std::string::npos; at = ourBlocks.find("\n[", at + 1)) ++keyLines;
  EXPECT_EQ(keyLines, 3u) << ourBlocks;
  EXPECT_EQ(blocksStartingWith(wines, "Regbridge awkward"), ourBlocks);
  EXPECT_EQ(hive::saveHive(hive::parseHive(wines).hive), wines);
}
