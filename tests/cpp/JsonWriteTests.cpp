// Results written straight to JSON text (JsonWrite.h) must be byte for byte what the nlohmann path writes
// (appendJsonWtf8 of toJson), for every result type of the handler table and every kind of value data.
#include <gtest/gtest.h>

#include "protocol/JsonWrite.h"
#include "registry/Operations.h"

using namespace regbridge;
using namespace regbridge::protocol;

namespace {

template <class T> void expectSameText(const T& value) {
  std::string direct = "prefix:"; // appended to, not replaced
  appendJson(direct, value);
  std::string viaDom = "prefix:";
  appendJsonWtf8(viaDom, toJson(value));
  EXPECT_EQ(direct, viaDom);
}

// Strings a value may hold: plain, escapes and controls, non-ASCII, a lone surrogate (WTF-8), a stray byte.
const std::vector<std::string> kStrings = {"",
                                           "plain",
                                           "quote \" backslash \\ slash / tab \t nl \n cr \r bell \x07 del \x7f",
                                           "Grüße 😀 €",
                                           "lone \xED\xA0\x80 surrogate",
                                           "stray \xFF byte",
                                           std::string("nul \0 inside", 12)};

std::vector<ValueData> allData() {
  std::vector<ValueData> data;
  for (const auto& s : kStrings) data.emplace_back(s);
  data.emplace_back(kStrings);
  data.emplace_back(std::vector<std::string>{});
  for (std::int64_t i : {std::int64_t(0), std::int64_t(-1), std::int64_t(4294967295), INT64_MIN, INT64_MAX})
    data.emplace_back(i);
  for (std::uint64_t u : {std::uint64_t(0), std::uint64_t(18446744073709551615ULL)}) data.emplace_back(u);
  data.emplace_back(Bytes{});
  data.emplace_back(Bytes{{0, 1, 2, 0xfe, 0xff}});
  return data;
}

} // namespace

TEST(JsonWriteTest, ScalarsAndStringsMatchTheDomPath) {
  expectSameText(true);
  expectSameText(false);
  expectSameText(Empty{});
  for (const auto& s : kStrings) expectSameText(s);
  expectSameText(kStrings);
  expectSameText(std::vector<std::string>{});
}

TEST(JsonWriteTest, ValuesOfEveryKindMatchTheDomPath) {
  std::vector<NamedValue> listed;
  for (const auto& data : allData()) {
    for (std::uint32_t code : {REG_SZ, REG_BINARY, REG_QWORD, 12345u}) {
      expectSameText(RegValue{{code}, data});
      listed.push_back(NamedValue{"name \"" + std::to_string(code) + "\" ü", {code}, data});
    }
  }
  expectSameText(listed);
  expectSameText(std::vector<NamedValue>{});
}

TEST(JsonWriteTest, KeyInfoMatchesTheDomPathWithAndWithoutItsOptionalMembers) {
  expectSameText(KeyInfo{3, 7, {134400603501230000ULL}, std::nullopt, std::nullopt});
  expectSameText(KeyInfo{0, 0, {0}, std::string("class \xED\xA0\x80"), std::nullopt});
  expectSameText(KeyInfo{1, 2, {1}, std::string(""), std::string("\\Registry\\Machine\\Software\\Target")});
}
