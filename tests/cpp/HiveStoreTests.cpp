// The hive store's Backend operations: success and every error code, the prefix layout, Wine's headers and
// timestamps, atomic saves. Links, limits, concurrency, wineserver and corrupt files have their own files.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <set>
#include <span>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>

#include "registry/hive/HiveFormat.h"
#include "registry/hive/IoError.h"
#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

const std::string kUserHeader =
    "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\User\\\\S-1-5-21-0-0-0-1000\n\n#arch=win64\n";
const std::string kSystemHeader =
    "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\n\n#arch=win64\n";
const std::string kUserDefaultHeader =
    "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\User\\\\.Default\n\n#arch=win64\n";

std::set<std::string> filesIn(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

// Scoped environment variable, restored at the end of the test.
class EnvVar {
public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~EnvVar() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

private:
  const char* name_;
  std::optional<std::string> old_;
};

} // namespace

TEST(HiveStoreTest, ReportsKindAndLocation) {
  TempDir dir;
  auto store = openStore(dir.path());
  EXPECT_EQ(store->kind(), "hive");
  EXPECT_EQ(store->location(), dir.str());
}

TEST(HiveStoreTest, DefaultPrefixFollowsTheEnvironment) {
  {
    EnvVar prefix("REGBRIDGE_PREFIX", "/somewhere/prefix");
    EXPECT_EQ(hive::defaultPrefix(), "/somewhere/prefix");
  }
  {
    EnvVar prefix("REGBRIDGE_PREFIX", nullptr);
    EnvVar data("XDG_DATA_HOME", "/data/home");
    EXPECT_EQ(hive::defaultPrefix(), "/data/home/regbridge");
  }
  {
    EnvVar prefix("REGBRIDGE_PREFIX", "");
    EnvVar data("XDG_DATA_HOME", "relative/is/ignored");
    EnvVar home("HOME", "/home/someone");
    EXPECT_EQ(hive::defaultPrefix(), "/home/someone/.local/share/regbridge");
  }
}

TEST(HiveStoreTest, MissingPrefixReadsAsEmptyHivesAndIsNotCreatedByReads) {
  TempDir dir;
  fs::path prefix = dir.path() / "not-yet";
  auto store = openStore(prefix);
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software")));
  EXPECT_TRUE(store->keyExists(key("HKCU")));
  EXPECT_TRUE(store->keyExists(key("HKCR")));
  EXPECT_TRUE(store->listSubkeys(key("HKLM"), {}).empty());
  EXPECT_TRUE(store->listSubkeys(key("HKCR"), {}).empty());
  auto e = expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKCU\\Software\\X"), "v", {}); });
  EXPECT_EQ(e.key(), "HKCU\\Software\\X");
  EXPECT_FALSE(fs::exists(prefix));

  store->writeValue(key("HKCU\\Software\\X"), "v", REG_SZ, sz("hello"));
  EXPECT_TRUE(fs::is_directory(prefix));
  EXPECT_EQ(textOf(store->readValue(key("HKCU\\Software\\X"), "v", {})), "hello");
}

TEST(HiveStoreTest, ReadsNeverCreateHiveFiles) {
  TempDir dir;
  auto store = openStore(dir.path());
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software")));
  EXPECT_FALSE(store->keyExists(key("HKU\\.Default\\Software")));
  store->listSubkeys(key("HKCU"), {});
  store->getKeyInfo(key("HKU"), {});
  for (const char* name : {"system.reg", "user.reg", "userdef.reg"}) EXPECT_FALSE(fs::exists(dir.path() / name));
}

TEST(HiveStoreTest, FirstWriteCreatesOnlyThatHiveWithWinesHeader) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Vendor"), "Name", REG_SZ, sz("x"));
  ASSERT_TRUE(fs::exists(dir.path() / "user.reg"));
  EXPECT_FALSE(fs::exists(dir.path() / "system.reg"));
  EXPECT_FALSE(fs::exists(dir.path() / "userdef.reg"));
  std::string user = readFile(dir.path() / "user.reg");
  EXPECT_EQ(user.substr(0, kUserHeader.size()), kUserHeader);
  EXPECT_NE(user.find("\n[Software\\\\Vendor] "), std::string::npos) << user;
  EXPECT_NE(user.find("\n\"Name\"=\"x\"\n"), std::string::npos) << user;

  store->createKey(key("HKLM\\Software\\Vendor"));
  EXPECT_EQ(readFile(dir.path() / "system.reg").substr(0, kSystemHeader.size()), kSystemHeader);
  store->createKey(key("HKU\\.Default\\Software\\Vendor"));
  EXPECT_EQ(readFile(dir.path() / "userdef.reg").substr(0, kUserDefaultHeader.size()), kUserDefaultHeader);

  // What we wrote is what Wine would write: it parses cleanly and reproduces itself.
  for (const char* name : {"system.reg", "user.reg", "userdef.reg"}) {
    std::string text = readFile(dir.path() / name);
    auto parsed = hive::parseHive(text);
    EXPECT_TRUE(parsed.issues.empty()) << name;
    EXPECT_EQ(hive::saveHive(parsed.hive), text) << name;
  }
}

TEST(HiveStoreTest, NewHiveTakesTheArchOfTheOthers) {
  TempDir dir;
  writeFile(dir.path() / "system.reg",
            "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\n\n#arch=win32\n"
            "\n[Software] 1700000000\n#time=1da0f4b6f4b6f40\n");
  auto store = openStore(dir.path());
  store->createKey(key("HKCU\\Software"));
  EXPECT_NE(readFile(dir.path() / "user.reg").find("\n#arch=win32\n"), std::string::npos);
}

TEST(HiveStoreTest, ValuesOfEveryTypeRoundTrip) {
  TempDir dir;
  auto store = openStore(dir.path());
  const auto k = key("HKCU\\Software\\Types");
  struct Case {
    std::string name;
    std::uint32_t type;
    std::vector<std::uint8_t> data;
  };
  std::vector<std::uint8_t> multi = sz("a");
  for (auto b : sz("b")) multi.push_back(b);
  multi.push_back(0);
  multi.push_back(0);
  std::vector<std::uint8_t> big(3000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = std::uint8_t(i * 7);
  const std::vector<Case> cases = {
      {"sz", REG_SZ, sz("text with \"quotes\", \\backslashes\\ and \xc3\xa9\xe2\x82\xac")},
      {"expand", REG_EXPAND_SZ, sz("%SystemRoot%\\x")},
      {"multi", REG_MULTI_SZ, multi},
      {"dword", REG_DWORD, dword(0x1f)},
      {"dword-short", REG_DWORD, {1, 2}},
      {"qword", REG_QWORD, {1, 2, 3, 4, 5, 6, 7, 8}},
      {"binary", REG_BINARY, big},
      {"empty", REG_BINARY, {}},
      {"none", REG_NONE, {}},
      {"odd", 0xffff0011u, {9, 8, 7}},
      {"sz-unterminated", REG_SZ, {'a', 0}},
  };
  for (const auto& c : cases) store->writeValue(k, c.name, c.type, c.data);
  // A fresh store reads them back from the file, not from memory.
  auto again = openStore(dir.path());
  for (const auto& c : cases) {
    RawValue v = again->readValue(k, c.name, {});
    EXPECT_EQ(v.type, c.type) << c.name;
    EXPECT_EQ(v.data, c.data) << c.name;
  }
}

TEST(HiveStoreTest, ReadValueErrors) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\App"), "present", REG_DWORD, dword(1));
  auto missingValue =
      expectError(ErrorCode::ValueNotFound, [&] { store->readValue(key("HKCU\\Software\\App"), "absent", {}); });
  EXPECT_EQ(missingValue.key(), "HKCU\\Software\\App");
  EXPECT_EQ(missingValue.valueName(), std::optional<std::string>("absent"));
  EXPECT_NE(std::string(missingValue.what()).find("absent"), std::string::npos);

  auto noDefault = expectError(ErrorCode::ValueNotFound, [&] { store->readValue(key("HKCU\\Software\\App"), "", {}); });
  EXPECT_NE(std::string(noDefault.what()).find("default value"), std::string::npos);

  auto missingKey = expectError(ErrorCode::KeyNotFound,
                                [&] { store->readValue(key("hkcu\\Software\\Nope\\Deeper"), "present", {}); });
  EXPECT_EQ(missingKey.key(), "hkcu\\Software\\Nope\\Deeper");
  EXPECT_NE(std::string(missingKey.what()).find("hkcu\\Software\\Nope\\Deeper"), std::string::npos);
}

// visitValue reads in place what readValue copies: the same type and bytes, the same errors.
TEST(HiveStoreTest, VisitValueSeesWhatReadValueReturns) {
  TempDir dir;
  auto store = openStore(dir.path());
  const auto k = key("HKCU\\Software\\Visit");
  store->writeValue(k, "Name", REG_SZ, sz("in place"));
  struct Seen {
    std::uint32_t type = 0;
    std::vector<std::uint8_t> bytes;
  } seen;
  auto visit = [&](const KeyPath& path, std::string_view name) {
    store->visitValue(
        path, name, {},
        [](void* context, std::uint32_t type, std::span<const std::uint8_t> bytes) {
          auto& out = *static_cast<Seen*>(context);
          out.type = type;
          out.bytes.assign(bytes.begin(), bytes.end());
        },
        &seen);
  };
  visit(k, "name"); // names compare case-insensitively, as in readValue
  RawValue read = store->readValue(k, "Name", {});
  EXPECT_EQ(seen.type, read.type);
  EXPECT_EQ(seen.bytes, read.data);
  auto missingValue = expectError(ErrorCode::ValueNotFound, [&] { visit(k, "absent"); });
  EXPECT_EQ(missingValue.valueName(), std::optional<std::string>("absent"));
  expectError(ErrorCode::KeyNotFound, [&] { visit(key("HKCU\\Software\\Nope"), "Name"); });
}

TEST(HiveStoreTest, EmptyNameIsTheDefaultValue) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\App"), "", REG_SZ, sz("default"));
  EXPECT_EQ(textOf(store->readValue(key("HKCU\\Software\\App"), "", {})), "default");
  EXPECT_NE(readFile(dir.path() / "user.reg").find("\n@=\"default\"\n"), std::string::npos);
  auto values = store->listValues(key("HKCU\\Software\\App"), {});
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].name, "");
}

TEST(HiveStoreTest, NamesAreCaseInsensitiveAndKeepTheirCase) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\MyApp"), "Name", REG_SZ, sz("one"));
  EXPECT_EQ(textOf(store->readValue(key("hkey_current_user\\SOFTWARE\\myapp"), "NAME", {})), "one");
  store->writeValue(key("HKCU\\software\\MYAPP"), "nAmE", REG_SZ, sz("two"));
  auto values = store->listValues(key("HKCU\\Software\\MyApp"), {});
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].name, "Name");
  EXPECT_EQ(store->listSubkeys(key("HKCU\\Software"), {}), std::vector<std::string>{"MyApp"});
  // Non-ASCII names fold too, as Wine folds them.
  store->createKey(key("HKCU\\Software\\\xc3\x89t\xc3\xa9"));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\\xc3\xa9T\xc3\x89")));
}

TEST(HiveStoreTest, ListsInWinesOrder) {
  TempDir dir;
  auto store = openStore(dir.path());
  const auto k = key("HKCU\\Software\\Order");
  for (const char* name : {"b", "A", "_x", "a1", "B2"}) store->writeValue(k, name, REG_DWORD, dword(0));
  for (const char* name : {"zeta", "Alpha", "_under", "alpha2"})
    store->createKey(key("HKCU\\Software\\Order\\" + std::string(name)));
  std::vector<std::string> valueNames;
  for (const auto& v : store->listValues(k, {})) valueNames.push_back(v.name);
  EXPECT_EQ(valueNames, (std::vector<std::string>{"_x", "A", "a1", "b", "B2"}));
  EXPECT_EQ(store->listSubkeys(k, {}), (std::vector<std::string>{"_under", "Alpha", "alpha2", "zeta"}));
}

TEST(HiveStoreTest, ListErrorsOnMissingKeys) {
  TempDir dir;
  auto store = openStore(dir.path());
  expectError(ErrorCode::KeyNotFound, [&] { store->listValues(key("HKCU\\Nope"), {}); });
  expectError(ErrorCode::KeyNotFound, [&] { store->listSubkeys(key("HKCU\\Nope"), {}); });
  expectError(ErrorCode::KeyNotFound, [&] { store->getKeyInfo(key("HKCU\\Nope"), {}); });
}

TEST(HiveStoreTest, GetKeyInfoReportsCountsTimeAndClass) {
  TempDir dir;
  writeFile(dir.path() / "user.reg",
            userHeader() + "\n[Software\\\\Classy] 1700000000\n#time=1da0f4b6f4b6f40\n#class=\"MyClass\"\n"
                           "\"a\"=dword:00000001\n"
                           "\n[Software\\\\Classy\\\\Sub] 1700000000\n#time=1da0f4b6f4b6f40\n");
  auto store = openStore(dir.path());
  RawKeyInfo info = store->getKeyInfo(key("HKCU\\Software\\Classy"), {});
  EXPECT_EQ(info.subkeyCount, 1u);
  EXPECT_EQ(info.valueCount, 1u);
  EXPECT_EQ(info.lastWriteFileTime, 0x1da0f4b6f4b6f40ull);
  EXPECT_EQ(info.className, std::optional<std::string>("MyClass"));
  EXPECT_FALSE(info.linkTarget);
  EXPECT_FALSE(store->getKeyInfo(key("HKCU\\Software\\Classy\\Sub"), {}).className);
}

TEST(HiveStoreTest, KeyExists) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->createKey(key("HKCU\\Software\\A\\B"));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\A\\B")));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\A")));
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\A\\C")));
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\A\\B\\C")));
  for (const char* root : {"HKLM", "HKCU", "HKCR", "HKU", "HKCC", "HKU\\.Default", "HKU\\S-1-5-21-0-0-0-1000"})
    EXPECT_TRUE(store->keyExists(key(root))) << root;
  EXPECT_FALSE(store->keyExists(key("HKU\\S-1-5-21-9-9-9-9")));
}

TEST(HiveStoreTest, WriteValueCreatesMissingKeysAsRegAdd) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\A\\B\\C"), "v", REG_DWORD, dword(7));
  EXPECT_EQ(store->listSubkeys(key("HKCU\\Software\\A"), {}), std::vector<std::string>{"B"});
  EXPECT_EQ(store->readValue(key("HKCU\\Software\\A\\B\\C"), "v", {}).data, dword(7));
}

TEST(HiveStoreTest, DeleteValue) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\App"), "v", REG_DWORD, dword(7));
  store->deleteValue(key("HKCU\\Software\\App"), "V");
  expectError(ErrorCode::ValueNotFound, [&] { store->readValue(key("HKCU\\Software\\App"), "v", {}); });
  auto again = expectError(ErrorCode::ValueNotFound, [&] { store->deleteValue(key("HKCU\\Software\\App"), "v"); });
  EXPECT_EQ(again.key(), "HKCU\\Software\\App");
  EXPECT_EQ(again.valueName(), std::optional<std::string>("v"));
  expectError(ErrorCode::KeyNotFound, [&] { store->deleteValue(key("HKCU\\Software\\Nope"), "v"); });
  // The key stays, now without values.
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\App")));
  EXPECT_TRUE(openStore(dir.path())->listValues(key("HKCU\\Software\\App"), {}).empty());
}

TEST(HiveStoreTest, CreateKeyIsIdempotentAndRewritesNothingTheSecondTime) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->createKey(key("HKCU\\Software\\New\\Deep"));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\New\\Deep")));
  FileStamp before = stampOf(dir.path() / "user.reg");
  std::string bytes = readFile(dir.path() / "user.reg");
  store->createKey(key("hkcu\\software\\new\\deep"));
  EXPECT_EQ(stampOf(dir.path() / "user.reg"), before);
  EXPECT_EQ(readFile(dir.path() / "user.reg"), bytes);
  // The same for a value written again with the same data: Wine skips it.
  store->writeValue(key("HKCU\\Software\\New"), "same", REG_DWORD, dword(3));
  before = stampOf(dir.path() / "user.reg");
  store->writeValue(key("HKCU\\Software\\New"), "same", REG_DWORD, dword(3));
  EXPECT_EQ(stampOf(dir.path() / "user.reg"), before);
}

TEST(HiveStoreTest, DeleteKey) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Tree\\Leaf"), "v", REG_DWORD, dword(1));
  store->createKey(key("HKCU\\Software\\Tree\\Other\\Deeper"));

  auto busy = expectError(ErrorCode::KeyHasSubkeys, [&] { store->deleteKey(key("HKCU\\Software\\Tree"), false); });
  EXPECT_EQ(busy.key(), "HKCU\\Software\\Tree");
  store->deleteKey(key("HKCU\\Software\\Tree\\Leaf"), false);
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Tree\\Leaf")));
  store->deleteKey(key("HKCU\\software\\tree"), true);
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Tree")));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software")));
  EXPECT_FALSE(openStore(dir.path())->keyExists(key("HKCU\\Software\\Tree\\Other")));

  expectError(ErrorCode::KeyNotFound, [&] { store->deleteKey(key("HKCU\\Software\\Tree"), true); });
  for (const char* root : {"HKLM", "HKCU", "HKCR", "HKU", "HKCC", "HKU\\.Default", "HKU\\S-1-5-21-0-0-0-1000"}) {
    auto denied = expectError(ErrorCode::AccessDenied, [&] { store->deleteKey(key(root), true); });
    EXPECT_EQ(denied.key(), root);
  }
}

TEST(HiveStoreTest, ClassesRootIsSoftwareClassesOfTheMachine) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCR\\.regbridge"), "", REG_SZ, sz("regbridge.file"));
  EXPECT_EQ(textOf(store->readValue(key("HKLM\\Software\\Classes\\.regbridge"), "", {})), "regbridge.file");
  EXPECT_EQ(store->listSubkeys(key("HKEY_CLASSES_ROOT"), {}), std::vector<std::string>{".regbridge"});
  EXPECT_NE(readFile(dir.path() / "system.reg").find("[Software\\\\Classes\\\\.regbridge]"), std::string::npos);
}

TEST(HiveStoreTest, CurrentConfigIsTheCurrentHardwareProfile) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCC\\Software\\Fonts"), "LogPixels", REG_DWORD, dword(96));
  EXPECT_EQ(store
                ->readValue(key("HKLM\\System\\CurrentControlSet\\Hardware Profiles\\Current\\Software\\Fonts"),
                            "LogPixels", {})
                .data,
            dword(96));
}

TEST(HiveStoreTest, UsersListsDefaultAndTheSidOfUserReg) {
  TempDir dir;
  writeFile(dir.path() / "user.reg", userHeader("S-1-5-21-1-2-3-1001") +
                                         "\n[Software\\\\Mine] 1700000000\n#time=1da0f4b6f4b6f40\n\"v\"=\"mine\"\n");
  auto store = openStore(dir.path());
  EXPECT_EQ(store->listSubkeys(key("HKU"), {}), (std::vector<std::string>{".Default", "S-1-5-21-1-2-3-1001"}));
  EXPECT_EQ(store->getKeyInfo(key("HKU"), {}).subkeyCount, 2u);
  EXPECT_EQ(textOf(store->readValue(key("HKU\\s-1-5-21-1-2-3-1001\\Software\\Mine"), "v", {})), "mine");
  EXPECT_FALSE(store->keyExists(key("HKU\\S-1-5-21-0-0-0-1000")));

  store->writeValue(key("HKU\\.DEFAULT\\Software\\Def"), "d", REG_DWORD, dword(1));
  EXPECT_TRUE(fs::exists(dir.path() / "userdef.reg"));
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Def")));

  expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKU\\Other\\Software"), "v", {}); });
  auto denied = expectError(ErrorCode::AccessDenied,
                            [&] { store->writeValue(key("HKU\\Other\\Software"), "v", REG_DWORD, dword(1)); });
  EXPECT_EQ(denied.key(), "HKU\\Other\\Software");
  expectError(ErrorCode::AccessDenied, [&] { store->writeValue(key("HKU"), "v", REG_DWORD, dword(1)); });
  expectError(ErrorCode::ValueNotFound, [&] { store->readValue(key("HKU"), "v", {}); });
  EXPECT_TRUE(store->listValues(key("HKU"), {}).empty());
}

TEST(HiveStoreTest, TimestampsMoveWhereWinesMove) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->createKey(key("HKCU\\Software\\Parent\\Child"));
  store->createKey(key("HKCU\\Software\\Parent\\Sibling"));
  auto timeOf = [&](const char* path) { return store->getKeyInfo(key(path), {}).lastWriteFileTime; };
  const std::uint64_t parent = timeOf("HKCU\\Software\\Parent");
  const std::uint64_t child = timeOf("HKCU\\Software\\Parent\\Child");
  const std::uint64_t sibling = timeOf("HKCU\\Software\\Parent\\Sibling");
  EXPECT_GT(child, kFileTimeUnixEpoch);

  // set_value / delete_value: the key itself, nothing else.
  store->writeValue(key("HKCU\\Software\\Parent\\Child"), "v", REG_DWORD, dword(1));
  EXPECT_GT(timeOf("HKCU\\Software\\Parent\\Child"), child);
  EXPECT_EQ(timeOf("HKCU\\Software\\Parent"), parent);
  const std::uint64_t afterSet = timeOf("HKCU\\Software\\Parent\\Child");
  store->deleteValue(key("HKCU\\Software\\Parent\\Child"), "v");
  EXPECT_GT(timeOf("HKCU\\Software\\Parent\\Child"), afterSet);
  EXPECT_EQ(timeOf("HKCU\\Software\\Parent"), parent);

  // create_key / delete_key: the parent.
  store->createKey(key("HKCU\\Software\\Parent\\Third"));
  const std::uint64_t afterCreate = timeOf("HKCU\\Software\\Parent");
  EXPECT_GT(afterCreate, parent);
  EXPECT_EQ(timeOf("HKCU\\Software\\Parent\\Sibling"), sibling);
  store->deleteKey(key("HKCU\\Software\\Parent\\Third"), false);
  EXPECT_GT(timeOf("HKCU\\Software\\Parent"), afterCreate);
  EXPECT_EQ(timeOf("HKCU\\Software\\Parent\\Sibling"), sibling);
}

TEST(HiveStoreTest, WriteThenDeleteChangesOnlyThatKeysTimeLines) {
  TempDir dir;
  copyRealPrefix(dir.path());
  const fs::path user = dir.path() / "user.reg", system = dir.path() / "system.reg",
                 userdef = dir.path() / "userdef.reg";
  const std::string userBefore = readFile(user), systemBefore = readFile(system), userdefBefore = readFile(userdef);
  const FileStamp systemStamp = stampOf(system), userdefStamp = stampOf(userdef);

  auto store = openStore(dir.path());
  const auto colors = key("HKCU\\Control Panel\\Colors");
  ASSERT_TRUE(store->keyExists(colors));
  store->writeValue(colors, "RegbridgeProbe", REG_SZ, sz("probe"));
  store->deleteValue(colors, "RegbridgeProbe");

  auto before = linesOf(userBefore), after = linesOf(readFile(user));
  ASSERT_EQ(before.size(), after.size());
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < before.size(); ++i)
    if (before[i] != after[i]) changed.push_back(i);
  ASSERT_GE(changed.size(), 1u);
  ASSERT_LE(changed.size(), 2u);
  for (std::size_t i : changed) {
    bool keyLine = after[i].rfind("[Control Panel\\\\Colors] ", 0) == 0;
    bool timeLine =
        after[i].rfind("#time=", 0) == 0 && i > 0 && after[i - 1].rfind("[Control Panel\\\\Colors] ", 0) == 0;
    EXPECT_TRUE(keyLine || timeLine) << "line " << i + 1 << " changed: " << after[i];
  }
  // The other hives were never rewritten: same bytes, same inode, same mtime.
  EXPECT_EQ(readFile(system), systemBefore);
  EXPECT_EQ(readFile(userdef), userdefBefore);
  EXPECT_EQ(stampOf(system), systemStamp);
  EXPECT_EQ(stampOf(userdef), userdefStamp);
}

TEST(HiveStoreTest, AtomicSavesLeaveNoTemporaryFiles) {
  TempDir dir;
  auto store = openStore(dir.path());
  // A leftover of a writer that crashed mid-save is cleaned up by the next writer (it holds the lock, so no one
  // else can be writing one).
  writeFile(dir.path() / "user.reg.99999.0.regbridge-tmp", "half a hive");
  for (int i = 0; i < 20; ++i)
    store->writeValue(key("HKCU\\Software\\T"), cat({"v", std::to_string(i)}), REG_DWORD, dword(i));
  store->writeValue(key("HKLM\\Software\\T"), "v", REG_DWORD, dword(1));
  store->flush();
  EXPECT_EQ(filesIn(dir.path()), (std::set<std::string>{".regbridge.lock", "system.reg", "user.reg"}));
}

TEST(HiveStoreTest, SaveKeepsTheFilesMode) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->createKey(key("HKCU\\Software\\Mode"));
  ASSERT_EQ(::chmod((dir.path() / "user.reg").c_str(), 0640), 0);
  store->writeValue(key("HKCU\\Software\\Mode"), "v", REG_DWORD, dword(1));
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "user.reg").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST(HiveStoreTest, SymlinkedHiveStaysASymlink) {
  TempDir dir;
  fs::create_directory(dir.path() / "prefix");
  writeFile(dir.path() / "real-user.reg", userHeader());
  fs::create_symlink(dir.path() / "real-user.reg", dir.path() / "prefix" / "user.reg");
  auto store = openStore(dir.path() / "prefix");
  store->writeValue(key("HKCU\\Software\\Linked"), "v", REG_DWORD, dword(5));
  EXPECT_TRUE(fs::is_symlink(dir.path() / "prefix" / "user.reg"));
  EXPECT_NE(readFile(dir.path() / "real-user.reg").find("[Software\\\\Linked]"), std::string::npos);
}

TEST(HiveStoreTest, WithoutALockFileReadsWorkAndWritesAreDenied) {
  TempDir dir;
  copyRealPrefix(dir.path());
  // A lock file that cannot be opened (here a folder of that name; on a read-only prefix, EROFS or EACCES).
  fs::create_directory(dir.path() / ".regbridge.lock");
  auto store = openStore(dir.path());
  EXPECT_TRUE(store->keyExists(key("HKCU\\Control Panel\\Colors")));
  auto e = expectError(ErrorCode::AccessDenied,
                       [&] { store->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(1)); });
  EXPECT_NE(std::string(e.what()).find(".regbridge.lock"), std::string::npos) << e.what();
  EXPECT_EQ(e.key(), "HKCU\\Software\\X");

  // Reads then check the files as for a foreign edit: another writer's change is seen within the window (50 ms).
  auto other = openStore(dir.path());
  fs::remove(dir.path() / ".regbridge.lock");
  other->writeValue(key("HKCU\\Software\\X"), "v", REG_DWORD, dword(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_EQ(store->readValue(key("HKCU\\Software\\X"), "v", {}).data, dword(2));
}

TEST(HiveStoreTest, ErrnoMapsToAccessDeniedOrIo) {
  EXPECT_EQ(hive::errorCodeForErrno(EACCES), ErrorCode::AccessDenied);
  EXPECT_EQ(hive::errorCodeForErrno(EPERM), ErrorCode::AccessDenied);
  EXPECT_EQ(hive::errorCodeForErrno(EROFS), ErrorCode::AccessDenied);
  EXPECT_EQ(hive::errorCodeForErrno(ENOSPC), ErrorCode::Io);
  try {
    hive::throwSystemError(EIO, "cannot write /p/user.reg", "HKCU\\X");
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.code(), ErrorCode::Io);
    EXPECT_EQ(e.nativeCode(), std::optional<std::int64_t>(EIO));
    EXPECT_EQ(e.key(), "HKCU\\X");
    EXPECT_NE(std::string(e.what()).find("/p/user.reg"), std::string::npos);
  }
}

TEST(HiveStoreTest, FailedSaveIsAnErrorAndLeavesMemoryAsTheDisk) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Keep"), "v", REG_DWORD, dword(1));
  const std::string bytes = readFile(dir.path() / "user.reg");
  {
    // A file size limit makes the temporary file's write fail (EFBIG) while reads go on: a disk-full stand-in.
    FileSizeLimit limit(64);
    auto e =
        expectError(ErrorCode::Io, [&] { store->writeValue(key("HKCU\\Software\\Lost"), "v", REG_DWORD, dword(1)); });
    EXPECT_EQ(e.key(), "HKCU\\Software\\Lost");
    EXPECT_EQ(e.nativeCode(), std::optional<std::int64_t>(EFBIG));
    EXPECT_NE(std::string(e.what()).find("user.reg"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Lost")));
  EXPECT_TRUE(store->keyExists(key("HKCU\\Software\\Keep")));
  EXPECT_EQ(readFile(dir.path() / "user.reg"), bytes);
  EXPECT_EQ(filesIn(dir.path()), (std::set<std::string>{".regbridge.lock", "user.reg"}));
}

TEST(HiveStoreTest, FlushSucceeds) {
  TempDir dir;
  auto store = openStore(dir.path() / "p");
  store->flush(); // nothing written yet, no folder: nothing to do
  store->writeValue(key("HKCU\\Software\\F"), "v", REG_DWORD, dword(1));
  store->writeValue(key("HKLM\\Software\\F"), "v", REG_DWORD, dword(1));
  store->flush();
  EXPECT_EQ(store->readValue(key("HKLM\\Software\\F"), "v", {}).data, dword(1));
}
