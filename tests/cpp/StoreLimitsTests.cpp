// Windows' limits end to end in the hive store: KeyPath checks them (512 levels, 255-character key names, 16,383-
// character value names); everything up to them must work through the store, its file and a fresh reload.
#include <filesystem>
#include <gtest/gtest.h>

#include "registry/hive/HiveFormat.h"
#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

TEST(StoreLimitsTest, KeysFiveHundredTwelveLevelsDeepWork) {
  TempDir dir;
  std::string path = "HKCU";
  for (std::size_t level = 0; level < kMaxKeyDepth; ++level) path += "\\k" + std::to_string(level);
  const auto deep = key(path);
  ASSERT_EQ(deep.parts.size(), kMaxKeyDepth);
  expectError(ErrorCode::InvalidPath, [&] { KeyPath::parse(path + "\\one-too-many"); });

  auto store = openStore(dir.path());
  store->writeValue(deep, "v", REG_SZ, sz("bottom"));
  EXPECT_TRUE(store->keyExists(deep));
  auto fresh = openStore(dir.path());
  EXPECT_EQ(textOf(fresh->readValue(deep, "v", {})), "bottom");
  EXPECT_EQ(fresh->getKeyInfo(key("HKCU\\k0"), {}).subkeyCount, 1u);
  EXPECT_TRUE(hive::parseHive(readFile(dir.path() / "user.reg")).issues.empty());
  expectError(ErrorCode::KeyHasSubkeys, [&] { fresh->deleteKey(key("HKCU\\k0"), false); });
  fresh->deleteKey(key("HKCU\\k0"), true);
  EXPECT_FALSE(fresh->keyExists(key("HKCU\\k0")));
  EXPECT_FALSE(openStore(dir.path())->keyExists(key("HKCU\\k0\\k1")));
}

TEST(StoreLimitsTest, KeyNamesOf255CharactersWork) {
  TempDir dir;
  const std::string ascii(kMaxKeyNameLength, 'n');
  std::string accented; // 255 UTF-16 code units, two UTF-8 bytes each
  for (std::size_t i = 0; i < kMaxKeyNameLength; ++i) accented += "\xc3\xa9";
  std::string emoji; // 127 surrogate pairs + 1 = 255 code units
  for (int i = 0; i < 127; ++i) emoji += "\xf0\x9f\x98\x80";
  emoji += "x";
  // Characters the file format escapes: brackets, backslash-free punctuation, quotes, control-ish.
  std::string escaped(kMaxKeyNameLength - 6, 'e');
  escaped += "[]\"/ ;";

  auto store = openStore(dir.path());
  for (const auto& name : {ascii, accented, emoji, escaped}) {
    ASSERT_EQ(utf16Length(name), kMaxKeyNameLength);
    store->writeValue(key("HKCU\\Software\\" + name), "v", REG_DWORD, dword(1));
  }
  expectError(ErrorCode::InvalidPath, [&] { KeyPath::parse("HKCU\\Software\\" + ascii + "n"); });
  auto fresh = openStore(dir.path());
  auto names = fresh->listSubkeys(key("HKCU\\Software"), {});
  EXPECT_EQ(names.size(), 4u);
  for (const auto& name : {ascii, accented, emoji, escaped}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());
    EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\" + name), "v", {}).data, dword(1));
  }
  EXPECT_TRUE(hive::parseHive(readFile(dir.path() / "user.reg")).issues.empty());
}

TEST(StoreLimitsTest, LongValueNamesAndLargeDataWork) {
  TempDir dir;
  const std::string longName(kMaxValueNameLength, 'v');
  std::vector<std::uint8_t> large(1 << 20);
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = std::uint8_t(i * 31 + 7);
  std::string longText(100000, 'x');

  auto store = openStore(dir.path());
  const auto k = key("HKCU\\Software\\Big");
  store->writeValue(k, longName, REG_BINARY, std::vector<std::uint8_t>{1, 2, 3});
  store->writeValue(k, "large", REG_BINARY, large);
  store->writeValue(k, "text", REG_SZ, sz(longText));
  auto fresh = openStore(dir.path());
  EXPECT_EQ(fresh->readValue(k, longName, {}).data, (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_EQ(fresh->readValue(k, "large", {}).data, large);
  EXPECT_EQ(textOf(fresh->readValue(k, "text", {})), longText);
  auto values = fresh->listValues(k, {});
  ASSERT_EQ(values.size(), 3u);
  fresh->deleteValue(k, longName);
  EXPECT_EQ(openStore(dir.path())->listValues(k, {}).size(), 2u);
}
