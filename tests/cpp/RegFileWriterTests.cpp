// The .reg writer: every line byte for byte as Wine's `reg export` writes it (wine programs/reg/export.c and the
// expected files of its tests, programs/reg/tests/export.c), over an in-memory backend.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "registry/Error.h"
#include "registry/Unicode.h"
#include "registry/Value.h"
#include "registry/regfile/RegFileWriter.h"
#include "tests/cpp/DispatchFakeBackend.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;

namespace {

using ByteList = std::vector<std::uint8_t>;

ByteList ascii(std::string_view text) { return {text.begin(), text.end()}; }

// UTF-16LE of WTF-8 text, with as many NUL units after it as asked.
// The bytes of a stored string (tests/cpp/TestSupport.h).
ByteList utf16(std::string_view text, int nuls = 1) { return test::utf16Bytes(text, nuls); }

std::string line(std::string_view name, std::uint32_t type, const ByteList& data) {
  std::string out;
  appendValueLine(out, name, type, data);
  return out;
}

// "00,01,...": the bytes [from, to) of `data` in the export's notation, for expected lines.
std::string hexList(const ByteList& data, std::size_t from, std::size_t to) {
  std::string out;
  char buffer[4];
  for (std::size_t i = from; i < to; ++i) {
    std::snprintf(buffer, sizeof buffer, "%02x", data[i]);
    if (i != from) out += ',';
    out += buffer;
  }
  return out;
}

ByteList counting(std::size_t size) {
  ByteList out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return out;
}

void put(test::DispatchFakeBackend& backend, const std::string& key, const std::string& name, std::uint32_t type,
         const ByteList& data) {
  backend.writeValue(KeyPath::parse(key), name, type, data);
}

std::string exportOf(Backend& backend, const std::string& key) { return exportRegFile(backend, KeyPath::parse(key)); }

} // namespace

TEST(RegFileWriterTest, StringsAreQuotedWithWinesFourEscapes) {
  EXPECT_EQ(line("String", REG_SZ, utf16("Your text here...")), "\"String\"=\"Your text here...\"\r\n");
  EXPECT_EQ(line("double\"quote", REG_SZ, utf16("\"Hello, World!\"")),
            "\"double\\\"quote\"=\"\\\"Hello, World!\\\"\"\r\n");
  EXPECT_EQ(line("back\\slash", REG_SZ, utf16("C:\\dir\\")), "\"back\\\\slash\"=\"C:\\\\dir\\\\\"\r\n");
  EXPECT_EQ(line("lines", REG_SZ, utf16("one\r\ntwo\nthree")), "\"lines\"=\"one\\r\\ntwo\\nthree\"\r\n");
  // Tabs, other controls, `[`, `;` and everything beyond ASCII are written as they are.
  EXPECT_EQ(line("t\tab", REG_SZ, utf16("a\tb;[c]\x01")), "\"t\tab\"=\"a\tb;[c]\x01\"\r\n");
  EXPECT_EQ(line("名前é", REG_SZ, utf16("données 😀 日本")), "\"名前é\"=\"données 😀 日本\"\r\n");
  EXPECT_EQ(line("😀", REG_SZ, utf16("\xF0\x9F\x98\x80")), "\"😀\"=\"😀\"\r\n");
}

TEST(RegFileWriterTest, TheDefaultValueIsAnAt) {
  EXPECT_EQ(line("", REG_SZ, utf16("Default value name")), "@=\"Default value name\"\r\n");
  EXPECT_EQ(line("", REG_DWORD, {0x78, 0x56, 0x34, 0x12}), "@=dword:12345678\r\n");
  // A name that starts with a NUL is empty to Wine's export (a C string) and so is written as the default value.
  EXPECT_EQ(line(std::string("\0x", 2), REG_SZ, utf16("v")), "@=\"v\"\r\n");
}

TEST(RegFileWriterTest, EmptyAndOddStringsFollowWine) {
  // programs/reg/tests/export.c, empty_hex_test and embedded_null_test.
  EXPECT_EQ(line("Wine1b", REG_SZ, {}), "\"Wine1b\"=\"\"\r\n");
  EXPECT_EQ(line("empty", REG_SZ, utf16("")), "\"empty\"=\"\"\r\n");
  EXPECT_EQ(line("Wine4b", REG_SZ, ByteList(8, 0)), "\"Wine4b\"=\"\"\r\n");
  EXPECT_EQ(line("Wine4d", REG_SZ, {0, 0, 'a', 0, 'b', 0, 'c', 0}), "\"Wine4d\"=\"\"\r\n");
  EXPECT_EQ(line("Wine4f", REG_SZ, utf16(std::string("\0Value", 6))), "\"Wine4f\"=\"\"\r\n");
  // Up to the first NUL.
  EXPECT_EQ(line("Wine4h", REG_SZ, utf16(std::string("abc\0def", 7))), "\"Wine4h\"=\"abc\"\r\n");
  // Without its terminator the last code unit is lost, as in Wine's export (it drops the last unit unread).
  EXPECT_EQ(line("unterminated", REG_SZ, utf16("abc", 0)), "\"unterminated\"=\"ab\"\r\n");
  // An odd byte count: the stray byte is no character.
  EXPECT_EQ(line("odd", REG_SZ, {'a', 0, 'b', 0, 0, 0, 'x'}), "\"odd\"=\"ab\"\r\n");
  EXPECT_EQ(line("one byte", REG_SZ, {'a'}), "\"one byte\"=\"\"\r\n");
}

TEST(RegFileWriterTest, DwordsOfFourBytesAreDwordLinesAndOthersHex) {
  EXPECT_EQ(line("DWORD", REG_DWORD, {0x00, 0x01, 0x00, 0x00}), "\"DWORD\"=dword:00000100\r\n");
  EXPECT_EQ(line("max", REG_DWORD, {0xff, 0xff, 0xff, 0xff}), "\"max\"=dword:ffffffff\r\n");
  EXPECT_EQ(line("zero", REG_DWORD, {0, 0, 0, 0}), "\"zero\"=dword:00000000\r\n");
  EXPECT_EQ(line("Wine1e", REG_DWORD, {}), "\"Wine1e\"=hex(4):\r\n");
  EXPECT_EQ(line("short", REG_DWORD, {1, 2, 3}), "\"short\"=hex(4):01,02,03\r\n");
  EXPECT_EQ(line("long", REG_DWORD, {1, 2, 3, 4, 5}), "\"long\"=hex(4):01,02,03,04,05\r\n");
}

TEST(RegFileWriterTest, EveryOtherTypeIsHexWithItsNumber) {
  EXPECT_EQ(line("Binary", REG_BINARY, {0x11, 0x22, 0x33, 0x44}), "\"Binary\"=hex:11,22,33,44\r\n");
  EXPECT_EQ(line("Wine1d", REG_BINARY, {}), "\"Wine1d\"=hex:\r\n");
  EXPECT_EQ(line("Wine1a", REG_NONE, {}), "\"Wine1a\"=hex(0):\r\n");
  EXPECT_EQ(line("Zero data type", REG_NONE, ascii(std::string("Value\0", 6))),
            "\"Zero data type\"=hex(0):56,61,6c,75,65,00\r\n");
  EXPECT_EQ(line("expand", REG_EXPAND_SZ, utf16("%A%")), "\"expand\"=hex(2):25,00,41,00,25,00,00,00\r\n");
  EXPECT_EQ(line("Wine1c", REG_EXPAND_SZ, {}), "\"Wine1c\"=hex(2):\r\n");
  EXPECT_EQ(line("big", REG_DWORD_BIG_ENDIAN, {0x12, 0x34, 0x56, 0x78}), "\"big\"=hex(5):12,34,56,78\r\n");
  EXPECT_EQ(line("link", REG_LINK, utf16("\\R", 0)), "\"link\"=hex(6):5c,00,52,00\r\n");
  EXPECT_EQ(line("Wine1f", REG_MULTI_SZ, {}), "\"Wine1f\"=hex(7):\r\n");
  EXPECT_EQ(line("q", REG_QWORD, {0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01}),
            "\"q\"=hex(b):ef,cd,ab,89,67,45,23,01\r\n");
  EXPECT_EQ(line("Wine1g", 0x100, {}), "\"Wine1g\"=hex(100):\r\n");
  EXPECT_EQ(line("43981", 0xabcd, ascii(std::string("Value\0", 6))), "\"43981\"=hex(abcd):56,61,6c,75,65,00\r\n");
  EXPECT_EQ(line("top", 0xffffffff, {7}), "\"top\"=hex(ffffffff):07\r\n");
  // A REG_SZ as such is always a string, however odd its bytes; hex(1) is only for import.
}

TEST(RegFileWriterTest, MultiStringsWithEmptyItemsKeepEveryByte) {
  // "a", "", "b" and the list's end: a\0 \0 b\0 \0
  const ByteList data = utf16(std::string("a\0\0b\0", 5), 1);
  EXPECT_EQ(line("m", REG_MULTI_SZ, data), "\"m\"=hex(7):61,00,00,00,00,00,62,00,00,00,00,00\r\n");
  EXPECT_EQ(line("only empty", REG_MULTI_SZ, {0, 0}), "\"only empty\"=hex(7):00,00\r\n");
}

TEST(RegFileWriterTest, HexWrapsAsWineDoes) {
  // Wine's own expected lines (export.c tests, complex_data_test).
  EXPECT_EQ(line("Multiple strings", REG_MULTI_SZ, utf16(std::string("Line1\0Line2\0Line3\0", 18), 1)),
            "\"Multiple strings\"=hex(7):4c,00,69,00,6e,00,65,00,31,00,00,00,4c,00,69,00,6e,\\\r\n"
            "  00,65,00,32,00,00,00,4c,00,69,00,6e,00,65,00,33,00,00,00,00,00\r\n");
  EXPECT_EQ(line("String expansion", REG_EXPAND_SZ, utf16("%HOME%\\%PATH%")),
            "\"String expansion\"=hex(2):25,00,48,00,4f,00,4d,00,45,00,25,00,5c,00,25,00,50,\\\r\n"
            "  00,41,00,54,00,48,00,25,00,00,00\r\n");

  // `"x"=hex:` is 8 characters; a line breaks once it holds 77 after a comma: 23 bytes, then 25 per line.
  const ByteList data = counting(23 + 25 + 25 + 3);
  EXPECT_EQ(line("x", REG_BINARY, data), "\"x\"=hex:" + hexList(data, 0, 23) + ",\\\r\n  " + hexList(data, 23, 48) +
                                             ",\\\r\n  " + hexList(data, 48, 73) + ",\\\r\n  " + hexList(data, 73, 76) +
                                             "\r\n");
  // Exactly filling a line: the last byte has no comma, so no break after it.
  const ByteList full = counting(24);
  EXPECT_EQ(line("x", REG_BINARY, full),
            "\"x\"=hex:" + hexList(full, 0, 23) + ",\\\r\n  " + hexList(full, 23, 24) + "\r\n");
  const ByteList justFits = counting(23);
  EXPECT_EQ(line("x", REG_BINARY, justFits), "\"x\"=hex:" + hexList(justFits, 0, 23) + "\r\n");
  // The default value's `@=` is 2 characters: `@=hex:` is 6, so 24 bytes fit before the first break.
  EXPECT_EQ(line("", REG_BINARY, data), "@=hex:" + hexList(data, 0, 24) + ",\\\r\n  " + hexList(data, 24, 49) +
                                            ",\\\r\n  " + hexList(data, 49, 74) + ",\\\r\n  " + hexList(data, 74, 76) +
                                            "\r\n");
}

TEST(RegFileWriterTest, WrappingCountsUtf16CodeUnitsOfTheName) {
  // `"abé"=hex:` is 10 UTF-16 units (11 bytes of UTF-8): 23 bytes on the first line, as for an ASCII name of 3.
  const ByteList data = counting(30);
  EXPECT_EQ(line("abé", REG_BINARY, data),
            "\"abé\"=hex:" + hexList(data, 0, 23) + ",\\\r\n  " + hexList(data, 23, 30) + "\r\n");
  // `"ab😀"=hex:` is 11 units (a surrogate pair is two): 22 bytes, as for an ASCII name of 4, not 3.
  EXPECT_EQ(line("ab😀", REG_BINARY, data),
            "\"ab😀\"=hex:" + hexList(data, 0, 22) + ",\\\r\n  " + hexList(data, 22, 30) + "\r\n");
  // Escapes count as the two characters they are written as.
  EXPECT_EQ(line("a\"b", REG_BINARY, data),
            "\"a\\\"b\"=hex:" + hexList(data, 0, 22) + ",\\\r\n  " + hexList(data, 22, 30) + "\r\n");
}

TEST(RegFileWriterTest, AWholeSubtreeIsWinesComplexExport) {
  // programs/reg/tests/export.c's complex_data_test, without the byte order mark (the caller adds it).
  test::DispatchFakeBackend backend;
  const std::string base = "HKEY_CURRENT_USER\\Software\\Wine\\reg_test";
  put(backend, base, "DWORD", REG_DWORD, {0x00, 0x01, 0x00, 0x00});
  put(backend, base, "String", REG_SZ, utf16("Your text here..."));
  put(backend, base + "\\Subkey1", "Binary", REG_BINARY, {0x11, 0x22, 0x33, 0x44});
  put(backend, base + "\\Subkey1", "Undefined hex", 0x100, ascii(std::string("%PATH%\0", 7)));
  put(backend, base + "\\Subkey2a", "double\"quote", REG_SZ, utf16("\"Hello, World!\""));
  put(backend, base + "\\Subkey2a", "single'quote", REG_DWORD, {8, 0, 0, 0});
  put(backend, base + "\\Subkey2a\\Subkey2b", "", REG_SZ, utf16("Default value name"));
  put(backend, base + "\\Subkey2a\\Subkey2b", "Multiple strings", REG_MULTI_SZ,
      utf16(std::string("Line1\0Line2\0Line3\0", 18), 1));
  put(backend, base + "\\Subkey3a", "Backslash", REG_SZ, utf16("Use \\\\ to escape a backslash"));
  put(backend, base + "\\Subkey3a\\Subkey3b\\Subkey3c", "String expansion", REG_EXPAND_SZ, utf16("%HOME%\\%PATH%"));
  put(backend, base + "\\Subkey3a\\Subkey3b\\Subkey3c", "Zero data type", REG_NONE, ascii(std::string("Value\0", 6)));
  put(backend, base + "\\Subkey4", "", REG_DWORD, {0x78, 0x56, 0x34, 0x12});
  put(backend, base + "\\Subkey4", "43981", 0xabcd, ascii(std::string("Value\0", 6)));

  EXPECT_EQ(exportOf(backend, "HKCU\\Software\\Wine\\reg_test"),
            "Windows Registry Editor Version 5.00\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test]\r\n"
            "\"DWORD\"=dword:00000100\r\n"
            "\"String\"=\"Your text here...\"\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey1]\r\n"
            "\"Binary\"=hex:11,22,33,44\r\n"
            "\"Undefined hex\"=hex(100):25,50,41,54,48,25,00\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey2a]\r\n"
            "\"double\\\"quote\"=\"\\\"Hello, World!\\\"\"\r\n"
            "\"single'quote\"=dword:00000008\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey2a\\Subkey2b]\r\n"
            "@=\"Default value name\"\r\n"
            "\"Multiple strings\"=hex(7):4c,00,69,00,6e,00,65,00,31,00,00,00,4c,00,69,00,6e,\\\r\n"
            "  00,65,00,32,00,00,00,4c,00,69,00,6e,00,65,00,33,00,00,00,00,00\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey3a]\r\n"
            "\"Backslash\"=\"Use \\\\\\\\ to escape a backslash\"\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey3a\\Subkey3b]\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey3a\\Subkey3b\\Subkey3c]\r\n"
            "\"String expansion\"=hex(2):25,00,48,00,4f,00,4d,00,45,00,25,00,5c,00,25,00,50,\\\r\n"
            "  00,41,00,54,00,48,00,25,00,00,00\r\n"
            "\"Zero data type\"=hex(0):56,61,6c,75,65,00\r\n\r\n"
            "[HKEY_CURRENT_USER\\Software\\Wine\\reg_test\\Subkey4]\r\n"
            "@=dword:12345678\r\n"
            "\"43981\"=hex(abcd):56,61,6c,75,65,00\r\n\r\n");
}

TEST(RegFileWriterTest, AnEmptyKeyIsItsNameAlone) {
  test::DispatchFakeBackend backend;
  backend.createKey(KeyPath::parse("HKCU\\Software\\Wine\\reg_test"));
  // export.c's empty_key_test. The key is named as the caller wrote it, under the hive's long name.
  EXPECT_EQ(exportOf(backend, "hkcu\\software\\wine\\REG_TEST"),
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\software\\wine\\REG_TEST]\r\n\r\n");
}

TEST(RegFileWriterTest, SubkeysAreNamedWithTheirStoredNamesDepthFirst) {
  test::DispatchFakeBackend backend;
  backend.createKey(KeyPath::parse("HKLM\\Top\\B😀\\Deep"));
  backend.createKey(KeyPath::parse("HKLM\\Top\\a"));
  put(backend, "HKLM\\Top\\a", "v", REG_SZ, utf16("1"));
  EXPECT_EQ(exportOf(backend, "HKEY_LOCAL_MACHINE\\Top"), "Windows Registry Editor Version 5.00\r\n\r\n"
                                                          "[HKEY_LOCAL_MACHINE\\Top]\r\n\r\n"
                                                          "[HKEY_LOCAL_MACHINE\\Top\\a]\r\n\"v\"=\"1\"\r\n\r\n"
                                                          "[HKEY_LOCAL_MACHINE\\Top\\B😀]\r\n\r\n"
                                                          "[HKEY_LOCAL_MACHINE\\Top\\B😀\\Deep]\r\n\r\n");
}

TEST(RegFileWriterTest, AMissingKeyIsKeyNotFound) {
  test::DispatchFakeBackend backend;
  try {
    exportOf(backend, "HKCU\\Nowhere");
    FAIL() << "no error";
  } catch (const RegistryError& error) {
    EXPECT_EQ(error.code(), ErrorCode::KeyNotFound);
    EXPECT_EQ(error.key(), "HKCU\\Nowhere"); // as the caller wrote it, not the long name the file uses
  }
}
