// Async reads are answered on the JS thread only when the store can answer from memory; whenever it would have to
// touch the disk it says so (WouldBlock) and the addon hands the read to a worker.
#include <filesystem>
#include <gtest/gtest.h>

#include "registry/Backend.h"
#include "registry/Operations.h"
#include "registry/hive/HiveStore.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;
using regbridge::test::TempDir;

namespace {
const std::string kKey = "HKCU\\Software\\Acme";

bool readWouldBlock(Backend& backend) {
  NoBlockingScope scope;
  try {
    ReadStringValue::run(backend, {kKey, "v"});
  } catch (const WouldBlock&) {
    return true;
  }
  return false;
}
} // namespace

TEST(NoBlockingScopeTest, AHiveNotLoadedYetWouldBlock) {
  TempDir dir;
  WriteValue::run(*hive::openHiveStore(dir.str()), {kKey, "v", {{REG_SZ}, std::string("one")}});
  auto store = hive::openHiveStore(dir.str());
  EXPECT_TRUE(readWouldBlock(*store));
  EXPECT_EQ(ReadStringValue::run(*store, {kKey, "v"}), "one"); // outside the scope: loads
  EXPECT_FALSE(readWouldBlock(*store));
}

TEST(NoBlockingScopeTest, AnotherWritersChangeWouldBlockUntilReloaded) {
  TempDir dir;
  auto reader = hive::openHiveStore(dir.str());
  auto writer = hive::openHiveStore(dir.str());
  WriteValue::run(*writer, {kKey, "v", {{REG_SZ}, std::string("one")}});
  EXPECT_EQ(ReadStringValue::run(*reader, {kKey, "v"}), "one");
  EXPECT_FALSE(readWouldBlock(*reader));
  WriteValue::run(*writer, {kKey, "v", {{REG_SZ}, std::string("two")}});
  EXPECT_TRUE(readWouldBlock(*reader)); // the generation moved: a reload, which is disk work
  EXPECT_EQ(ReadStringValue::run(*reader, {kKey, "v"}), "two");
}

TEST(NoBlockingScopeTest, APrefixWithoutLockFileIsStillReadFromMemory) {
  // A user who only reads a Wine prefix leaves no lock file in it; its reads must still be answered from memory on
  // the JS thread, not sent to a worker for a stat() each.
  TempDir dir;
  WriteValue::run(*hive::openHiveStore(dir.str()), {kKey, "v", {{REG_SZ}, std::string("one")}});
  std::filesystem::remove(dir.path() / ".regbridge.lock");
  auto reader = hive::openHiveStore(dir.str());
  EXPECT_EQ(ReadStringValue::run(*reader, {kKey, "v"}), "one");
  EXPECT_FALSE(readWouldBlock(*reader));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / ".regbridge.lock"));
}

TEST(NoBlockingScopeTest, TheScopeEndsWithItsBlock) {
  EXPECT_FALSE(blockingForbidden());
  {
    NoBlockingScope outer;
    {
      NoBlockingScope inner;
      EXPECT_TRUE(blockingForbidden());
    }
    EXPECT_TRUE(blockingForbidden());
  }
  EXPECT_FALSE(blockingForbidden());
}
