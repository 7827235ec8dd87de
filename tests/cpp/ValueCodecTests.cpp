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

TEST(ValueCodecTest, MalformedStringsComeBackAsBytes) {
  B lone = utf16(u"\xD800x");
  EXPECT_TRUE(std::holds_alternative<Bytes>(decodeValue(REG_SZ, lone)));
  EXPECT_TRUE(std::holds_alternative<Bytes>(decodeValue(REG_SZ, B{0x41})));
}

TEST(ValueCodecTest, MultiStringsRoundTrip) {
  for (auto list : {std::vector<std::string>{}, std::vector<std::string>{"a", "b"}, std::vector<std::string>{"x😀"}}) {
    RegValue v{{REG_MULTI_SZ}, list};
    EXPECT_EQ(roundTrip(v), v);
  }
  EXPECT_EQ(encodeValue({{REG_MULTI_SZ}, std::vector<std::string>{"a", "b"}}, "k", "v"), utf16(std::u16string_view(u"a\0b\0", 4), true));
  EXPECT_EQ(encodeError({{REG_MULTI_SZ}, std::vector<std::string>{std::string("a\0b", 3)}}),
            ErrorCode::InvalidArgument);
}

// Windows' readers stop at the first empty string of a REG_MULTI_SZ: a typed write of one would lose the strings
// from there on for them. Refused, naming the item; stored bytes that hold one still decode to the whole list.
TEST(ValueCodecTest, MultiStringsRefuseAnEmptyItemButStoredOnesDecode) {
  for (auto list : {std::vector<std::string>{""}, std::vector<std::string>{"a", "", "b"},
                    std::vector<std::string>{"a", "b", ""}}) {
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

TEST(ValueCodecTest, DwordsAcceptTheUnsignedAndSignedRanges) {
  EXPECT_EQ(encodeValue({{REG_DWORD}, std::int64_t{0x1F}}, "k", "v"), (B{0x1F, 0, 0, 0}));
  EXPECT_EQ(encodeValue({{REG_DWORD}, std::int64_t{-1}}, "k", "v"), (B{0xFF, 0xFF, 0xFF, 0xFF}));
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
