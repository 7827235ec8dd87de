// Symbolic link keys in the hive store: followed on every path as on Windows, opened themselves with openLink,
// across hives, and never a hang on loops.
#include <filesystem>
#include <gtest/gtest.h>

#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

const std::string kTimeZonesLink = "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Time Zones";
const std::string kTimeZones = "HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones";
const std::string kTimeZonesTarget = "\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones";

// A plain key with one REG_SZ value "v".
std::string keyWithValue(const std::string& escapedPath, const std::string& value) {
  return "\n[" + escapedPath + "] 1699121962\n#time=1da0f4b6f4b6f40\n\"v\"=\"" + value + "\"\n";
}

} // namespace

TEST(StoreLinksTest, TimeZonesThroughTheLinkEqualsTheDirectPath) {
  TempDir dir;
  copyRealPrefix(dir.path());
  auto store = openStore(dir.path());
  auto viaLink = store->listSubkeys(key(kTimeZonesLink), {});
  auto direct = store->listSubkeys(key(kTimeZones), {});
  ASSERT_GT(direct.size(), 100u);
  EXPECT_EQ(viaLink, direct);
  EXPECT_EQ(store->readValue(key(kTimeZonesLink + "\\UTC"), "Std", {}).data,
            store->readValue(key(kTimeZones + "\\UTC"), "Std", {}).data);
  EXPECT_EQ(textOf(store->readValue(key(kTimeZonesLink + "\\utc"), "std", {})), "Coordinated Universal Time");
  EXPECT_TRUE(store->keyExists(key(kTimeZonesLink)));
  RawKeyInfo followed = store->getKeyInfo(key(kTimeZonesLink), {});
  EXPECT_EQ(followed.subkeyCount, direct.size());
  EXPECT_FALSE(followed.linkTarget);
}

TEST(StoreLinksTest, OpenLinkOpensTheLinkKeyItself) {
  TempDir dir;
  copyRealPrefix(dir.path());
  auto store = openStore(dir.path());
  OpenOptions openLink{true};
  RawKeyInfo info = store->getKeyInfo(key(kTimeZonesLink), openLink);
  EXPECT_EQ(info.linkTarget, std::optional<std::string>(kTimeZonesTarget));
  EXPECT_EQ(info.subkeyCount, 0u);
  EXPECT_EQ(info.valueCount, 1u);
  RawValue link = store->readValue(key(kTimeZonesLink), "SymbolicLinkValue", openLink);
  EXPECT_EQ(link.type, REG_LINK);
  EXPECT_EQ(textOf(link), kTimeZonesTarget);
  EXPECT_TRUE(store->listSubkeys(key(kTimeZonesLink), openLink).empty());
  auto values = store->listValues(key(kTimeZonesLink), openLink);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].name, "SymbolicLinkValue");
  // The target has no such value: without openLink the link is followed.
  expectError(ErrorCode::ValueNotFound, [&] { store->readValue(key(kTimeZonesLink), "SymbolicLinkValue", {}); });
  // Links before the last part are followed even with openLink.
  EXPECT_EQ(textOf(store->readValue(key(kTimeZonesLink + "\\UTC"), "Std", openLink)), "Coordinated Universal Time");
}

TEST(StoreLinksTest, WritesThroughALinkLandInItsTarget) {
  TempDir dir;
  copyRealPrefix(dir.path());
  auto store = openStore(dir.path());
  store->writeValue(key(kTimeZonesLink + "\\Regbridge Zone"), "Std", REG_SZ, sz("Test Time"));
  EXPECT_EQ(textOf(store->readValue(key(kTimeZones + "\\Regbridge Zone"), "Std", {})), "Test Time");
  store->createKey(key(kTimeZonesLink + "\\Regbridge Zone\\Dynamic DST"));
  EXPECT_TRUE(store->keyExists(key(kTimeZones + "\\Regbridge Zone\\Dynamic DST")));
  std::string system = readFile(dir.path() / "system.reg");
  EXPECT_NE(system.find("[Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\\\Time Zones\\\\Regbridge Zone]"),
            std::string::npos);
  EXPECT_EQ(system.find("[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Time Zones\\\\"), std::string::npos);
  // The link key is untouched.
  EXPECT_EQ(store->getKeyInfo(key(kTimeZonesLink), {true}).linkTarget, std::optional<std::string>(kTimeZonesTarget));
}

TEST(StoreLinksTest, DeletingALinkDeletesTheLinkNotItsTarget) {
  TempDir dir;
  copyRealPrefix(dir.path());
  auto store = openStore(dir.path());
  const auto zones = store->listSubkeys(key(kTimeZones), {}).size();
  store->deleteKey(key(kTimeZonesLink), false);
  EXPECT_FALSE(store->keyExists(key(kTimeZonesLink)));
  EXPECT_EQ(store->listSubkeys(key(kTimeZones), {}).size(), zones);
}

TEST(StoreLinksTest, LinksCrossHivesAndCompareCaseInsensitively) {
  TempDir dir;
  writeFile(dir.path() / "user.reg", asWineWrites(userHeader() + keyWithValue("Software\\\\Target", "in user.reg")));
  writeFile(dir.path() / "system.reg",
            asWineWrites(systemHeader() +
                         linkKeyLines("Software\\\\ToUser", "\\REGISTRY\\USER\\s-1-5-21-0-0-0-1000\\SOFTWARE\\target") +
                         linkKeyLines("Software\\\\ToDefault", "\\registry\\user\\.default\\Software")));
  writeFile(
      dir.path() / "userdef.reg",
      asWineWrites("WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\User\\\\.Default\n\n#arch=win64\n" +
                   keyWithValue("Software", "in userdef.reg")));
  auto store = openStore(dir.path());
  EXPECT_EQ(textOf(store->readValue(key("HKLM\\Software\\ToUser"), "v", {})), "in user.reg");
  EXPECT_EQ(textOf(store->readValue(key("HKLM\\Software\\ToDefault"), "v", {})), "in userdef.reg");
  store->writeValue(key("HKLM\\Software\\ToUser\\Sub"), "w", REG_DWORD, dword(1));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\Target\\Sub")));
  EXPECT_NE(readFile(dir.path() / "user.reg").find("[Software\\\\Target\\\\Sub]"), std::string::npos);
}

TEST(StoreLinksTest, CurrentControlSetLinkIsFollowedForCurrentConfig) {
  TempDir dir;
  writeFile(dir.path() / "system.reg",
            asWineWrites(
                systemHeader() +
                keyWithValue("System\\\\ControlSet001\\\\Hardware Profiles\\\\Current\\\\Software\\\\Fonts", "fonts") +
                linkKeyLines("System\\\\CurrentControlSet", "\\Registry\\Machine\\System\\ControlSet001")));
  auto store = openStore(dir.path());
  EXPECT_EQ(textOf(store->readValue(key("HKCC\\Software\\Fonts"), "v", {})), "fonts");
  EXPECT_EQ(store->listSubkeys(key("HKCC"), {}), std::vector<std::string>{"Software"});
  store->writeValue(key("HKCC\\Software\\New"), "x", REG_DWORD, dword(2));
  EXPECT_TRUE(store->keyExists(key("HKLM\\System\\ControlSet001\\Hardware Profiles\\Current\\Software\\New")));
}

TEST(StoreLinksTest, LinkToAMissingTargetIsAMissingKey) {
  TempDir dir;
  writeFile(dir.path() / "system.reg",
            asWineWrites(systemHeader() +
                         linkKeyLines("Software\\\\Dangling", "\\Registry\\Machine\\Software\\Nowhere") +
                         linkKeyLines("Software\\\\Outside", "\\Device\\HarddiskVolume1")));
  auto store = openStore(dir.path());
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software\\Dangling")));
  auto e = expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKLM\\Software\\Dangling"), "v", {}); });
  EXPECT_NE(std::string(e.what()).find("\\Registry\\Machine\\Software\\Nowhere"), std::string::npos) << e.what();
  EXPECT_EQ(e.key(), "HKLM\\Software\\Dangling");
  expectError(ErrorCode::KeyNotFound, [&] { store->listSubkeys(key("HKLM\\Software\\Dangling\\Below"), {}); });
  // As in Wine, creating through it does not create its target.
  expectError(ErrorCode::KeyNotFound,
              [&] { store->writeValue(key("HKLM\\Software\\Dangling"), "v", REG_DWORD, dword(1)); });
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software\\Nowhere")));
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software\\Outside")));
  // The link itself is there.
  EXPECT_EQ(store->getKeyInfo(key("HKLM\\Software\\Dangling"), {true}).linkTarget,
            std::optional<std::string>("\\Registry\\Machine\\Software\\Nowhere"));
  EXPECT_EQ(store->listSubkeys(key("HKLM\\Software"), {}), (std::vector<std::string>{"Dangling", "Outside"}));
}

TEST(StoreLinksTest, LoopsAndTooDeepChainsFailClearlyAndQuickly) {
  TempDir dir;
  std::string system = systemHeader();
  system += linkKeyLines("Software\\\\LoopA", "\\Registry\\Machine\\Software\\LoopB");
  system += linkKeyLines("Software\\\\LoopB", "\\Registry\\Machine\\Software\\LoopA");
  system += linkKeyLines("Software\\\\Self", "\\Registry\\Machine\\Software\\Self\\Deeper");
  // A chain of 5 links works; one of 30 is deeper than Wine follows.
  for (int i = 0; i < 30; ++i)
    system += linkKeyLines("Software\\\\Chain" + std::to_string(i),
                           "\\Registry\\Machine\\Software\\Chain" + std::to_string(i + 1));
  system += keyWithValue("Software\\\\Chain30", "end");
  // Links whose targets go through the next link twice (Fan{i} -> Fan{i+1}\\Back\\Fan{i+1}, Back -> Software):
  // 2^15 walks within Wine's depth if nothing capped the total.
  for (int i = 0; i < 15; ++i) {
    std::string next = "\\Registry\\Machine\\Software\\Fan" + std::to_string(i + 1);
    system += linkKeyLines("Software\\\\Fan" + std::to_string(i), next + "\\Back\\Fan" + std::to_string(i + 1));
  }
  system += linkKeyLines("Software\\\\Fan15", "\\Registry\\Machine\\Software\\Final");
  system += linkKeyLines("Software\\\\Final\\\\Back", "\\Registry\\Machine\\Software");
  writeFile(dir.path() / "system.reg", asWineWrites(system));
  auto store = openStore(dir.path());

  auto loop = expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKLM\\Software\\LoopA"), "v", {}); });
  EXPECT_NE(std::string(loop.what()).find("loop"), std::string::npos) << loop.what();
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software\\LoopB\\Sub")));
  expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKLM\\Software\\Self"), "v", {}); });
  expectError(ErrorCode::KeyNotFound,
              [&] { store->writeValue(key("HKLM\\Software\\LoopA\\New"), "v", REG_DWORD, dword(1)); });

  EXPECT_EQ(textOf(store->readValue(key("HKLM\\Software\\Chain25"), "v", {})), "end");
  auto deep = expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKLM\\Software\\Chain0"), "v", {}); });
  EXPECT_NE(std::string(deep.what()).find("16"), std::string::npos) << deep.what();

  EXPECT_TRUE(store->keyExists(key("HKLM\\Software\\Fan13"))); // a dozen links: fine
  auto fan = expectError(ErrorCode::KeyNotFound, [&] { store->listSubkeys(key("HKLM\\Software\\Fan0"), {}); });
  EXPECT_NE(std::string(fan.what()).find("256"), std::string::npos) << fan.what();
  // The links themselves can still be opened and deleted.
  store->deleteKey(key("HKLM\\Software\\LoopA"), false);
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software\\LoopA")));
}
