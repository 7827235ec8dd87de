#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/hive/HiveFormat.h"

using namespace regbridge::hive;

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t REG_NONE = 0, REG_SZ = 1, REG_EXPAND_SZ = 2, REG_BINARY = 3, REG_DWORD = 4, REG_MULTI_SZ = 7,
                        REG_QWORD = 11;

const std::string kHeader = "WINE REGISTRY Version 2\n"
                            ";; All keys relative to REGISTRY\\\\Machine\n"
                            "\n"
                            "#arch=win64\n";

// A key line with a time Wine wrote: 1795586750 seconds since 1970 is FILETIME 0x1dd7ca305ad0f30.
const std::string kTime = " 1795586750\n#time=1dd7ca305ad0f30\n";
constexpr std::uint64_t kFileTime = 0x1dd7ca305ad0f30;

std::string withHeader(const std::string& body) { return kHeader + body; }

Bytes sz(std::u16string_view text, bool nul = true) {
  Bytes out;
  for (char16_t c : text) out.insert(out.end(), {std::uint8_t(c & 0xFF), std::uint8_t(c >> 8)});
  if (nul) out.insert(out.end(), {0, 0});
  return out;
}

const HiveKey* keyAt(const Hive& hive, std::initializer_list<std::u16string_view> path) {
  const HiveKey* key = &hive.root;
  for (auto part : path) {
    if (!key) return nullptr;
    key = key->findSubkey(part);
  }
  return key;
}

std::string issuesText(const ParseResult& result) {
  std::string text;
  for (const auto& issue : result.issues) text += std::to_string(issue.line) + ": " + issue.message + "\n";
  return text;
}

// Parses `text`, expects no issue and the same text back.
ParseResult roundTrip(const std::string& text) {
  ParseResult result = parseHive(text);
  EXPECT_EQ(issuesText(result), "");
  EXPECT_EQ(saveHive(result.hive), text);
  return result;
}

// The text of one value as saved, without the key around it.
std::string savedValue(std::u16string_view name, std::uint32_t type, Bytes data) {
  Hive hive;
  HiveKey& key = hive.root.addSubkey(u"K");
  key.setModified(kFileTime);
  key.setValue(name, type, std::move(data));
  const std::string text = saveHive(hive);
  const std::string keyPart = "\n[K]" + kTime;
  EXPECT_EQ(text.substr(0, keyPart.size()), keyPart);
  return text.substr(keyPart.size());
}

const HiveValue& onlyValue(const ParseResult& result) {
  const HiveKey* key = keyAt(result.hive, {u"K"});
  if (!key || key->values().size() != 1) throw std::runtime_error("expected one value under [K]");
  return key->values()[0];
}

} // namespace

TEST(HiveFormatTest, KeepsThePreambleAndReadsItsHeader) {
  const std::string text = withHeader("\n[Software]" + kTime + "@=\"\"\n");
  const ParseResult result = roundTrip(text);
  EXPECT_EQ(result.hive.preamble, kHeader);
  EXPECT_EQ(result.hive.relativeTo, "REGISTRY\\Machine");
  EXPECT_EQ(result.hive.arch, "win64");
}

TEST(HiveFormatTest, KeepsAnUnusualPreambleVerbatim) {
  const std::string preamble = "WINE REGISTRY Version 2\n"
                               ";; All keys relative to REGISTRY\\\\User\\\\S-1-5-21-0-0-0-1000\n"
                               "; a comment of our own\n"
                               "\n"
                               "#arch=win32\n"
                               "#someoption=1\n";
  const ParseResult result = roundTrip(preamble + "\n[A]" + kTime);
  EXPECT_EQ(result.hive.preamble, preamble);
  EXPECT_EQ(result.hive.relativeTo, "REGISTRY\\User\\S-1-5-21-0-0-0-1000");
  EXPECT_EQ(result.hive.arch, "win32");
}

TEST(HiveFormatTest, ReadsKeyTimes) {
  const ParseResult result = roundTrip(withHeader("\n[Software\\\\Wine]" + kTime));
  const HiveKey* wine = keyAt(result.hive, {u"Software", u"Wine"});
  ASSERT_NE(wine, nullptr);
  EXPECT_EQ(wine->modified(), kFileTime);
}

TEST(HiveFormatTest, DerivesTheSecondsFromTheFileTime) {
  Hive hive;
  hive.root.addSubkey(u"Recent").setModified(116444736000000000ull + 1700000000ull * 10000000 + 1234567);
  hive.root.addSubkey(u"Ancient").setModified(100); // before 1970: Wine's signed arithmetic, truncated
  hive.root.addSubkey(u"Zero").setModified(0);
  EXPECT_EQ(saveHive(hive), "\n[Ancient] 1240428289\n#time=000000064\n"
                            "\n[Recent] 1700000000\n#time=1da1747c67fd687\n"
                            "\n[Zero] 1240428288\n#time=000000000\n");
}

TEST(HiveFormatTest, UsesTheSecondsWhenThereIsNoTimeLine) {
  const ParseResult result = parseHive(withHeader("\n[A] 1700000000\n"));
  EXPECT_EQ(issuesText(result), "");
  EXPECT_EQ(keyAt(result.hive, {u"A"})->modified(), 116444736000000000ull + 1700000000ull * 10000000);
}

TEST(HiveFormatTest, CreatesParentsImplicitlyWithTheFirstChildsTime) {
  const std::string text = withHeader("\n[A\\\\B\\\\C]" + kTime + "\n[A\\\\D] 1700000000\n#time=1da1747c67fd687\n");
  const ParseResult result = roundTrip(text);
  const HiveKey* a = keyAt(result.hive, {u"A"});
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->modified(), kFileTime);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"B"})->modified(), kFileTime);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"D"})->modified(), 0x1da1747c67fd687u);
  // update_key_time climbs to every parent still without a time, the hive's root included.
  EXPECT_EQ(result.hive.root.modified(), kFileTime);
}

TEST(HiveFormatTest, WritesOnlyTheKeysWineWrites) {
  Hive hive;
  hive.preamble = kHeader;
  HiveKey& withSubkeysOnly = hive.root.addSubkey(u"Parent");
  withSubkeysOnly.addSubkey(u"EmptyLeaf").setModified(kFileTime);
  HiveKey& withValue = hive.root.addSubkey(u"WithValue");
  withValue.setValue(u"v", REG_DWORD, {1, 0, 0, 0});
  withValue.addSubkey(u"Child").setModified(kFileTime);
  withValue.setModified(kFileTime);
  HiveKey& withClass = hive.root.addSubkey(u"WithClass");
  withClass.setClassName(u"My \"class\"");
  withClass.addSubkey(u"Child").setModified(kFileTime);
  withClass.setModified(kFileTime);
  HiveKey& link = hive.root.addSubkey(u"Link");
  link.setLink(true);
  link.setModified(kFileTime);
  link.setValue(u"SymbolicLinkValue", 6, sz(u"\\R", false));
  HiveKey& volatileKey = hive.root.addSubkey(u"Volatile");
  volatileKey.setVolatile(true);
  volatileKey.setValue(u"v", REG_SZ, sz(u"x"));
  volatileKey.addSubkey(u"Child").setValue(u"v", REG_SZ, sz(u"x"));

  const std::string expected = "\n[Link]" + kTime + "#link\n" + "\"SymbolicLinkValue\"=hex(6):5c,00,52,00\n" +
                               "\n[Parent\\\\EmptyLeaf]" + kTime +                         //
                               "\n[WithClass]" + kTime + "#class=\"My \\\"class\\\"\"\n" + //
                               "\n[WithClass\\\\Child]" + kTime +                          //
                               "\n[WithValue]" + kTime + "\"v\"=dword:00000001\n" +        //
                               "\n[WithValue\\\\Child]" + kTime;
  EXPECT_EQ(saveHive(hive), withHeader(expected));

  const ParseResult reread = roundTrip(withHeader(expected));
  EXPECT_TRUE(keyAt(reread.hive, {u"Link"})->isLink());
  EXPECT_EQ(keyAt(reread.hive, {u"WithClass"})->className(), u"My \"class\"");
  EXPECT_EQ(keyAt(reread.hive, {u"Parent"})->className(), std::nullopt);
}

TEST(HiveFormatTest, WritesTheRootKeyAsEmptyBrackets) {
  const ParseResult result = roundTrip(withHeader("\n[]" + kTime + "\"AtRoot\"=\"1\"\n\n[Sub]" + kTime));
  ASSERT_EQ(result.hive.root.values().size(), 1u);
  EXPECT_EQ(result.hive.root.modified(), kFileTime);
}

TEST(HiveFormatTest, EscapesBracketsInKeyNamesAndQuotesElsewhere) {
  const std::string text = withHeader("\n[Br\\[ack\\]ets \"quoted\" \\\\Back]" + kTime +
                                      "\"\\\"name\\\" [x]\"=\"da\\\\ta \\\"q\\\" [y]\"\n");
  const ParseResult result = roundTrip(text);
  const HiveKey* key = keyAt(result.hive, {u"Br[ack]ets \"quoted\" ", u"Back"});
  ASSERT_NE(key, nullptr);
  ASSERT_EQ(key->values().size(), 1u);
  EXPECT_EQ(key->values()[0].name, u"\"name\" [x]");
  EXPECT_EQ(key->values()[0].data, sz(u"da\\ta \"q\" [y]"));
}

TEST(HiveFormatTest, ReadsAndWritesEveryEscape) {
  const std::string text = withHeader("\n[K]" + kTime +
                                      "\"c\"=\"\\a\\b\\t\\n\\v\\f\\r\\e|\\1|\\0017|\\18|\\37|\\0|\x7f\"\n"
                                      "\"x\"=\"\\xe9g|\\x00e9f|\\x20ac|\\xd83d\\xde00|\\xe9\\xe9|\\xfffd\"\n");
  const ParseResult result = roundTrip(text);
  const HiveKey* key = keyAt(result.hive, {u"K"});
  ASSERT_EQ(key->values().size(), 2u);
  EXPECT_EQ(key->values()[0].data, sz(std::u16string(u"\a\b\t\n\v\f\r\x1b|\x01|\x01"
                                                     u"7|\x01"
                                                     u"8|\x1f|") +
                                      u'\0' + u"|\x7f"));
  EXPECT_EQ(key->values()[1].data, sz(u"\u00e9g|\u00e9f|\u20ac|\U0001F600|\u00e9\u00e9|\ufffd"));
}

TEST(HiveFormatTest, ReadsEscapesAsParseStrWDoes) {
  const ParseResult result = parseHive(withHeader("\n[K]" + kTime + "@=\"\\x|\\xg|\\x12345|\\1234|\\q|\\\\|\\[\"\n"));
  // Read as Wine reads it; `\\q` is no escape Wine writes, so a save would change the line.
  EXPECT_EQ(issuesText(result), "8: unknown escape `\\q` (Wine reads it as `q`; saving would drop the backslash)\n");
  EXPECT_EQ(onlyValue(result).data, sz(u"x|xg|\u1234"
                                       u"5|S4|q|\\|["));
}

TEST(HiveFormatTest, ReadsRawUtf8AndDropsInvalidBytes) {
  const ParseResult result =
      parseHive(withHeader("\n[K]" + kTime + "@=\"h\xc3\xa9 \xf0\x9f\x98\x80|\x80|\xc3|\xc0\xaf|\xed\xa0\x80\"\n"));
  EXPECT_EQ(issuesText(result), "");
  EXPECT_EQ(onlyValue(result).data, sz(u"h\u00e9 \U0001F600|||"
                                       u"|\xd800"));
}

TEST(HiveFormatTest, WritesStringsOnlyWhenTheyEndInANul) {
  EXPECT_EQ(savedValue(u"s", REG_SZ, sz(u"text")), "\"s\"=\"text\"\n");
  EXPECT_EQ(savedValue(u"s", REG_SZ, sz(u"")), "\"s\"=\"\"\n");
  EXPECT_EQ(savedValue(u"s", REG_SZ, sz(std::u16string(u"a\0b", 3))), "\"s\"=\"a\\0b\"\n");
  EXPECT_EQ(savedValue(u"s", REG_SZ, sz(u"ab", false)), "\"s\"=hex(1):61,00,62,00\n");
  EXPECT_EQ(savedValue(u"s", REG_SZ, {0x61, 0, 0}), "\"s\"=hex(1):61,00,00\n");
  EXPECT_EQ(savedValue(u"s", REG_SZ, {}), "\"s\"=hex(1):\n");
  EXPECT_EQ(savedValue(u"s", REG_SZ, {0}), "\"s\"=hex(1):00\n");
  EXPECT_EQ(savedValue(u"e", REG_EXPAND_SZ, sz(u"%PATH%")), "\"e\"=str(2):\"%PATH%\"\n");
  EXPECT_EQ(savedValue(u"e", REG_EXPAND_SZ, sz(u"%PATH%", false)),
            "\"e\"=hex(2):25,00,50,00,41,00,54,00,48,00,25,00\n");
  EXPECT_EQ(savedValue(u"m", REG_MULTI_SZ, sz(std::u16string(u"a\0bc\0", 5))), "\"m\"=str(7):\"a\\0bc\\0\"\n");
  EXPECT_EQ(savedValue(u"m", REG_MULTI_SZ, sz(u"")), "\"m\"=str(7):\"\"\n");
}

TEST(HiveFormatTest, ReadsStringsWithTheirFinalNul) {
  const ParseResult result =
      roundTrip(withHeader("\n[K]" + kTime + "@=\"\"\n\"e\"=str(2):\"%a%\"\n\"m\"=str(7):\"a\\0b\\0\"\n"));
  const HiveKey* key = keyAt(result.hive, {u"K"});
  EXPECT_EQ(key->findValue(u"")->type, REG_SZ);
  EXPECT_EQ(key->findValue(u"")->data, (Bytes{0, 0}));
  EXPECT_EQ(key->findValue(u"e")->type, REG_EXPAND_SZ);
  EXPECT_EQ(key->findValue(u"e")->data, sz(u"%a%"));
  EXPECT_EQ(key->findValue(u"m")->type, REG_MULTI_SZ);
  EXPECT_EQ(key->findValue(u"m")->data, sz(std::u16string(u"a\0b\0", 4)));
}

TEST(HiveFormatTest, WritesDwordOnlyForFourBytes) {
  EXPECT_EQ(savedValue(u"d", REG_DWORD, {0x78, 0x56, 0x34, 0x12}), "\"d\"=dword:12345678\n");
  EXPECT_EQ(savedValue(u"d", REG_DWORD, {0, 0, 0, 0}), "\"d\"=dword:00000000\n");
  EXPECT_EQ(savedValue(u"d", REG_DWORD, {1, 2, 3}), "\"d\"=hex(4):01,02,03\n");
  EXPECT_EQ(savedValue(u"d", REG_DWORD, {}), "\"d\"=hex(4):\n");
  const ParseResult result = roundTrip(withHeader("\n[K]" + kTime + "\"d\"=dword:fedcba98\n"));
  EXPECT_EQ(onlyValue(result).data, (Bytes{0x98, 0xba, 0xdc, 0xfe}));
}

TEST(HiveFormatTest, WritesHexWithTheTypeCode) {
  EXPECT_EQ(savedValue(u"b", REG_BINARY, {0xde, 0xad}), "\"b\"=hex:de,ad\n");
  EXPECT_EQ(savedValue(u"b", REG_BINARY, {}), "\"b\"=hex:\n");
  EXPECT_EQ(savedValue(u"n", REG_NONE, {}), "\"n\"=hex(0):\n");
  EXPECT_EQ(savedValue(u"q", REG_QWORD, {1, 0, 0, 0, 0, 0, 0, 0}), "\"q\"=hex(b):01,00,00,00,00,00,00,00\n");
  EXPECT_EQ(savedValue(u"t", 0xffff0011, {0x0f}), "\"t\"=hex(ffff0011):0f\n");
  EXPECT_EQ(savedValue(u"", 0x80000000, {}), "@=hex(80000000):\n");

  const ParseResult result = roundTrip(withHeader("\n[K]" + kTime + "\"t\"=hex(ffff0011):00,ff\n"));
  EXPECT_EQ(onlyValue(result).type, 0xffff0011u);
  EXPECT_EQ(onlyValue(result).data, (Bytes{0, 0xff}));
}

TEST(HiveFormatTest, WrapsHexLinesAfterSeventySixCharacters) {
  Bytes data(50);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::uint8_t(i);
  // `"Name"=hex:` is 11 characters; each byte and comma 3 more: the 22nd comma passes 76. Then the count restarts
  // at 2 for the indent, so the next break comes after 25 bytes.
  const std::string expected = "\"Name\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,\\\n"
                               "  16,17,18,19,1a,1b,1c,1d,1e,1f,20,21,22,23,24,25,26,27,28,29,2a,2b,2c,2d,2e,\\\n"
                               "  2f,30,31\n";
  EXPECT_EQ(savedValue(u"Name", REG_BINARY, data), expected);
  // The name counts in its escaped form.
  EXPECT_EQ(savedValue(u"\u00e9", REG_BINARY, Bytes(23, 0)),
            "\"\\xe9\"=hex:00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,\\\n  00\n");
  // `@=hex:` is 6: 23 bytes fit, the comma after the 24th passes 76.
  EXPECT_EQ(savedValue(u"", REG_BINARY, Bytes(23, 0)),
            "@=hex:00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00\n");
  EXPECT_EQ(savedValue(u"", REG_BINARY, Bytes(25, 0)),
            "@=hex:00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,\\\n  00\n");

  const ParseResult result = roundTrip(withHeader("\n[K]" + kTime + expected));
  EXPECT_EQ(onlyValue(result).data, data);
}

TEST(HiveFormatTest, ReadsTheOldStrFormAndLooseSyntax) {
  const std::string text = "WINE REGISTRY Version 2\r\n"
                           ";; All keys relative to REGISTRY\\\\Machine\r\n"
                           "\r\n"
                           "#arch=win64\r\n"
                           "; a comment\r\n"
                           "\r\n"
                           "   [Loose]  1795586750\r\n"
                           "  #time=1dd7ca305ad0f30\r\n"
                           "\t\"old\" = str:\"value\"\r\n"
                           "   ; another comment\r\n"
                           "\"hex\"=hex:01 ,02,\t03 , \\  anything after the backslash\r\n"
                           "      04,05\\\r\n"
                           "   06\r\n"
                           "\"d\"=dword:0000002a\r\n"
                           "\"t\"=hex():00\r\n";
  const ParseResult result = parseHive(text);
  // Read as Wine reads it, and each line Wine would not write so is reported: a save would change it.
  EXPECT_EQ(issuesText(result),
            "7: the key line does not end in `] <seconds>` as Wine writes it\n"
            "8: indented key option (Wine writes none)\n"
            "9: white space in the value line (Wine writes none)\n"
            "9: the old `str:` form of a string (Wine writes `\"...\"`)\n"
            "10: comment line among the keys (Wine writes none there; saving would drop it)\n"
            "13: hex data not as Wine writes it (lower-case `xx,` bytes, no comma after the last)\n"
            "13: value out of Wine's order (saving would move it)\n"
            "14: value out of Wine's order (saving would move it)\n"
            "15: the value's type or form is not written as Wine writes it (saving would change it)\n");
  EXPECT_EQ(result.hive.relativeTo, "REGISTRY\\Machine");
  EXPECT_EQ(result.hive.arch, "win64");
  const HiveKey* key = keyAt(result.hive, {u"Loose"});
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->modified(), kFileTime);
  EXPECT_EQ(key->findValue(u"old")->type, REG_SZ);
  EXPECT_EQ(key->findValue(u"old")->data, sz(u"value"));
  EXPECT_EQ(key->findValue(u"hex")->data, (Bytes{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(key->findValue(u"d")->data, (Bytes{42, 0, 0, 0}));
  EXPECT_EQ(key->findValue(u"t")->type, REG_NONE);
}

TEST(HiveFormatTest, TreatsEmptyPathElementsAsWineDoes) {
  const ParseResult result = parseHive(withHeader("\n[\\\\A\\\\\\\\B\\\\]" + kTime));
  EXPECT_EQ(issuesText(result), "6: empty key name in the path (a doubled, leading or trailing `\\\\`)\n"
                                "6: empty key name in the path (a doubled, leading or trailing `\\\\`)\n"
                                "6: empty key name in the path (a doubled, leading or trailing `\\\\`)\n");
  ASSERT_EQ(result.hive.root.subkeys().size(), 1u);
  EXPECT_NE(keyAt(result.hive, {u"A", u"B"}), nullptr);
}

TEST(HiveFormatTest, MergesKeysAndValuesThatDifferOnlyInCase) {
  const ParseResult result =
      parseHive(withHeader("\n[Key]" + kTime + "\"Name\"=\"1\"\n\"NAME\"=\"2\"\n\n[KEY\\\\Sub]" + kTime));
  EXPECT_EQ(issuesText(result), "9: value name given twice (the later one counts; saving drops the first)\n"
                                "11: key out of Wine's order, or given twice (saving would move or merge it)\n");
  const HiveKey* key = keyAt(result.hive, {u"key"});
  ASSERT_EQ(key->values().size(), 1u);
  EXPECT_EQ(key->values()[0].name, u"Name");
  EXPECT_EQ(key->values()[0].data, sz(u"2"));
  EXPECT_EQ(key->name(), u"Key");
  EXPECT_EQ(key->subkeys().size(), 1u);
}

// The parser reuses the keys of the path elements a key line shares with the one before it: only elements equal
// to the unit, and whole, may be reused.
TEST(HiveFormatTest, FindsKeysWhateverTheKeyLineBeforeShared) {
  std::string body;
  int n = 0;
  for (const char* path : {R"(A\\B\\C)", R"(A\\BC)", R"(A\\B)", R"(a\\b\\C)", R"(A\\\\B\\C\\D)", R"(A\\B\\C\\D)"})
    body += "\n[" + std::string(path) + "]" + kTime + "\"" + std::to_string(++n) + "\"=\"\"\n";
  body += "\n[A\\\\B\\\\" + std::string(257, 'x') + "]" + kTime + "\n[A\\\\B\\\\E]" + kTime;
  const ParseResult result = parseHive(withHeader(body));
  // The lines are out of Wine's order on purpose (that is what exercises the reuse): reported, and read all the same.
  EXPECT_EQ(issuesText(result), "14: key out of Wine's order, or given twice (saving would move or merge it)\n"
                                "18: key out of Wine's order, or given twice (saving would move or merge it)\n"
                                "22: empty key name in the path (a doubled, leading or trailing `\\\\`)\n"
                                "22: key out of Wine's order, or given twice (saving would move or merge it)\n"
                                "26: key out of Wine's order, or given twice (saving would move or merge it)\n"
                                "30: key name longer than 256 characters\n");
  ASSERT_EQ(result.hive.root.subkeys().size(), 1u);
  EXPECT_EQ(keyAt(result.hive, {u"A"})->subkeys().size(), 2u);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"B"})->subkeys().size(), 2u);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"BC"})->values().size(), 1u);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"B"})->values().size(), 1u);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"B", u"C"})->values().size(), 2u);
  EXPECT_EQ(keyAt(result.hive, {u"A", u"B", u"C", u"D"})->values().size(), 2u);
  EXPECT_NE(keyAt(result.hive, {u"A", u"B", u"E"}), nullptr);
}

TEST(HiveFormatTest, ReportsABadFirstLine) {
  const ParseResult result = parseHive("WINE REGISTRY Version 1\n\n[A]" + kTime);
  EXPECT_EQ(issuesText(result), "1: the first line is not `WINE REGISTRY Version 2`\n");
  EXPECT_NE(keyAt(result.hive, {u"A"}), nullptr);
  EXPECT_EQ(issuesText(parseHive("")), "1: the first line is not `WINE REGISTRY Version 2`\n");
}

TEST(HiveFormatTest, ReportsMalformedLinesWithTheirNumbers) {
  const std::string text = withHeader( // lines 1-4
      "\"early\"=\"1\"\n"              // 5
      "\n"                             // 6
      "[Good] 1795586750\n"            // 7
      "#time=1dd7ca305ad0f30\n"        // 8
      "\"ok\"=\"1\"\n"                 // 9
      "\"unterminated name=1\n"        // 10
      "\"noequals\" \"1\"\n"           // 11
      "\"badtype\"=text:1\n"           // 12
      "\"badstring\"=\"abc\n"          // 13
      "\"badhex\"=hex:01,zz\n"         // 14
      "\"bigbyte\"=hex:100\n"          // 15
      "\"wrapped\"=hex:01,\\\n"        // 16
      "  02,03,\\\n"                   // 17
      "  04\n"                         // 18
      "garbage\n"                      // 19
      "#class=noquote\n"               // 20
      "#class=\"open\n"                // 21
      "\n"                             // 22
      "[Bad\n"                         // 23
      "\"orphan\"=\"1\"\n"             // 24
      "#arch=win16\n"                  // 25
      "\n"                             // 26
      "[Last] 1795586750\n"            // 27
      "#time=1dd7ca305ad0f30\n"        // 28
      "\"cut\"=hex:01,\\\n");          // 29
  const ParseResult result = parseHive(text);
  EXPECT_EQ(issuesText(result), "5: value without a key\n"
                                "10: unterminated string in value name\n"
                                "11: missing `=` after the value name\n"
                                "12: unknown value type\n"
                                "13: unterminated string in value data\n"
                                "14: unexpected character in hex value data\n"
                                "15: hex byte above ff in value data\n"
                                "19: unrecognized line\n"
                                "20: #class without a quoted string\n"
                                "21: unterminated string in class\n"
                                "23: unterminated key name\n"
                                "24: value without a key\n"
                                "25: unknown architecture `win16`\n"
                                "29: hex value data continues past the end of the file\n");
  const HiveKey* good = keyAt(result.hive, {u"Good"});
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->findValue(u"ok")->data, sz(u"1"));
  EXPECT_EQ(good->findValue(u"noequals"), nullptr);
  // As in Wine, a value whose data is bad is left empty, of type REG_NONE.
  for (auto name : {u"badtype", u"badstring", u"badhex", u"bigbyte"}) {
    const HiveValue* value = good->findValue(name);
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(value->type, REG_NONE);
    EXPECT_TRUE(value->data.empty());
  }
  EXPECT_EQ(good->findValue(u"wrapped")->data, (Bytes{1, 2, 3, 4}));
  EXPECT_FALSE(good->className());
  EXPECT_EQ(keyAt(result.hive, {u"Last"})->findValue(u"cut")->type, REG_NONE);
}

TEST(HiveFormatTest, ReportsAnOverlongKeyName) {
  const std::string longName(257, 'x');
  const ParseResult result = parseHive(withHeader("\n[A\\\\" + longName + "]" + kTime + "@=\"\"\n"));
  EXPECT_EQ(issuesText(result), "6: key name longer than 256 characters\n8: value without a key\n");
  EXPECT_NE(keyAt(result.hive, {u"A"}), nullptr);
}

TEST(HiveFormatTest, MakesAnEmptyHiveThatReadsBack) {
  Hive hive = makeEmptyHive("REGISTRY\\User\\S-1-5-21-0-0-0-1000", "win64");
  EXPECT_EQ(hive.preamble, "WINE REGISTRY Version 2\n"
                           ";; All keys relative to REGISTRY\\\\User\\\\S-1-5-21-0-0-0-1000\n"
                           "\n"
                           "#arch=win64\n");
  EXPECT_EQ(hive.relativeTo, "REGISTRY\\User\\S-1-5-21-0-0-0-1000");
  EXPECT_EQ(hive.arch, "win64");
  EXPECT_GT(hive.root.modified(), 0u);

  // Like Wine, the base key is written while it has no subkeys.
  const std::string empty = saveHive(hive);
  EXPECT_TRUE(empty.starts_with(hive.preamble + "\n[] ")) << empty;
  roundTrip(empty);

  HiveKey& key = hive.root.addSubkey(u"Software");
  key.setModified(kFileTime);
  key.setValue(u"v", REG_SZ, sz(u"1"));
  const std::string text = saveHive(hive);
  EXPECT_EQ(text, hive.preamble + "\n[Software]" + kTime + "\"v\"=\"1\"\n");
  const ParseResult reread = roundTrip(text);
  EXPECT_EQ(reread.hive.relativeTo, hive.relativeTo);
}

TEST(HiveFormatTest, EscapesTheHeaderPathOfAnEmptyHive) {
  const Hive hive = makeEmptyHive("REGISTRY\\We[ir]d\\\u00e9", "");
  EXPECT_EQ(hive.preamble, "WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\We\\[ir\\]d\\\\\\xe9\n");
  EXPECT_EQ(parseHive(hive.preamble).hive.relativeTo, "REGISTRY\\We[ir]d\\\u00e9");
}

namespace {

void expectSameTree(const HiveKey& a, const HiveKey& b, const std::string& where) {
  EXPECT_EQ(a.name(), b.name()) << where;
  // A key that is not written takes its time from the first subkey read back.
  const bool written = !a.values().empty() || a.subkeys().empty() || a.className() || a.isLink();
  if (written) {
    EXPECT_EQ(a.modified(), b.modified()) << where;
  }
  EXPECT_EQ(a.className(), b.className()) << where;
  EXPECT_EQ(a.isLink(), b.isLink()) << where;
  ASSERT_EQ(a.values().size(), b.values().size()) << where;
  for (std::size_t i = 0; i < a.values().size(); ++i) {
    EXPECT_EQ(a.values()[i].name, b.values()[i].name) << where << " value " << i;
    EXPECT_EQ(a.values()[i].type, b.values()[i].type) << where << " value " << i;
    EXPECT_EQ(a.values()[i].data, b.values()[i].data) << where << " value " << i;
  }
  ASSERT_EQ(a.subkeys().size(), b.subkeys().size()) << where;
  for (std::size_t i = 0; i < a.subkeys().size(); ++i) {
    expectSameTree(*a.subkeys()[i], *b.subkeys()[i], where + "/" + std::to_string(i));
  }
}

} // namespace

TEST(HiveFormatTest, RoundTripsAConstructedHiveWithAwkwardContent) {
  Hive hive = makeEmptyHive("REGISTRY\\Machine", "win64");
  hive.root.setModified(kFileTime);
  std::uint64_t time = kFileTime;
  auto stamp = [&time](HiveKey& key) -> HiveKey& {
    key.setModified(time += 12345678901);
    return key;
  };

  HiveKey& unicode = stamp(hive.root.addSubkey(u"Caf\u00e9 \u65e5\u672c \U0001F600\U0001F601\U0001F602"));
  unicode.setValue(u"\u00e9f", REG_SZ, sz(u"\u00e9f\u00e9g\u20ac0\U0001F600a"));
  unicode.setValue(u"\u00c9F2", REG_EXPAND_SZ, sz(u"%\u00e9%"));
  unicode.setValue(u"lone", REG_SZ,
                   sz(u"\xd800x\xdc00"
                      u"1"));

  HiveKey& awkward = stamp(stamp(hive.root.addSubkey(u"Br[ack]ets")).addSubkey(u"Quo\"tes, /slashes/ and ? *"));
  awkward.setClassName(u"class with \"quotes\", \\ and \x01\x07\x1b");
  awkward.setValue(u"", REG_SZ, sz(u""));
  awkward.setValue(u"\"\\[]", REG_SZ, sz(u"\"quoted\" \\back\\ [br]"));
  awkward.setValue(u"controls", REG_SZ,
                   sz(std::u16string(u"\x01\x02"
                                     u"3\x1f"
                                     u"7\x1f"
                                     u"9\a\b\t\n\v\f\r\x1b\x7f") +
                      u'\0' + u"0 end"));
  awkward.setValue(u"multi", REG_MULTI_SZ, sz(std::u16string(u"one\0two\0\0", 9)));
  awkward.setValue(u"odd", REG_SZ, {0x61, 0x00, 0x62});
  awkward.setValue(u"unterminated", REG_EXPAND_SZ, sz(u"no nul", false));
  awkward.setValue(u"dword", REG_DWORD, {0xff, 0xfe, 0xfd, 0xfc});
  awkward.setValue(u"short dword", REG_DWORD, {1, 2});
  awkward.setValue(u"qword", REG_QWORD, {1, 2, 3, 4, 5, 6, 7, 8});
  awkward.setValue(u"type ffff0011", 0xffff0011, {0xaa});
  awkward.setValue(u"type 80000000", 0x80000000, {});
  awkward.setValue(u"none", REG_NONE, {});
  Bytes longBinary(1000);
  for (std::size_t i = 0; i < longBinary.size(); ++i) longBinary[i] = std::uint8_t(i * 7);
  awkward.setValue(u"long binary with a long name to shift the first line break", REG_BINARY, longBinary);

  HiveKey& link = stamp(hive.root.addSubkey(u"Link"));
  link.setLink(true);
  link.setValue(u"SymbolicLinkValue", 6, sz(u"\\Registry\\Machine\\Software\\Classes", false));
  stamp(hive.root.addSubkey(u"_underscore"));
  stamp(hive.root.addSubkey(u"empty class")).setClassName(u"");

  const std::string text = saveHive(hive);
  const ParseResult reread = parseHive(text);
  EXPECT_EQ(issuesText(reread), "");
  expectSameTree(hive.root, reread.hive.root, "root");
  EXPECT_EQ(saveHive(reread.hive), text);
}
