#include <gtest/gtest.h>

#include "registry/Error.h"
#include "registry/ValueCodec.h"

using namespace regbridge;

namespace {
using B = std::vector<std::uint8_t>;

B utf16(std::u16string_view s, bool nul = true) {
  B out;
  for (char16_t c : s) out.insert(out.end(), {static_cast<std::uint8_t>(c & 0xFF), static_cast<std::uint8_t>(c >> 8)});
  if (nul) out.insert(out.end(), {0, 0});
  return out;
}

RegValue roundTrip(const RegValue& v) {
  auto bytes = encodeValue(v, "HKCU\\k", "v");
  return {v.type, decodeValue(v.type.code, bytes)};
}

ErrorCode encodeError(const RegValue& v) {
  try {
    encodeValue(v, "HKCU\\k", "v");
  } catch (const RegistryError& e) {
    return e.code();
  }
  return ErrorCode::Internal;
}
} // namespace

TEST(ValueCodecTest, StringsAreUtf16WithOneFinalNul) {
  EXPECT_EQ(encodeValue({{REG_SZ}, std::string("hé")}, "k", "v"), utf16(u"hé"));
  EXPECT_EQ(std::get<std::string>(decodeValue(REG_SZ, utf16(u"hé"))), "hé");
  EXPECT_EQ(std::get<std::string>(decodeValue(REG_EXPAND_SZ, utf16(u"%PATH%", false))), "%PATH%");
  EXPECT_EQ(std::get<std::string>(decodeValue(REG_SZ, {})), "");
}

TEST(ValueCodecTest, AstralCharactersSurviveARoundTrip) {
  RegValue v{{REG_SZ}, std::string("a😀b")};
  EXPECT_EQ(roundTrip(v), v);
}

TEST(ValueCodecTest, StringsOfAnOddByteCountComeBackAsBytes) {
  EXPECT_TRUE(std::holds_alternative<Bytes>(decodeValue(REG_SZ, B{0x41})));
  EXPECT_TRUE(std::holds_alternative<Bytes>(decodeValue(REG_MULTI_SZ, B{0x41, 0, 0})));
}

TEST(ValueCodecTest, LoneSurrogatesInStringsAreKeptAsWtf8) {
  // D800 'x' as WTF-8: ED A0 80 78; written back to the same code units.
  EXPECT_EQ(std::get<std::string>(decodeValue(REG_SZ, utf16(u"\xD800x"))), "\xED\xA0\x80x");
  EXPECT_EQ(encodeValue({{REG_SZ}, std::string("\xED\xA0\x80x")}, "k", "v"), utf16(u"\xD800x"));
  for (std::u16string units : {std::u16string(u"\xDC00\xD800"),
                               std::u16string(u"\xDFFF"
                                              u"end"),
                               std::u16string(u"start\xDBFF"), std::u16string(u"a\U0001F600\xD800")}) {
    EXPECT_EQ(encodeValue({{REG_EXPAND_SZ}, decodeValue(REG_EXPAND_SZ, utf16(units))}, "k", "v"), utf16(units));
    B multi = utf16(units + u'\0' + units + u'\0');
    ValueData list = decodeValue(REG_MULTI_SZ, multi);
    ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(list));
    EXPECT_EQ(encodeValue({{REG_MULTI_SZ}, list}, "k", "v"), multi);
  }
}

TEST(ValueCodecTest, MultiStringsRoundTrip) {
  for (auto list : {std::vector<std::string>{}, std::vector<std::string>{"a", "b"}, std::vector<std::string>{"x😀"}}) {
    RegValue v{{REG_MULTI_SZ}, list};
    EXPECT_EQ(roundTrip(v), v);
  }
  EXPECT_EQ(encodeValue({{REG_MULTI_SZ}, std::vector<std::string>{"a", "b"}}, "k", "v"),
            utf16(std::u16string_view(u"a\0b\0", 4), true));
  EXPECT_EQ(encodeError({{REG_MULTI_SZ}, std::vector<std::string>{std::string("a\0b", 3)}}),
            ErrorCode::InvalidArgument);
}

// Windows' readers stop at the first empty string of a REG_MULTI_SZ: a typed write of one would lose the strings
// from there on for them. Refused, naming the item; stored bytes that hold one still decode to the whole list.
TEST(ValueCodecTest, MultiStringsRefuseAnEmptyItemButStoredOnesDecode) {
  for (auto list :
       {std::vector<std::string>{""}, std::vector<std::string>{"a", "", "b"}, std::vector<std::string>{"a", "b", ""}}) {
    EXPECT_EQ(encodeError({{REG_MULTI_SZ}, list}), ErrorCode::InvalidArgument);
  }
  try {
    encodeValue({{REG_MULTI_SZ}, std::vector<std::string>{"a", "", "b"}}, "k", "v");
    ADD_FAILURE() << "no error";
  } catch (const RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("string 1 "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Buffer"), std::string::npos) << e.what();
  }
  const auto stored = utf16(std::u16string_view(u"a\0\0b\0", 5), true);
  EXPECT_EQ(decodeValue(REG_MULTI_SZ, stored), ValueData(std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(encodeValue({{REG_MULTI_SZ}, Bytes{stored}}, "k", "v"), stored);
}

std::string encodeMessage(const RegValue& v) {
  try {
    encodeValue(v, "HKCU\\k", "v");
  } catch (const RegistryError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ValueCodecTest, DwordsTakeZeroToTwoToThe32MinusOne) {
  EXPECT_EQ(encodeValue({{REG_DWORD}, std::int64_t{0x1F}}, "k", "v"), (B{0x1F, 0, 0, 0}));
  EXPECT_EQ(encodeValue({{REG_DWORD}, std::int64_t{0xFFFFFFFF}}, "k", "v"), (B{0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(encodeValue({{REG_DWORD}, std::uint64_t{0xFFFFFFFF}}, "k", "v"), (B{0xFF, 0xFF, 0xFF, 0xFF}));
  // A negative number is refused, not stored as its two's complement (which would read back as another number).
  EXPECT_EQ(encodeMessage({{REG_DWORD}, std::int64_t{-1}}),
            "cannot write value 'v' of key 'HKCU\\k': data for REG_DWORD must be from 0 to 4294967295, not -1");
  EXPECT_EQ(encodeMessage({{REG_DWORD_BIG_ENDIAN}, std::uint64_t{0x100000000}}),
            "cannot write value 'v' of key 'HKCU\\k': data for REG_DWORD_BIG_ENDIAN must be from 0 to 4294967295, "
            "not 4294967296");
  EXPECT_EQ(encodeValue({{REG_DWORD_BIG_ENDIAN}, std::int64_t{0x01020304}}, "k", "v"), (B{1, 2, 3, 4}));
  EXPECT_EQ(std::get<std::int64_t>(decodeValue(REG_DWORD, B{0xFF, 0xFF, 0xFF, 0xFF})), 0xFFFFFFFFll);
  EXPECT_EQ(std::get<std::int64_t>(decodeValue(REG_DWORD_BIG_ENDIAN, B{1, 2, 3, 4})), 0x01020304);
  EXPECT_EQ(encodeError({{REG_DWORD}, std::int64_t{0x100000000ll}}), ErrorCode::InvalidArgument);
  EXPECT_EQ(encodeError({{REG_DWORD}, std::string("1")}), ErrorCode::InvalidArgument);
  EXPECT_TRUE(std::holds_alternative<Bytes>(decodeValue(REG_DWORD, B{1, 2})));
}

TEST(ValueCodecTest, QwordsCoverTheWholeUnsignedRange) {
  RegValue max{{REG_QWORD}, std::uint64_t{0xFFFFFFFFFFFFFFFFull}};
  EXPECT_EQ(roundTrip(max), max);
  EXPECT_EQ(encodeValue({{REG_QWORD}, std::int64_t{5}}, "k", "v"), (B{5, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(ValueCodecTest, QwordsTakeDecimalStrings) {
  // What JSON carries best; the same in both modes, since the core reads it whichever binding delivered it.
  EXPECT_EQ(encodeValue({{REG_QWORD}, std::string("18446744073709551615")}, "k", "v"), B(8, 0xFF));
  EXPECT_EQ(encodeValue({{REG_QWORD}, std::string("5")}, "k", "v"), (B{5, 0, 0, 0, 0, 0, 0, 0}));
  for (std::string bad : {"18446744073709551616", "-1", "", "1e3", " 1", "0x10"})
    EXPECT_EQ(encodeMessage({{REG_QWORD}, bad}),
              "cannot write value 'v' of key 'HKCU\\k': data for REG_QWORD given as a string must be a decimal "
              "number from 0 to 18446744073709551615, not '" +
                  bad + "'")
        << bad;
  EXPECT_EQ(encodeMessage({{REG_QWORD}, std::vector<std::string>{"1"}}),
            "cannot write value 'v' of key 'HKCU\\k': data for REG_QWORD must be a bigint, a number, a decimal "
            "string or a Buffer");
}

TEST(ValueCodecTest, QwordsRefuseNegativeNumbers) {
  EXPECT_EQ(encodeMessage({{REG_QWORD}, std::int64_t{-1}}),
            "cannot write value 'v' of key 'HKCU\\k': data for REG_QWORD must be from 0 to 18446744073709551615, "
            "not -1");
  EXPECT_EQ(encodeError({{REG_QWORD}, std::int64_t{-9007199254740991}}), ErrorCode::InvalidArgument);
}

TEST(ValueCodecTest, BytesAreStoredAsTheyAreForAnyType) {
  B odd{1, 2, 3};
  for (std::uint32_t type : {REG_SZ, REG_DWORD, REG_MULTI_SZ, REG_QWORD, REG_BINARY, 0xffff0011u})
    EXPECT_EQ(encodeValue({{type}, Bytes{odd}}, "k", "v"), odd);
  EXPECT_EQ(std::get<Bytes>(decodeValue(0xffff0011u, odd)).bytes, odd);
  EXPECT_EQ(encodeError({{REG_BINARY}, std::string("text")}), ErrorCode::InvalidArgument);
}

TEST(ValueCodecTest, TypeNamesCoverTheKnownCodesOnly) {
  EXPECT_EQ(valueTypeName(REG_QWORD), "REG_QWORD");
  EXPECT_EQ(valueTypeName(12), "");
  EXPECT_EQ(valueTypeFromName("REG_EXPAND_SZ"), std::optional<std::uint32_t>(REG_EXPAND_SZ));
  EXPECT_EQ(valueTypeFromName("reg_sz"), std::nullopt);
}
