// The hive store's index of keys by the text of their path (registry/hive/PathIndex.h), as the operations reach it
// (visitValueAt, keyExistsAt): a key found once is found again from the index, and every change to the trees — a key
// deleted, created or renamed, a link whose target changes, a file edited by another program — is seen at once, in
// every view and case, with the same errors as a walk.
#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <thread>

#include "registry/Operations.h"
#include "registry/hive/HiveCache.h"
#include "tests/cpp/StoreTestSupport.h"

using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

struct Seen {
  std::uint32_t type = 0;
  std::vector<std::uint8_t> bytes;
};

Seen visitAt(Backend& store, const std::string& key, const std::string& name, RegistryView view = RegistryView::Default,
             bool openLink = false) {
  Seen seen;
  store.visitValueAt(
      key, view, name, {openLink},
      [](void* context, std::uint32_t type, std::span<const std::uint8_t> bytes) {
        auto& out = *static_cast<Seen*>(context);
        out.type = type;
        out.bytes.assign(bytes.begin(), bytes.end());
      },
      &seen);
  return seen;
}

std::string textAt(Backend& store, const std::string& key, const std::string& name,
                   RegistryView view = RegistryView::Default) {
  return textOf(RawValue{0, visitAt(store, key, name, view).bytes});
}

// A link key in system.reg, `Software\Link`, to `Software\Target<n>`, and both targets with a value "v".
std::string systemWithLinkTo(int n) {
  return asWineWrites(systemHeader() +
                      linkKeyLines("Software\\\\Link", "\\Registry\\Machine\\Software\\Target" + std::to_string(n)) +
                      "\n[Software\\\\Target1] 1699121962\n#time=1da0f4b6f4b6f40\n\"v\"=\"one\"\n"
                      "\n[Software\\\\Target2] 1699121962\n#time=1da0f4b6f4b6f40\n\"v\"=\"two\"\n");
}

} // namespace

TEST(PathIndexTest, AKeyFoundAgainInAnyCaseIsTheSameKey) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\MyApp"), "Name", REG_SZ, sz("one"));
  EXPECT_EQ(textAt(*store, "HKCU\\Software\\MyApp", "Name"), "one");
  EXPECT_EQ(textAt(*store, "HKCU\\Software\\MyApp", "Name"), "one");
  EXPECT_EQ(textAt(*store, "hkey_current_user\\SOFTWARE\\myapp", "NAME"), "one");
  EXPECT_EQ(textAt(*store, "hKcU\\sOfTwArE\\MYAPP", "name"), "one");
  EXPECT_TRUE(store->keyExistsAt("HKCU\\software\\MYAPP", RegistryView::Default));
  // A name that differs by more than case is another key.
  expectError(ErrorCode::KeyNotFound, [&] { visitAt(*store, "HKCU\\Software\\MyApp2", "Name"); });
  EXPECT_FALSE(store->keyExistsAt("HKCU\\Software\\MyAp", RegistryView::Default));
}

TEST(PathIndexTest, DeletedCreatedAndRenamedKeysAreSeenAtOnce) {
  TempDir dir;
  auto store = openStore(dir.path());
  const std::string path = "HKCU\\Software\\Gone";
  store->writeValue(key(path), "v", REG_SZ, sz("first"));
  EXPECT_EQ(textAt(*store, path, "v"), "first");
  EXPECT_TRUE(store->keyExistsAt(path, RegistryView::Default));

  store->deleteKey(key(path), true);
  auto missing = expectError(ErrorCode::KeyNotFound, [&] { visitAt(*store, path, "v"); });
  EXPECT_EQ(missing.key(), path);
  EXPECT_FALSE(store->keyExistsAt(path, RegistryView::Default));

  // Created again, under another case (a rename, as far as the tree can tell): a new key, found.
  store->writeValue(key("HKCU\\SOFTWARE\\GONE"), "v", REG_SZ, sz("second"));
  EXPECT_EQ(textAt(*store, path, "v"), "second");
  EXPECT_EQ(store->listSubkeys(key("HKCU\\Software"), {}), std::vector<std::string>{"GONE"});

  // A value deleted from a key found before.
  store->deleteValue(key(path), "v");
  expectError(ErrorCode::ValueNotFound, [&] { visitAt(*store, path, "v"); });
  EXPECT_TRUE(store->keyExistsAt(path, RegistryView::Default));
}

TEST(PathIndexTest, ALinksNewTargetIsFollowed) {
  TempDir dir;
  writeFile(dir.path() / "system.reg", systemWithLinkTo(1));
  auto store = openStore(dir.path());
  EXPECT_EQ(textAt(*store, "HKLM\\Software\\Link", "v"), "one");
  // The link opened itself is another entry than the link followed.
  EXPECT_EQ(visitAt(*store, "HKLM\\Software\\Link", "SymbolicLinkValue", RegistryView::Default, true).type, REG_LINK);
  expectError(ErrorCode::ValueNotFound, [&] { visitAt(*store, "HKLM\\Software\\Link", "SymbolicLinkValue"); });

  // The target deleted: the link is broken, and says so.
  store->deleteKey(key("HKLM\\Software\\Target1"), true);
  auto broken = expectError(ErrorCode::KeyNotFound, [&] { visitAt(*store, "HKLM\\Software\\Link", "v"); });
  EXPECT_NE(std::string(broken.what()).find("does not exist"), std::string::npos) << broken.what();
  EXPECT_FALSE(store->keyExistsAt("HKLM\\Software\\Link", RegistryView::Default));

  // Another program points the link elsewhere (a foreign edit, found by the next check of the files).
  const auto before = std::filesystem::last_write_time(dir.path() / "system.reg");
  writeFile(dir.path() / "system.reg", systemWithLinkTo(2));
  std::filesystem::last_write_time(dir.path() / "system.reg", before + std::chrono::seconds(2));
  std::this_thread::sleep_for(hive::kForeignCheckInterval + std::chrono::milliseconds(20));
  EXPECT_EQ(textAt(*store, "HKLM\\Software\\Link", "v"), "two");
  EXPECT_TRUE(store->keyExistsAt("HKLM\\Software\\Link", RegistryView::Default));
}

TEST(PathIndexTest, EachViewFindsItsOwnKey) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKLM\\Software\\App"), "v", REG_SZ, sz("64-bit"));
  store->writeValue(key("HKLM\\Software\\Wow6432Node\\App"), "v", REG_SZ, sz("32-bit"));
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(textAt(*store, "HKLM\\Software\\App", "v"), "64-bit");
    EXPECT_EQ(textAt(*store, "HKLM\\Software\\App", "v", RegistryView::Bits64), "64-bit");
    EXPECT_EQ(textAt(*store, "HKLM\\Software\\App", "v", RegistryView::Bits32), "32-bit");
  }
}

TEST(PathIndexTest, ErrorsAreThoseOfTheWalk) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\App"), "v", REG_DWORD, dword(1));
  for (int round = 0; round < 2; ++round) {
    expectError(ErrorCode::InvalidPath, [&] { visitAt(*store, "HKXX\\Software\\App", "v"); });
    expectError(ErrorCode::InvalidPath, [&] { visitAt(*store, "HKCU\\Software\\\\App", "v"); });
    expectError(ErrorCode::InvalidPath, [&] { store->keyExistsAt("HKCU\\Software\\App\\", RegistryView::Default); });
    // A bad path is reported before a bad name, found key or not.
    expectError(ErrorCode::InvalidPath, [&] { visitAt(*store, "HKXX\\App", std::string(20000, 'n')); });
    expectError(ErrorCode::InvalidArgument, [&] { visitAt(*store, "HKCU\\Software\\App", std::string(20000, 'n')); });
    expectError(ErrorCode::InvalidArgument, [&] { visitAt(*store, "HKCU\\Software\\App", "\xff"); });
    auto absent = expectError(ErrorCode::ValueNotFound, [&] { visitAt(*store, "HKCU\\software\\app", "absent"); });
    EXPECT_EQ(absent.key(), "HKCU\\software\\app");
    EXPECT_EQ(visitAt(*store, "HKCU\\Software\\App", "V").type, REG_DWORD);
  }
}

TEST(PathIndexTest, NonAsciiPathsFoldAsWineFolds) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\\xc3\x89t\xc3\xa9"), "v", REG_SZ, sz("summer"));
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(textAt(*store, "HKCU\\Software\\\xc3\xa9T\xc3\x89", "v"), "summer");
    EXPECT_TRUE(store->keyExistsAt("HKCU\\Software\\\xc3\x89T\xc3\x89", RegistryView::Default));
  }
}

// The operations the bindings call read through the index and give what they gave before.
TEST(PathIndexTest, OperationsReadThroughIt) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Ops"), "s", REG_SZ, sz("text"));
  store->writeValue(key("HKCU\\Software\\Ops"), "d", REG_DWORD, dword(7));
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(ReadStringValue::run(*store, {"HKCU\\Software\\Ops", "S"}), "text");
    RegValue d = ReadValue::run(*store, {"hkcu\\software\\ops", "d"});
    EXPECT_EQ(d.type.code, REG_DWORD);
    EXPECT_EQ(d.data, ValueData(std::int64_t{7}));
    RegValue raw = ReadValue::run(*store, {"HKCU\\Software\\Ops", "d", true});
    EXPECT_EQ(raw.data, ValueData(Bytes{dword(7)}));
    EXPECT_TRUE(KeyExists::run(*store, {"HKCU\\Software\\OPS"}));
    expectError(ErrorCode::WrongType, [&] { ReadStringValue::run(*store, {"HKCU\\Software\\Ops", "d"}); });
  }
}

// The index is the opening thread's; reads on other threads walk, and find the same.
TEST(PathIndexTest, OtherThreadsFindTheSameByWalking) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Threads"), "v", REG_SZ, sz("shared"));
  EXPECT_EQ(textAt(*store, "HKCU\\Software\\Threads", "v"), "shared");
  std::string seen;
  bool exists = false;
  std::thread other([&] {
    seen = textAt(*store, "hkcu\\software\\threads", "V");
    exists = store->keyExistsAt("HKCU\\Software\\Threads", RegistryView::Default);
  });
  other.join();
  EXPECT_EQ(seen, "shared");
  EXPECT_TRUE(exists);
  store->deleteKey(key("HKCU\\Software\\Threads"), true);
  std::thread after([&] { exists = store->keyExistsAt("HKCU\\Software\\Threads", RegistryView::Default); });
  after.join();
  EXPECT_FALSE(exists);
  EXPECT_FALSE(store->keyExistsAt("HKCU\\Software\\Threads", RegistryView::Default));
}

// A store opened on one thread and read on others (a server): the first thread that answers from memory takes the
// index, and sees every change made from any thread; the others, the opener too now, walk and find the same.
TEST(PathIndexTest, AThreadAnsweringFromMemoryTakesTheIndexOfAStoreOpenedElsewhere) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Served"), "v", REG_SZ, sz("first"));
  // A reader that may block loads the hive (and takes nothing: it neither opened the store nor answers at once).
  std::thread([&] { EXPECT_EQ(textAt(*store, "HKCU\\Software\\Served", "v"), "first"); }).join();
  auto fromMemory = [&](const std::string& path) {
    std::string text;
    std::optional<ErrorCode> code;
    std::thread([&] {
      // A read that finds the store's look at the files due (every kForeignCheckInterval; a slow run, under the
      // sanitizers on a busy machine, takes that long between two reads) must not stat them here: it says WouldBlock,
      // as it should. Then a read that may block takes the look, and the read from memory is tried again.
      for (int attempt = 0; attempt < 20; ++attempt) {
        try {
          NoBlockingScope scope;
          text = textAt(*store, path, "v");
          return;
        } catch (const RegistryError& error) {
          code = error.code();
          return;
        } catch (const WouldBlock&) {
          try {
            textAt(*store, path, "v");
          } catch (const RegistryError&) {}
        }
      }
      ADD_FAILURE() << "every read of " << path << " from memory found the look at the files due";
    }).join();
    return std::pair(text, code);
  };
  // std::thread ids may be reused once a thread has ended, so each of these may or may not be the owner: either
  // way they must read what is there.
  EXPECT_EQ(fromMemory("hkcu\\software\\served").first, "first");
  EXPECT_EQ(fromMemory("HKCU\\Software\\Served").first, "first");
  store->writeValue(key("HKCU\\Software\\Served"), "v", REG_SZ, sz("second"));
  EXPECT_EQ(fromMemory("HKCU\\Software\\Served").first, "second");
  store->deleteKey(key("HKCU\\Software\\Served"), true);
  EXPECT_EQ(fromMemory("HKCU\\Software\\Served").second, std::optional(ErrorCode::KeyNotFound));
  expectError(ErrorCode::KeyNotFound, [&] { visitAt(*store, "HKCU\\Software\\Served", "v"); });
}
