// Names and strings holding lone UTF-16 surrogates, as a real Wine prefix may have them (Wine writes each code unit
// above 127 as `\x%x`, so `[Software\\A\xd800]` is a key like any other): read from the file into WTF-8 names, kept
// apart from their neighbours, and saved back byte for byte.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/hive/Escapes.h"
#include "registry/hive/HiveFormat.h"
#include "tests/cpp/StoreTestSupport.h"

using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

// WTF-8 of U+D800, U+DC00 and U+DFFF.
const std::string kD800 = "\xED\xA0\x80", kDC00 = "\xED\xB0\x80", kDFFF = "\xED\xBF\xBF";

// Written as Wine writes it: sorted keys, `\x` escapes per code unit (a reversed pair is two lone surrogates).
const std::string kBody = "\n[Software\\\\A\\xd800] 1795586750\n#time=1dd7ca305ad0f30\n"
                          "\"m\"=str(7):\"\\xdc00\\xd800\\0\\xd83d\\xde00\\0end\\xdfff\\0\"\n"
                          "\"\\xdc00\"=\"x\\xd800\"\n"
                          "\n[Software\\\\A\\xdfff] 1795586750\n#time=1dd7ca305ad0f30\n"
                          "@=str(2):\"\\xdbff1\"\n";

std::vector<std::uint8_t> units(std::u16string_view text) {
  std::vector<unsigned char> out;
  appendLe(out, text);
  return {out.begin(), out.end()};
}

} // namespace

TEST(LoneSurrogateTest, EscapesKeepEveryCodeUnit) {
  std::string out;
  hive::appendEscaped(out,
                      u"\xD800"
                      u"1\xDC00z\xDFFF",
                      '"', '"');
  EXPECT_EQ(out, "\\xd800"
                 "1\\xdc00z\\xdfff");
  std::u16string back;
  EXPECT_EQ(hive::parseEscaped(out + "\"", '"', back), out.size() + 1);
  EXPECT_EQ(back, u"\xD800"
                  u"1\xDC00z\xDFFF");
}

TEST(LoneSurrogateTest, AHandWrittenHiveParsesAndSavesByteIdentical) {
  const std::string text = systemHeader() + kBody;
  hive::ParseResult result = hive::parseHive(text);
  EXPECT_TRUE(result.issues.empty());
  const hive::HiveKey* software = result.hive.root.findSubkey(u"Software");
  ASSERT_NE(software, nullptr);
  const hive::HiveKey* a = software->findSubkey(u"A\xD800");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a, software->findSubkey(u"A\xDFFF"));
  ASSERT_EQ(a->values().size(), 2u);
  EXPECT_EQ(a->values()[1].name, u"\xDC00");
  EXPECT_EQ(hive::saveHive(result.hive), text);
}

TEST(LoneSurrogateTest, TheStoreOpensListsAndReadsSuchNames) {
  TempDir prefix;
  const std::string text = systemHeader() + kBody;
  writeFile(prefix.path() / "system.reg", text);
  auto store = openStore(prefix.path());

  EXPECT_EQ(store->listSubkeys(key("HKLM\\Software"), {}), (std::vector<std::string>{"A" + kD800, "A" + kDFFF}));
  EXPECT_TRUE(store->keyExists(key("HKLM\\Software\\A" + kD800)));
  EXPECT_TRUE(store->keyExists(key("HKLM\\Software\\a" + kDFFF))); // ASCII still folds case
  EXPECT_FALSE(store->keyExists(key("HKLM\\Software\\A" + kDC00)));

  const auto valueKey = key("HKLM\\Software\\A" + kD800);
  auto values = store->listValues(valueKey, {});
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].name, "m");
  EXPECT_EQ(values[0].data, units(std::u16string(u"\xDC00\xD800\0\U0001F600\0end\xDFFF\0\0", 12)));
  EXPECT_EQ(values[1].name, kDC00);
  EXPECT_EQ(values[1].data, units(std::u16string(u"x\xD800") + u'\0'));
  EXPECT_EQ(store->readValue(valueKey, kDC00, {}).data, units(std::u16string(u"x\xD800") + u'\0'));
  expectError(ErrorCode::ValueNotFound, [&] { store->readValue(valueKey, kDFFF, {}); });
  expectError(ErrorCode::ValueNotFound, [&] { store->readValue(valueKey, "\xEF\xBF\xBD", {}); }); // U+FFFD

  // A write elsewhere in the hive saves it again: the keys above keep their exact text.
  store->writeValue(key("HKLM\\Software\\Other"), "v", REG_DWORD, dword(1));
  store->flush();
  EXPECT_EQ(readFile(prefix.path() / "system.reg").substr(0, text.size()), text);
}

TEST(LoneSurrogateTest, DifferentLoneSurrogatesAreDifferentNames) {
  TempDir prefix;
  auto store = openStore(prefix.path());
  store->writeValue(key("HKCU\\Software\\n" + kD800), "n" + kD800, REG_SZ, sz("x" + kDC00));
  expectError(ErrorCode::KeyNotFound, [&] { store->readValue(key("HKCU\\Software\\n" + kDFFF), "n" + kD800, {}); });
  expectError(ErrorCode::ValueNotFound, [&] { store->readValue(key("HKCU\\Software\\n" + kD800), "n" + kDFFF, {}); });
  EXPECT_EQ(store->readValue(key("HKCU\\Software\\n" + kD800), "n" + kD800, {}).data,
            units(std::u16string(u"x\xDC00") + u'\0'));
  // Written the way Wine would write it.
  store->flush();
  const std::string file = readFile(prefix.path() / "user.reg");
  EXPECT_NE(file.find("[Software\\\\n\\xd800]"), std::string::npos) << file;
  EXPECT_NE(file.find("\"n\\xd800\"=\"x\\xdc00\""), std::string::npos) << file;
}

TEST(LoneSurrogateTest, PathsAndValueNamesMustBeWtf8) {
  TempDir prefix;
  auto store = openStore(prefix.path());
  // A high and a low surrogate written as two sequences are the four-byte form misspelled.
  expectError(ErrorCode::InvalidPath, [&] { key("HKCU\\Software\\" + kD800 + kDC00); });
  expectError(ErrorCode::InvalidArgument, [&] { validateValueName(kD800 + kDC00, "HKCU\\Software"); });
  EXPECT_NO_THROW(validateValueName(kDC00 + kD800, "HKCU\\Software"));
}
