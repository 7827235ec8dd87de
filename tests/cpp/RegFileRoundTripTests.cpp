// exportKey and importRegFile on the hive store: a subtree of every type written, exported, imported into another
// store and exported again gives the same text and the same stored values; deletions from a .reg file; a syntax
// error changes nothing; views.
#include <gtest/gtest.h>

#include "registry/Operations.h"
#include "registry/regfile/RegFileApply.h"
#include "registry/regfile/RegFileParser.h"
#include "tests/cpp/StoreTestSupport.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

using ByteList = std::vector<std::uint8_t>;

// The bytes of a stored string (tests/cpp/TestSupport.h).
ByteList utf16(std::string_view text, int nuls = 1) { return test::utf16Bytes(text, nuls); }

// A literal with the NULs inside it.
template <std::size_t N> std::string withNuls(const char (&text)[N]) { return std::string(text, N - 1); }

void put(Backend& store, const std::string& key, const std::string& name, std::uint32_t type, const ByteList& data) {
  store.writeValue(OwnedKeyPath(key), name, type, data);
}

std::string exportOf(Backend& store, const std::string& key, RegistryView view = RegistryView::Default) {
  return ExportKey::run(store, {key, view});
}

// Every key under `key` with its values, as "path|name|type|hex" lines, for comparing two stores.
void collect(Backend& store, const std::string& key, std::vector<std::string>& out) {
  OwnedKeyPath path(key);
  out.push_back(key);
  for (const NamedRawValue& value : store.listValues(path, {})) {
    std::string line = key + "|" + value.name + "|" + std::to_string(value.type) + "|";
    for (std::uint8_t byte : value.data) line += std::to_string(byte) + ",";
    out.push_back(line);
  }
  for (const std::string& subkey : store.listSubkeys(path, {})) collect(store, key + "\\" + subkey, out);
}

std::vector<std::string> contents(Backend& store, const std::string& key) {
  std::vector<std::string> out;
  collect(store, key, out);
  return out;
}

// A subtree with a value of every type, non-ASCII and astral names and data, empty strings, MULTI_SZ with empty
// items, long data that wraps, an empty key.
void fill(Backend& store, const std::string& root) {
  put(store, root, "", REG_SZ, utf16("default ✓"));
  put(store, root, "sz", REG_SZ, utf16("C:\\Program Files\\\"quoted\"\r\nnext line"));
  put(store, root, "empty sz", REG_SZ, utf16(""));
  put(store, root, "expand", REG_EXPAND_SZ, utf16("%SystemRoot%\\system32;%PATH%"));
  put(store, root, "empty expand", REG_EXPAND_SZ, {});
  put(store, root, "binary", REG_BINARY, {0x00, 0xff, 0x10, 0x80});
  put(store, root, "empty binary", REG_BINARY, {});
  put(store, root, "dword", REG_DWORD, {0x78, 0x56, 0x34, 0x12});
  put(store, root, "big endian", REG_DWORD_BIG_ENDIAN, {0x12, 0x34, 0x56, 0x78});
  put(store, root, "multi", REG_MULTI_SZ, utf16(withNuls("one\0\0three 😀\0"), 1));
  put(store, root, "multi of one empty", REG_MULTI_SZ, {0, 0});
  put(store, root, "qword", REG_QWORD, {0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01});
  put(store, root, "none", REG_NONE, {1, 2, 3});
  put(store, root, "odd type", 0x12345, {9});
  ByteList longData(300);
  for (std::size_t i = 0; i < longData.size(); ++i) longData[i] = static_cast<std::uint8_t>(i);
  put(store, root, "long", REG_BINARY, longData);
  put(store, root + "\\Ünïcödé 名前", "名前 😀", REG_SZ, utf16("データ 😀 ✓"));
  put(store, root + "\\Ünïcödé 名前\\𝄞 astral", "𝄞", REG_EXPAND_SZ, utf16("𝄞%X%"));
  store.createKey(OwnedKeyPath(root + "\\Empty"));
}

} // namespace

TEST(RegFileRoundTripTest, ExportParseApplyExportIsTheSameText) {
  TempDir first, second;
  auto from = openStore(first.path());
  auto to = openStore(second.path());
  const std::string root = "HKEY_CURRENT_USER\\Software\\RoundTrip";
  fill(*from, root);

  const std::string text = exportOf(*from, root);
  ImportRegFile::run(*to, {text});
  EXPECT_EQ(exportOf(*to, root), text);
  EXPECT_EQ(contents(*to, root), contents(*from, root));

  // And once more through the parser and applier directly, into a store that already holds other keys.
  put(*to, "HKCU\\Software\\Other", "keep", REG_SZ, utf16("me"));
  applyRegEdits(*to, parseRegFile(text));
  EXPECT_EQ(exportOf(*to, root), text);
  EXPECT_EQ(
      exportOf(*to, "HKCU\\Software\\Other"),
      "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Other]\r\n\"keep\"=\"me\"\r\n\r\n");
}

TEST(RegFileRoundTripTest, DeletionsInATextRemoveKeysAndValues) {
  TempDir dir;
  auto store = openStore(dir.path());
  put(*store, "HKCU\\Software\\A\\Sub\\Deeper", "x", REG_SZ, utf16("1"));
  put(*store, "HKCU\\Software\\A", "keep", REG_SZ, utf16("2"));
  put(*store, "HKCU\\Software\\A", "drop", REG_SZ, utf16("3"));
  ImportRegFile::run(*store, {"Windows Registry Editor Version 5.00\r\n\r\n"
                              "[-HKEY_CURRENT_USER\\Software\\A\\Sub]\r\n\r\n"
                              "[-HKEY_CURRENT_USER\\Software\\Never\\There]\r\n\r\n"
                              "[HKEY_CURRENT_USER\\Software\\A]\r\n"
                              "\"drop\"=-\r\n"
                              "\"never there\"=-\r\n"
                              "\"new\"=dword:00000001\r\n"});
  EXPECT_EQ(exportOf(*store, "HKCU\\Software\\A"), "Windows Registry Editor Version 5.00\r\n\r\n"
                                                   "[HKEY_CURRENT_USER\\Software\\A]\r\n"
                                                   "\"keep\"=\"2\"\r\n"
                                                   "\"new\"=dword:00000001\r\n\r\n");
  EXPECT_FALSE(store->keyExists(OwnedKeyPath("HKCU\\Software\\Never")));
}

TEST(RegFileRoundTripTest, ASyntaxErrorChangesNothing) {
  TempDir dir;
  auto store = openStore(dir.path());
  put(*store, "HKCU\\Software\\A", "v", REG_SZ, utf16("before"));
  const RegistryError error = expectError(ErrorCode::InvalidArgument, [&] {
    ImportRegFile::run(*store, {"Windows Registry Editor Version 5.00\r\n\r\n"
                                "[-HKEY_CURRENT_USER\\Software\\A]\r\n"
                                "[HKEY_CURRENT_USER\\Software\\B]\r\n"
                                "\"v\"=\"after\"\r\n"
                                "\"w\"=hex:zz\r\n"});
  });
  EXPECT_EQ(error.message(), "invalid .reg text: line 6, column 9: expected a byte in hex, such as 0a");
  EXPECT_EQ(textOf(store->readValue(OwnedKeyPath("HKCU\\Software\\A"), "v", {})), "before");
  EXPECT_FALSE(store->keyExists(OwnedKeyPath("HKCU\\Software\\B")));
}

TEST(RegFileRoundTripTest, AFailingEditDoesNotStopTheOthersInOneSave) {
  TempDir dir;
  auto store = openStore(dir.path());
  put(*store, "HKCU\\Software\\Old", "x", REG_SZ, utf16("1"));
  // Another user's hive cannot be made here: those two edits fail, the rest are made.
  const RegistryError error = expectError(ErrorCode::AccessDenied, [&] {
    ImportRegFile::run(*store, {"Windows Registry Editor Version 5.00\r\n\r\n"
                                "[HKEY_CURRENT_USER\\Software\\Before]\r\n\"b\"=\"1\"\r\n"
                                "[HKEY_USERS\\S-1-5-21-9-9-9-9999\\Software]\r\n\"u\"=\"2\"\r\n"
                                "[-HKEY_CURRENT_USER\\Software\\Old]\r\n"
                                "[HKEY_LOCAL_MACHINE\\Software\\After]\r\n\"a\"=dword:00000003\r\n"});
  });
  EXPECT_EQ(error.key(), "HKEY_USERS\\S-1-5-21-9-9-9-9999\\Software");
  EXPECT_EQ(textOf(store->readValue(OwnedKeyPath("HKCU\\Software\\Before"), "b", {})), "1");
  EXPECT_EQ(store->readValue(OwnedKeyPath("HKLM\\Software\\After"), "a", {}).data, dword(3));
  EXPECT_FALSE(store->keyExists(OwnedKeyPath("HKCU\\Software\\Old")));
  // And what was made is on disk: a store opened afresh sees it.
  auto again = openStore(dir.path());
  EXPECT_EQ(textOf(again->readValue(OwnedKeyPath("HKCU\\Software\\Before"), "b", {})), "1");
  EXPECT_EQ(again->readValue(OwnedKeyPath("HKLM\\Software\\After"), "a", {}).data, dword(3));
}

TEST(RegFileRoundTripTest, ExportTakesTheViewAndNamesKeysAsAsked) {
  TempDir dir;
  auto store = openStore(dir.path());
  put(*store, "HKLM\\Software\\Wow6432Node\\Vendor", "bits", REG_SZ, utf16("32"));
  EXPECT_EQ(
      exportOf(*store, "HKLM\\Software\\Vendor", RegistryView::Bits32),
      "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\Vendor]\r\n\"bits\"=\"32\"\r\n\r\n");
  expectError(ErrorCode::KeyNotFound, [&] { exportOf(*store, "HKLM\\Software\\Vendor", RegistryView::Bits64); });
  expectError(ErrorCode::InvalidPath, [&] { exportOf(*store, "HKXX\\Software"); });
}

TEST(RegFileRoundTripTest, LinksAreFollowedButNotRoundALoop) {
  TempDir dir;
  std::string system = systemHeader();
  system += "\n[Software\\\\Loop] 1699121962\n#time=1da0f4b6f4b6f40\n\"v\"=\"x\"\n";
  // Two links back to the key they are in: followed without a check, the walk would never end (2^depth keys).
  system += linkKeyLines("Software\\\\Loop\\\\A", "\\Registry\\Machine\\Software\\Loop");
  system += linkKeyLines("Software\\\\Loop\\\\B", "\\Registry\\Machine\\SOFTWARE\\loop");
  system += linkKeyLines("Software\\\\Loop\\\\Dangling", "\\Registry\\Machine\\Software\\Nowhere");
  writeFile(dir.path() / "system.reg", asWineWrites(system));
  auto store = openStore(dir.path());
  // Each link is followed once (as Wine's export follows links); inside it, a link to where the walk already went
  // through a link is left out; a link to nowhere is left out as a key that cannot be opened.
  EXPECT_EQ(exportOf(*store, "HKLM\\Software\\Loop"), "Windows Registry Editor Version 5.00\r\n\r\n"
                                                      "[HKEY_LOCAL_MACHINE\\Software\\Loop]\r\n\"v\"=\"x\"\r\n\r\n"
                                                      "[HKEY_LOCAL_MACHINE\\Software\\Loop\\A]\r\n\"v\"=\"x\"\r\n\r\n"
                                                      "[HKEY_LOCAL_MACHINE\\Software\\Loop\\B]\r\n\"v\"=\"x\"\r\n\r\n");
}
