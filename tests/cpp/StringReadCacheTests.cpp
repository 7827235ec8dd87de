// readStringValue reuses decoded results while the store is unchanged; these tests change it every way it can
// change and check that no stale answer is ever served.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "registry/Error.h"
#include "registry/Operations.h"
#include "registry/hive/HiveStore.h"
#include "tests/cpp/StoreTestSupport.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;
using regbridge::test::TempDir;

namespace {
const std::string kKey = "HKCU\\Software\\Acme";

void writeString(Backend& backend, const std::string& name, const std::string& text) {
  WriteValue::run(backend, {kKey, name, {{REG_SZ}, text}});
}
std::string read(Backend& backend, const std::string& name) { return ReadStringValue::run(backend, {kKey, name}); }
std::string read(Backend& backend, const std::string& subkey, const std::string& name) {
  return ReadStringValue::run(backend, {kKey + "\\" + subkey, name});
}
} // namespace

TEST(StringReadCacheTest, AWriteInThisStoreIsSeenAtOnce) {
  TempDir dir;
  auto store = hive::openHiveStore(dir.str());
  writeString(*store, "v", "one");
  EXPECT_EQ(read(*store, "v"), "one");
  EXPECT_EQ(read(*store, "v"), "one");
  writeString(*store, "v", "two");
  EXPECT_EQ(read(*store, "v"), "two");
}

TEST(StringReadCacheTest, AWriteThroughAnotherStoreOnThePrefixIsSeenAtOnce) {
  TempDir dir;
  auto reader = hive::openHiveStore(dir.str());
  auto writer = hive::openHiveStore(dir.str()); // as another process would: its own trees, the same lock file
  writeString(*writer, "v", "one");
  EXPECT_EQ(read(*reader, "v"), "one");
  writeString(*writer, "v", "two");
  EXPECT_EQ(read(*reader, "v"), "two");
}

TEST(StringReadCacheTest, DeletedValuesAndKeysAreNotServedFromTheCache) {
  TempDir dir;
  auto store = hive::openHiveStore(dir.str());
  writeString(*store, "v", "one");
  EXPECT_EQ(read(*store, "v"), "one");
  DeleteValue::run(*store, {kKey, "v"});
  EXPECT_THROW(read(*store, "v"), RegistryError);
  writeString(*store, "v", "one");
  EXPECT_EQ(read(*store, "v"), "one");
  DeleteKey::run(*store, {kKey, true});
  EXPECT_THROW(read(*store, "v"), RegistryError);
}

TEST(StringReadCacheTest, TwoStoresWithTheSameKeysKeepTheirOwnAnswers) {
  TempDir a, b;
  auto first = hive::openHiveStore(a.str());
  auto second = hive::openHiveStore(b.str());
  writeString(*first, "v", "first");
  writeString(*second, "v", "second");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(read(*first, "v"), "first");
    EXPECT_EQ(read(*second, "v"), "second");
  }
}

TEST(StringReadCacheTest, AFileEditedByAnotherProgramIsSeenAfterTheForeignCheckWindow) {
  TempDir dir;
  auto store = hive::openHiveStore(dir.str());
  writeString(*store, "v", "one");
  EXPECT_EQ(read(*store, "v"), "one");
  // An editor that is not regbridge bumps no generation counter: only the stat check finds its change.
  std::string text = test::readFile(dir.path() / "user.reg");
  auto at = text.find("\"v\"=\"one\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 9, "\"v\"=\"three\"");
  test::writeFile(dir.path() / "user.reg.edit", text);
  std::filesystem::rename(dir.path() / "user.reg.edit", dir.path() / "user.reg");
  std::this_thread::sleep_for(std::chrono::milliseconds(120)); // past kForeignCheckInterval (50 ms)
  EXPECT_EQ(read(*store, "v"), "three");
}

TEST(StringReadCacheTest, ReadingMoreValuesThanTheCacheHoldsGivesEachItsOwnText) {
  TempDir dir;
  // More names than the cache has slots, so that they share slots and replace each other, in several keys.
  constexpr int kValues = 6000, kKeys = 7;
  std::string text = test::storetest::userHeader();
  for (int k = 0; k < kKeys; ++k) {
    text += "\n[Software\\\\Acme\\\\K" + std::to_string(k) + "] 1700000000\n#time=1da0f4b6f4b6f40\n";
    for (int i = k; i < kValues; i += kKeys)
      text += "\"v" + std::to_string(i) + "\"=\"" + std::to_string(i * 31) + "\"\n";
  }
  test::writeFile(dir.path() / "user.reg", text);
  auto store = hive::openHiveStore(dir.str());
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < kValues; ++i) {
      std::string subkey = "K", name = "v";
      subkey += std::to_string(i % kKeys);
      name += std::to_string(i);
      ASSERT_EQ(read(*store, subkey, name), std::to_string(i * 31)) << i;
    }
}
