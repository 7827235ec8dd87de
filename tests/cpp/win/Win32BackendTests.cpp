// The Win32 backend through the operations, as the addon and the server call it: round trips of every type,
// listing, key info, creating and deleting, and the errors the hive store gives for the same cases.
#include "tests/cpp/win/Win32TestSupport.h"

#include "registry/win/WideText.h"
#include "registry/win/Win32Backend.h"

#include <windows.h>

namespace regbridge::test {
namespace {

class Win32BackendTest : public ScratchKeyTest {};

TEST_F(Win32BackendTest, NamesItselfWin32WithNoLocation) {
  EXPECT_EQ(backend().kind(), "win32");
  EXPECT_EQ(backend().location(), "");
  // The factory picks it on Windows when no prefix is given, and names why a prefix cannot be served.
  EXPECT_EQ(openBackend({})->kind(), "win32");
  auto error = errorOf([] { openBackend({"C:\\some\\prefix"}); });
  EXPECT_EQ(error.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(std::string(error.what()).find("hive store"), std::string::npos) << error.what();
}

TEST_F(Win32BackendTest, EveryTypeRoundTrips) {
  const std::vector<NamedValue> written{
      {"sz", {REG_SZ}, std::string("text \xC3\xA9\xF0\x9F\x98\x80")},
      {"expand", {REG_EXPAND_SZ}, std::string("%SystemRoot%\\x")},
      {"multi", {REG_MULTI_SZ}, std::vector<std::string>{"a", "bc", "d"}},
      {"dword", {REG_DWORD}, std::int64_t(0xFFFFFFFF)},
      {"big", {REG_DWORD_BIG_ENDIAN}, std::int64_t(0x01020304)},
      {"qword", {REG_QWORD}, std::uint64_t(0x0102030405060708ULL)},
      {"binary", {REG_BINARY}, Bytes{{0, 1, 2, 0xFF}}},
      {"none", {REG_NONE}, Bytes{{}}},
      {"custom", {0x12345}, Bytes{{9, 8, 7}}},
      {"", {REG_SZ}, std::string("the default")},
  };
  for (const auto& v : written) WriteValue::run(backend(), {key(), v.name, {v.type, v.data}});
  for (const auto& v : written) {
    RegValue read = ReadValue::run(backend(), {key(), v.name});
    EXPECT_EQ(read.type, v.type) << v.name;
    EXPECT_EQ(read.data, v.data) << v.name;
  }
  EXPECT_EQ(ReadStringValue::run(backend(), {key(), "sz"}), "text \xC3\xA9\xF0\x9F\x98\x80");
  // The stored bytes are the codec's: a REG_SZ keeps its final NUL, as Windows programs expect.
  RegValue raw = ReadValue::run(backend(), {key(), "sz", true});
  const auto& bytes = std::get<Bytes>(raw.data).bytes;
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(bytes[bytes.size() - 1], 0);
  EXPECT_EQ(bytes[bytes.size() - 2], 0);

  auto listed = ListValues::run(backend(), {key()});
  ASSERT_EQ(listed.size(), written.size());
  for (const auto& v : written) {
    auto it = std::find_if(listed.begin(), listed.end(), [&](const NamedValue& n) { return n.name == v.name; });
    ASSERT_NE(it, listed.end()) << v.name;
    EXPECT_EQ(it->type, v.type) << v.name;
    EXPECT_EQ(it->data, v.data) << v.name;
  }
}

TEST_F(Win32BackendTest, LoneSurrogatesInNamesAndDataSurvive) {
  // WTF-8 for U+D800 alone: the same code units must come back, in names of keys and values and in data.
  const std::string lone = "x\xED\xA0\x80y";
  WriteValue::run(backend(), {key(lone), lone, sz(lone)});
  EXPECT_EQ(ReadStringValue::run(backend(), {key(lone), lone}), lone);
  EXPECT_EQ(ListSubkeys::run(backend(), {key()}), std::vector<std::string>{lone});
  EXPECT_EQ(ListValues::run(backend(), {key(lone)}).at(0).name, lone);
}

TEST_F(Win32BackendTest, NamesAreCaseInsensitiveAndKeepTheirCase) {
  WriteValue::run(backend(), {key("MixedCase"), "ValueName", sz("v")});
  EXPECT_EQ(ReadStringValue::run(backend(), {key("mixedcase"), "VALUENAME"}), "v");
  EXPECT_EQ(ListSubkeys::run(backend(), {key()}), std::vector<std::string>{"MixedCase"});
  EXPECT_EQ(ListValues::run(backend(), {key("MIXEDCASE")}).at(0).name, "ValueName");
}

TEST_F(Win32BackendTest, MissingKeysAndValuesAreTheHiveStoresErrors) {
  auto missingKey = errorOf([&] { ReadValue::run(backend(), {key("nope"), "v"}); });
  EXPECT_EQ(missingKey.code(), ErrorCode::KeyNotFound);
  EXPECT_EQ(std::string(missingKey.what()), "the key '" + key("nope") + "' does not exist");
  EXPECT_EQ(missingKey.key(), key("nope"));

  auto missingValue = errorOf([&] { ReadValue::run(backend(), {key(), "v"}); });
  EXPECT_EQ(missingValue.code(), ErrorCode::ValueNotFound);
  EXPECT_EQ(std::string(missingValue.what()), "the value 'v' does not exist in '" + key() + "'");
  EXPECT_EQ(missingValue.valueName(), std::optional<std::string>("v"));

  auto noDefault = errorOf([&] { ReadValue::run(backend(), {key(), ""}); });
  EXPECT_EQ(noDefault.code(), ErrorCode::ValueNotFound);
  EXPECT_EQ(std::string(noDefault.what()), "the key '" + key() + "' has no default value");

  EXPECT_EQ(errorCodeOf([&] { ListValues::run(backend(), {key("nope")}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { ListSubkeys::run(backend(), {key("nope")}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { GetKeyInfo::run(backend(), {key("nope")}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { DeleteValue::run(backend(), {key("nope"), "v"}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { DeleteValue::run(backend(), {key(), "v"}); }), ErrorCode::ValueNotFound);
  EXPECT_EQ(errorCodeOf([&] { DeleteKey::run(backend(), {key("nope"), false}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { ReadStringValue::run(backend(), {key("nope"), "v"}); }), ErrorCode::KeyNotFound);
}

TEST_F(Win32BackendTest, WriteCreatesMissingParentsAsRegAddDoes) {
  WriteValue::run(backend(), {key("a\\b\\c"), "v", dword(7)});
  EXPECT_TRUE(KeyExists::run(backend(), {key("a")}));
  EXPECT_TRUE(KeyExists::run(backend(), {key("a\\b")}));
  EXPECT_EQ(ReadValue::run(backend(), {key("a\\b\\c"), "v"}), dword(7));
  EXPECT_FALSE(KeyExists::run(backend(), {key("a\\x")}));
  EXPECT_TRUE(KeyExists::run(backend(), {"HKCU"}));
  EXPECT_TRUE(KeyExists::run(backend(), {"HKEY_LOCAL_MACHINE\\Software"}));
}

TEST_F(Win32BackendTest, ListSubkeysAndKeyInfoCountWhatIsThere) {
  CreateKey::run(backend(), {key("one")});
  CreateKey::run(backend(), {key("two")});
  CreateKey::run(backend(), {key("two")}); // idempotent
  WriteValue::run(backend(), {key(), "v1", dword(1)});
  WriteValue::run(backend(), {key(), "v2", dword(2)});
  auto subkeys = ListSubkeys::run(backend(), {key()});
  std::sort(subkeys.begin(), subkeys.end());
  EXPECT_EQ(subkeys, (std::vector<std::string>{"one", "two"}));
  KeyInfo info = GetKeyInfo::run(backend(), {key()});
  EXPECT_EQ(info.subkeyCount, 2u);
  EXPECT_EQ(info.valueCount, 2u);
  EXPECT_FALSE(info.className);
  EXPECT_FALSE(info.linkTarget);
  // A FILETIME of this century: after 2020-01-01 (132223104000000000).
  EXPECT_GT(info.lastWriteTime.fileTime, 132223104000000000ULL);
  EXPECT_TRUE(ListSubkeys::run(backend(), {key("one")}).empty());
  EXPECT_TRUE(ListValues::run(backend(), {key("one")}).empty());
}

TEST_F(Win32BackendTest, DeleteValueRemovesOnlyThatValue) {
  WriteValue::run(backend(), {key(), "keep", dword(1)});
  WriteValue::run(backend(), {key(), "drop", dword(2)});
  DeleteValue::run(backend(), {key(), "DROP"});
  EXPECT_EQ(errorCodeOf([&] { ReadValue::run(backend(), {key(), "drop"}); }), ErrorCode::ValueNotFound);
  EXPECT_EQ(ReadValue::run(backend(), {key(), "keep"}), dword(1));
}

TEST_F(Win32BackendTest, DeleteKeyWithSubkeysNeedsRecursive) {
  WriteValue::run(backend(), {key("parent\\child\\grandchild"), "v", dword(1)});
  auto error = errorOf([&] { DeleteKey::run(backend(), {key("parent"), false}); });
  EXPECT_EQ(error.code(), ErrorCode::KeyHasSubkeys);
  EXPECT_EQ(std::string(error.what()),
            "cannot delete '" + key("parent") + "': it has 1 subkey(s); delete those first or delete recursively");
  EXPECT_TRUE(KeyExists::run(backend(), {key("parent\\child\\grandchild")}));
  DeleteKey::run(backend(), {key("parent"), true});
  EXPECT_FALSE(KeyExists::run(backend(), {key("parent")}));
  // A key without subkeys goes without `recursive`.
  CreateKey::run(backend(), {key("leaf")});
  DeleteKey::run(backend(), {key("leaf"), false});
  EXPECT_FALSE(KeyExists::run(backend(), {key("leaf")}));
}

TEST_F(Win32BackendTest, HiveRootsAreRefused) {
  EXPECT_EQ(errorCodeOf([&] { DeleteKey::run(backend(), {"HKCU", true}); }), ErrorCode::AccessDenied);
  EXPECT_EQ(errorCodeOf([&] { backend().deleteKey(KeyPath::parse("HKCU"), true); }), ErrorCode::AccessDenied);
  EXPECT_EQ(errorCodeOf([&] { CreateKey::run(backend(), {"HKLM"}); }), ErrorCode::InvalidPath);
}

TEST_F(Win32BackendTest, HiveRootsCanBeRead) {
  auto subkeys = ListSubkeys::run(backend(), {"HKEY_CURRENT_USER"});
  EXPECT_NE(std::find_if(subkeys.begin(), subkeys.end(),
                         [](const std::string& s) { return s == "Software" || s == "SOFTWARE"; }),
            subkeys.end());
  EXPECT_GT(GetKeyInfo::run(backend(), {"HKLM"}).subkeyCount, 0u);
  EXPECT_GT(ListSubkeys::run(backend(), {"HKEY_USERS"}).size(), 0u);
}

TEST_F(Win32BackendTest, FlushSucceeds) {
  WriteValue::run(backend(), {key(), "v", dword(1)});
  EXPECT_NO_THROW(Flush::run(backend(), {}));
}

TEST_F(Win32BackendTest, StringDataWithoutFinalNulIsStoredExactly) {
  // RegSetValueExW counts one more unit when the one after the data is NUL; the backend must not let it.
  for (std::vector<std::uint8_t> bytes : {std::vector<std::uint8_t>{'a', 0, 'b', 0}, std::vector<std::uint8_t>{'a'},
                                          std::vector<std::uint8_t>{'a', 0, 'b'}, std::vector<std::uint8_t>{}}) {
    for (std::uint32_t type : {REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ}) {
      WriteValue::run(backend(), {key(), "raw", {{type}, Bytes{bytes}}});
      RegValue read = ReadValue::run(backend(), {key(), "raw", true});
      EXPECT_EQ(read.type.code, type);
      EXPECT_EQ(std::get<Bytes>(read.data).bytes, bytes) << "type " << type << ", " << bytes.size() << " bytes";
    }
  }
}

TEST_F(Win32BackendTest, ValuesAreReplacedInPlace) {
  WriteValue::run(backend(), {key(), "v", sz("first")});
  WriteValue::run(backend(), {key(), "V", dword(2)});
  EXPECT_EQ(ReadValue::run(backend(), {key(), "v"}), dword(2));
  EXPECT_EQ(ListValues::run(backend(), {key()}).size(), 1u);
}

} // namespace
} // namespace regbridge::test

namespace regbridge::test {
namespace {

TEST_F(Win32BackendTest, KeyInfoGivesTheClassAKeyWasMadeWith) {
  const std::wstring path = *win::wideFromUtf8(key("classy").substr(std::string("HKEY_CURRENT_USER\\").size()));
  std::wstring className = L"a class name longer than sixty-four characters, to make the buffer grow: \u00e9\u00e8";
  HKEY made = nullptr;
  ASSERT_EQ(RegCreateKeyExW(HKEY_CURRENT_USER, path.c_str(), 0, className.data(), 0, KEY_READ, nullptr, &made, nullptr),
            ERROR_SUCCESS);
  RegCloseKey(made);
  KeyInfo info = GetKeyInfo::run(backend(), {key("classy")});
  ASSERT_TRUE(info.className);
  EXPECT_EQ(*info.className, win::utf8FromWide(className));
}

} // namespace
} // namespace regbridge::test
