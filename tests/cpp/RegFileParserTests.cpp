// The .reg parser: what Wine's `reg import` reads (wine programs/reg/import.c and its tests), and for every text it
// does not accept an ERR_INVALID_ARGUMENT naming the line, the column and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/Error.h"
#include "registry/Unicode.h"
#include "registry/Value.h"
#include "registry/regfile/RegFileParser.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;

namespace {

using ByteList = std::vector<std::uint8_t>;

// The bytes of a stored string (tests/cpp/TestSupport.h).
ByteList utf16(std::string_view text, int nuls = 1) { return test::utf16Bytes(text, nuls); }

const std::string v5 = "Windows Registry Editor Version 5.00\r\n\r\n";

RegEdit createKey(std::string key, std::size_t line) {
  return {RegEditKind::CreateKey, std::move(key), "", 0, {}, line};
}
RegEdit deleteKey(std::string key, std::size_t line) {
  return {RegEditKind::DeleteKey, std::move(key), "", 0, {}, line};
}
RegEdit set(std::string key, std::string name, std::uint32_t type, ByteList data, std::size_t line) {
  return {RegEditKind::SetValue, std::move(key), std::move(name), type, std::move(data), line};
}
RegEdit deleteValue(std::string key, std::string name, std::size_t line) {
  return {RegEditKind::DeleteValue, std::move(key), std::move(name), 0, {}, line};
}

// The one value a text of a single key line and `valueLines` sets.
RegEdit onlyValue(const std::string& valueLines, bool regedit4 = false) {
  const std::string text =
      (regedit4 ? std::string("REGEDIT4\r\n\r\n") : v5) + "[HKEY_CURRENT_USER\\T]\r\n" + valueLines + "\r\n";
  std::vector<RegEdit> edits = parseRegFile(text);
  EXPECT_EQ(edits.size(), 2u) << text;
  return edits.size() == 2 ? edits[1] : RegEdit{};
}

// The message of the error parsing `text` gives; fails the test if there is none or it is not ERR_INVALID_ARGUMENT.
std::string errorOf(const std::string& text) {
  try {
    parseRegFile(text);
  } catch (const RegistryError& error) {
    EXPECT_EQ(errorCodeName(error.code()), "ERR_INVALID_ARGUMENT") << error.message();
    return error.message();
  }
  ADD_FAILURE() << "no error for: " << text;
  return {};
}

} // namespace

TEST(RegFileParserTest, ReadsEveryKindOfLine) {
  const std::string text = v5 + "[HKEY_CURRENT_USER\\Software\\A]\r\n"
                                "\"s\"=\"text\"\r\n"
                                "@=dword:0000abcd\r\n"
                                "\"gone\"=-\r\n"
                                "\r\n"
                                "[-HKCU\\Software\\Old]\r\n"
                                "[HKLM\\Software\\B]\r\n"
                                "\"b\"=hex:01,02\r\n";
  EXPECT_EQ(parseRegFile(text), (std::vector<RegEdit>{
                                    createKey("HKEY_CURRENT_USER\\Software\\A", 3),
                                    set("HKEY_CURRENT_USER\\Software\\A", "s", REG_SZ, utf16("text"), 4),
                                    set("HKEY_CURRENT_USER\\Software\\A", "", REG_DWORD, {0xcd, 0xab, 0, 0}, 5),
                                    deleteValue("HKEY_CURRENT_USER\\Software\\A", "gone", 6),
                                    deleteKey("HKCU\\Software\\Old", 8),
                                    createKey("HKLM\\Software\\B", 9),
                                    set("HKLM\\Software\\B", "b", REG_BINARY, {1, 2}, 10),
                                }));
}

TEST(RegFileParserTest, StringsUnescapeWinesFourEscapes) {
  EXPECT_EQ(onlyValue("\"a\\\"b\\\\c\"=\"x\\\"y\\\\z\\r\\n\"").name, "a\"b\\c");
  EXPECT_EQ(onlyValue("\"a\"=\"x\\\"y\\\\z\\r\\n\"").data, utf16("x\"y\\z\r\n"));
  EXPECT_EQ(onlyValue("\"e\"=\"\"").data, utf16(""));
  EXPECT_EQ(onlyValue("\"名前😀\"=\"données 😀\"").name, "名前😀");
  EXPECT_EQ(onlyValue("\"u\"=\"données 😀\"").data, utf16("données 😀"));
  // `;` and `[` inside quotes are text.
  EXPECT_EQ(onlyValue("\"u\"=\"a;b[c]\" ; a comment").data, utf16("a;b[c]"));
  // A lone surrogate (WTF-8) is kept as the code unit it is.
  EXPECT_EQ(onlyValue("\"u\"=\"\xED\xA0\x80\"").data, (ByteList{0x00, 0xD8, 0, 0}));
}

TEST(RegFileParserTest, DwordsTakeOneToEightHexDigits) {
  EXPECT_EQ(onlyValue("\"d\"=dword:1").data, (ByteList{1, 0, 0, 0}));
  EXPECT_EQ(onlyValue("\"d\"=dword:FFFFfffe").data, (ByteList{0xfe, 0xff, 0xff, 0xff}));
  EXPECT_EQ(onlyValue("\"d\" = dword: 00000010 ;c").data, (ByteList{0x10, 0, 0, 0}));
}

TEST(RegFileParserTest, HexDataOfAnyTypeOverSeveralLines) {
  EXPECT_EQ(onlyValue("\"b\"=hex:").data, ByteList{});
  EXPECT_EQ(onlyValue("\"q\"=hex(b):ef,cd,ab,89,67,45,23,01").type, REG_QWORD);
  EXPECT_EQ(onlyValue("\"n\"=hex(0):").type, REG_NONE);
  EXPECT_EQ(onlyValue("\"x\"=hex(FFFFFFFF):1").type, 0xffffffffu);
  EXPECT_EQ(onlyValue("\"x\"=hex(abcd):1").data, ByteList{1});
  // Wine's wrapped form, and what Wine accepts besides: blanks, a final comma, comment and blank lines between.
  EXPECT_EQ(onlyValue("\"b\"=hex:01,02,\\\r\n  03,04").data, (ByteList{1, 2, 3, 4}));
  EXPECT_EQ(onlyValue("\"b\"=hex: 1 , 2,\t\\ ; more\r\n\r\n; note\r\n  3,\r\n").data, (ByteList{1, 2, 3}));
  EXPECT_EQ(onlyValue("\"b\"=hex:\\\r\n 0a").data, ByteList{10});
  // The text may end after the `\`: the value holds what was read.
  std::vector<RegEdit> edits = parseRegFile(v5 + "[HKCU\\T]\r\n\"b\"=hex:01,\\");
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[1].data, ByteList{1});
  // The edit's line is where the value starts.
  EXPECT_EQ(parseRegFile(v5 + "[HKCU\\T]\r\n\"b\"=hex:01,\\\r\n02\r\n\"c\"=hex:03")[1].line, 4u);
}

TEST(RegFileParserTest, StringTypesInHexGetATerminator) {
  // import.c's prepare_hex_string_data: a NUL unit is added when the last one is not NUL (hex(1), hex(2), hex(7)).
  EXPECT_EQ(onlyValue("\"s\"=hex(1):56,00,61,00").data, (ByteList{0x56, 0, 0x61, 0, 0, 0}));
  EXPECT_EQ(onlyValue("\"s\"=hex(1):56,00,00,00").data, (ByteList{0x56, 0, 0, 0}));
  EXPECT_EQ(onlyValue("\"e\"=hex(2):25,00").data, (ByteList{0x25, 0, 0, 0}));
  // Only one: a MULTI_SZ whose last item ends with a NUL stays without the list's final one, as in Wine.
  EXPECT_EQ(onlyValue("\"m\"=hex(7):61,00,00,00").data, (ByteList{0x61, 0, 0, 0}));
  EXPECT_EQ(onlyValue("\"m\"=hex(7):61,00").data, (ByteList{0x61, 0, 0, 0}));
  EXPECT_EQ(onlyValue("\"m\"=hex(7):").data, ByteList{});
  // Not for other types, and not for an odd count (no UTF-16).
  EXPECT_EQ(onlyValue("\"b\"=hex(3):56,00,61,00").data, (ByteList{0x56, 0, 0x61, 0}));
  EXPECT_EQ(onlyValue("\"s\"=hex(1):56,00,61").data, (ByteList{0x56, 0, 0x61}));
}

TEST(RegFileParserTest, Regedit4StringBytesAreWindows1252) {
  // "é€" in Windows-1252 is E9 80; each byte becomes a UTF-16 unit, then the added NUL.
  EXPECT_EQ(onlyValue("\"e\"=hex(2):e9,80", true).data, (ByteList{0xe9, 0x00, 0xac, 0x20, 0, 0}));
  EXPECT_EQ(onlyValue("\"m\"=hex(7):61,00,62,00,00", true).data, (ByteList{0x61, 0, 0, 0, 0x62, 0, 0, 0, 0, 0}));
  EXPECT_EQ(onlyValue("\"s\"=hex(1):41,00", true).data, (ByteList{0x41, 0, 0, 0}));
  // Other types are bytes as they are; quoted strings are text, as in version 5.
  EXPECT_EQ(onlyValue("\"b\"=hex:e9,80", true).data, (ByteList{0xe9, 0x80}));
  EXPECT_EQ(onlyValue("\"t\"=\"é\"", true).data, utf16("é"));
}

TEST(RegFileParserTest, HeadersLineEndsAndBlanks) {
  EXPECT_EQ(parseRegFile("REGEDIT4").size(), 0u);
  EXPECT_EQ(parseRegFile("\xEF\xBB\xBF  Windows Registry Editor Version 5.00  \n[HKCU\\A]").size(), 1u);
  // LF and CR alone end lines too.
  EXPECT_EQ(parseRegFile("REGEDIT4\n[HKCU\\A]\r\"v\"=\"1\"\n\n").size(), 2u);
  // Blanks before a line's first character, a key line's comment.
  EXPECT_EQ(parseRegFile(v5 + "  [HKCU\\A] ; the key\r\n\t@=\"d\"\r\n")[1].name, "");
  // A key name may hold `]`: it ends at the last one.
  EXPECT_EQ(parseRegFile(v5 + "[HKCU\\a]b]\r\n")[0].key, "HKCU\\a]b");
}

TEST(RegFileParserTest, ErrorsNameLineColumnAndWhatWasExpected) {
  EXPECT_EQ(errorOf(""), "invalid .reg text: line 1, column 1: the text is empty; expected the header 'Windows "
                         "Registry Editor Version 5.00' or 'REGEDIT4'");
  EXPECT_EQ(errorOf("Windows Registry Editor Version 4.00\r\n"),
            "invalid .reg text: line 1, column 1: expected the header 'Windows Registry Editor Version 5.00' or "
            "'REGEDIT4'");
  EXPECT_NE(errorOf("REGEDIT\r\nHKEY_CLASSES_ROOT\\.txt = x\r\n").find("line 1, column 1: this is a Windows 3.1"),
            std::string::npos);
  EXPECT_EQ(errorOf(v5 + "\"v\"=\"1\"\r\n"),
            "invalid .reg text: line 3, column 1: a value needs a [KEY] line before it");
  EXPECT_EQ(errorOf(v5 + "[-HKCU\\A]\r\n  @=\"1\"\r\n"),
            "invalid .reg text: line 4, column 3: a value after a [-KEY] line needs a [KEY] line of its own before it");
  EXPECT_EQ(errorOf(v5 + "HKCU\\A\r\n"), "invalid .reg text: line 3, column 1: expected '[KEY]', '\"name\"=', '@=' "
                                         "or a ';' comment at the start of a line");
  EXPECT_EQ(errorOf(v5 + "[HKCU\\A\r\n"), "invalid .reg text: line 3, column 8: expected ']' after the key name");
  EXPECT_EQ(errorOf(v5 + "[ HKCU\\A]\r\n"),
            "invalid .reg text: line 3, column 2: expected the key name right after '['");
  EXPECT_EQ(errorOf(v5 + "[HKCU\\A] x\r\n"),
            "invalid .reg text: line 3, column 10: unexpected text after ']'; only a ';' comment may follow");
  EXPECT_TRUE(errorOf(v5 + "[HKXX\\A]\r\n").starts_with("invalid .reg text: line 3, column 2: invalid key path 'HKXX"));
  EXPECT_TRUE(errorOf(v5 + "[-HKCU\\A\\\\B]\r\n").starts_with("invalid .reg text: line 3, column 3: invalid key path"));
  EXPECT_EQ(
      errorOf(v5 + "[-HKCU]\r\n"),
      "invalid .reg text: line 3, column 3: cannot delete the hive root 'HKCU'; [-KEY] deletes a key under a hive");
  const std::string key = v5 + "[HKCU\\A]\r\n";
  EXPECT_EQ(errorOf(key + "\"v\" \"1\"\r\n"), "invalid .reg text: line 4, column 5: expected '=' after the value name");
  EXPECT_EQ(errorOf(key + "\"v=\"1\"\r\n"), "invalid .reg text: line 4, column 5: expected '=' after the value name");
  EXPECT_EQ(errorOf(key + "\"v\r\n"), "invalid .reg text: line 4, column 3: expected '\"' closing the value name");
  EXPECT_EQ(errorOf(key + "\"v\"=\"1\r\n"), "invalid .reg text: line 4, column 7: expected '\"' closing the string");
  EXPECT_EQ(
      errorOf(key + "\"v\"=\"a\\tb\"\r\n"),
      "invalid .reg text: line 4, column 7: unknown escape '\\t'; a .reg file escapes only \\\\, \\\", \\n and \\r");
  EXPECT_EQ(
      errorOf(key + "\"é\\é\"=\"\"\r\n"),
      "invalid .reg text: line 4, column 3: unknown escape '\\é'; a .reg file escapes only \\\\, \\\", \\n and \\r");
  EXPECT_EQ(errorOf(key + "\"v\"=\"a\\0\"\r\n"),
            "invalid .reg text: line 4, column 7: '\\0' in the string: a .reg file cannot hold a NUL in a name or "
            "string");
  EXPECT_EQ(errorOf(key + "\"v\"=\"1\" 2\r\n"),
            "invalid .reg text: line 4, column 9: unexpected text after the string; only a ';' comment may follow");
  EXPECT_EQ(errorOf(key + "\"v\"=\r\n"),
            "invalid .reg text: line 4, column 5: expected the data after '=': \"string\", dword:, hex:, hex(N): or - "
            "(to delete the value)");
  EXPECT_TRUE(errorOf(key + "\"v\"=HEX:01\r\n").starts_with("invalid .reg text: line 4, column 5: expected the data"));
  EXPECT_EQ(errorOf(key + "\"v\"=-x\r\n"),
            "invalid .reg text: line 4, column 6: unexpected text after '=-'; only a ';' comment may follow");
  EXPECT_EQ(errorOf(key + "\"v\"=dword:\r\n"),
            "invalid .reg text: line 4, column 11: expected 1 to 8 hex digits after 'dword:'");
  EXPECT_EQ(errorOf(key + "\"v\"=dword:123456789\r\n"),
            "invalid .reg text: line 4, column 11: a dword is at most 8 hex digits");
  EXPECT_EQ(errorOf(key + "\"v\"=dword:12g\r\n"),
            "invalid .reg text: line 4, column 13: unexpected text after the dword; only a ';' comment may follow");
  EXPECT_EQ(errorOf(key + "\"v\"=hex():01\r\n"),
            "invalid .reg text: line 4, column 9: expected the type in hex in 'hex(N):'");
  EXPECT_EQ(errorOf(key + "\"v\"=hex(100000000):01\r\n"),
            "invalid .reg text: line 4, column 9: the type in 'hex(N):' is at most 8 hex digits");
  EXPECT_EQ(errorOf(key + "\"v\"=hex(2)01\r\n"),
            "invalid .reg text: line 4, column 10: expected '):' after the type in 'hex(N):'");
  EXPECT_EQ(errorOf(key + "\"v\"=hex:01,,02\r\n"),
            "invalid .reg text: line 4, column 12: expected a byte in hex, such as 0a");
  EXPECT_EQ(errorOf(key + "\"v\"=hex:01,002\r\n"),
            "invalid .reg text: line 4, column 12: a byte is at most two hex digits");
  EXPECT_EQ(errorOf(key + "\"v\"=hex:01 02\r\n"), "invalid .reg text: line 4, column 12: expected ',' between bytes");
  EXPECT_EQ(errorOf(key + "\"v\"=hex:01,\\ 02\r\n"),
            "invalid .reg text: line 4, column 14: unexpected text after the '\\' that continues the value on the next "
            "line; only a ';' comment may follow");
  EXPECT_EQ(errorOf(key + "\"v\"=hex:01,\\\r\n\r\n  \"w\"=\"1\"\r\n"),
            "invalid .reg text: line 6, column 3: expected more hex bytes: the value of line 4 goes on after '\\'");
}

TEST(RegFileParserTest, ColumnsCountCharactersNotBytes) {
  const std::string key = v5 + "[HKCU\\A]\r\n";
  // "😀é" are two characters (six bytes) before the bad escape.
  EXPECT_TRUE(errorOf(key + "\"😀é\\q\"=\"\"\r\n").starts_with("invalid .reg text: line 4, column 4: unknown escape"));
}

TEST(RegFileParserTest, BadCharactersAreErrors) {
  const std::string key = v5 + "[HKCU\\A]\r\n";
  EXPECT_EQ(errorOf(key + std::string("\"v\"=\"a\0\"\r\n", 10)),
            "invalid .reg text: line 4, column 7: a NUL character, which a .reg file cannot hold");
  EXPECT_EQ(errorOf(key + "\"v\"=\"\xC3\"\r\n"), "invalid .reg text: line 4, column 6: bytes that are not UTF-8");
  EXPECT_EQ(errorOf(key + "\"v\"=\"\xED\xA0\xBD\xED\xB8\x80\"\r\n"),
            "invalid .reg text: line 4, column 6: a surrogate pair written as two UTF-8 sequences; it must be one "
            "four-byte sequence");
}

TEST(RegFileParserTest, NamesAndKeysBeyondWindowsLimitsAreErrors) {
  const std::string longName(16384, 'n');
  EXPECT_NE(errorOf(v5 + "[HKCU\\A]\r\n\"" + longName + "\"=\"\"\r\n").find("line 4, column 1: "), std::string::npos);
  const std::string longKey(256, 'k');
  EXPECT_NE(errorOf(v5 + "[HKCU\\" + longKey + "]\r\n").find("line 3, column 2: invalid key path"), std::string::npos);
}
