// The WTF-8 <-> UTF-16 conversions of registry/Unicode.h: every UTF-16 string, lone surrogates included, has exactly
// one WTF-8 form and comes back from it unchanged.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "registry/Unicode.h"

using namespace regbridge;

namespace {

std::vector<unsigned char> le(std::u16string_view units) {
  std::vector<unsigned char> out;
  appendLe(out, units);
  return out;
}

std::string fromLe(std::u16string_view units) {
  auto bytes = le(units);
  std::string out = "stale content";
  utf8FromUtf16Le(out, bytes.data(), bytes.size());
  return out;
}

// Strings that mix ASCII runs (longer than the eight-byte fast paths), other BMP characters, valid pairs and lone
// surrogates, from a fixed seed.
std::vector<std::u16string> randomStrings() {
  std::mt19937 random(20261130);
  const std::u16string pieces[] = {u"plain ascii text",
                                   u"\u00e9",
                                   u"\u20ac",
                                   u"\U0001F600",
                                   std::u16string(1, 0xD800),
                                   std::u16string(1, 0xDBFF),
                                   std::u16string(1, 0xDC00),
                                   std::u16string(1, 0xDFFF),
                                   u"x",
                                   std::u16string(1, 0xD7FF),
                                   std::u16string(1, 0xE000),
                                   std::u16string(1, u'\0')};
  std::vector<std::u16string> out;
  for (int i = 0; i < 2000; ++i) {
    std::u16string s;
    for (int n = static_cast<int>(random() % 12); n > 0; --n) s += pieces[random() % std::size(pieces)];
    out.push_back(s);
  }
  return out;
}

} // namespace

TEST(UnicodeTest, ALoneSurrogateIsItsThreeByteSequence) {
  EXPECT_EQ(utf16ToUtf8(u"n\xD800"), "n\xED\xA0\x80");
  EXPECT_EQ(utf16ToUtf8(u"n\xDFFF"), "n\xED\xBF\xBF");
  EXPECT_NE(utf16ToUtf8(u"n\xD800"), utf16ToUtf8(u"n\xDFFF"));
  EXPECT_EQ(utf16ToUtf8(u"\xDC00\xD800"), "\xED\xB0\x80\xED\xA0\x80"); // a reversed pair is two lone surrogates
  EXPECT_EQ(utf16ToUtf8(u"\xD800\xD800\xDC00"), "\xED\xA0\x80\xF0\x90\x80\x80");
}

TEST(UnicodeTest, AValidPairIsOneFourByteSequence) {
  EXPECT_EQ(utf16ToUtf8(u"\U0001F600"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(utf16ToUtf8(u"a\U0010FFFFb"), "a\xF4\x8F\xBF\xBF"
                                          "b");
}

TEST(UnicodeTest, EveryUtf16StringRoundTrips) {
  for (const std::u16string& s : randomStrings()) {
    const std::string wtf8 = utf16ToUtf8(s);
    EXPECT_TRUE(isValidUtf8(wtf8));
    ASSERT_EQ(utf8ToUtf16(wtf8), s);
    EXPECT_EQ(fromLe(s), wtf8); // the REG_SZ path gives the same text
    std::string reused = "previous longer content that must go";
    utf16ToUtf8(reused, s);
    EXPECT_EQ(reused, wtf8);
  }
}

TEST(UnicodeTest, EverySingleCodeUnitRoundTrips) {
  for (std::uint32_t unit = 0; unit <= 0xFFFF; ++unit) {
    const std::u16string s{u'a', static_cast<char16_t>(unit), u'b'};
    ASSERT_EQ(utf8ToUtf16(utf16ToUtf8(s)), s) << unit;
  }
}

TEST(UnicodeTest, PlainUtf8IsUnchanged) {
  const std::string text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xED\x9F\xBF"; // U+D7FF is no surrogate
  ASSERT_TRUE(utf8ToUtf16(text));
  EXPECT_EQ(utf16ToUtf8(*utf8ToUtf16(text)), text);
  EXPECT_FALSE(hasLoneSurrogate(text));
}

TEST(UnicodeTest, RejectsWhatIsNotWtf8) {
  for (std::string bad : {std::string("a\xFF"), std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"),
                          std::string("\xF4\x90\x80\x80"), std::string("\xE2\x82"), std::string("\x80"),
                          // a high and a low surrogate as two sequences: that pair has one four-byte form only
                          std::string("\xED\xA0\x80\xED\xB0\x80"), std::string("12345678\xED\xAF\xBF\xED\xBF\xBF")}) {
    EXPECT_FALSE(isValidUtf8(bad)) << bad;
    EXPECT_FALSE(utf8ToUtf16(bad)) << bad;
  }
  for (std::string good : {std::string("\xED\xB0\x80\xED\xA0\x80"),
                           std::string("\xED\xA0\x80"
                                       "a\xED\xB0\x80"),
                           std::string("\xED\xA0\x80\xED\xA0\x80"), std::string("\xED\xA0\x80")}) {
    EXPECT_TRUE(isValidUtf8(good)) << good;
    EXPECT_TRUE(utf8ToUtf16(good)) << good;
  }
}

TEST(UnicodeTest, FindsLoneSurrogates) {
  EXPECT_FALSE(hasLoneSurrogate(""));
  EXPECT_FALSE(hasLoneSurrogate(std::string_view()));
  EXPECT_FALSE(hasLoneSurrogate("plain text, longer than a word"));
  EXPECT_TRUE(hasLoneSurrogate("plain text, longer than a word \xED\xA0\x80"));
  EXPECT_TRUE(hasLoneSurrogate("\xED\xBF\xBF"));
  EXPECT_FALSE(hasLoneSurrogate("\xED\x9F\xBF\xF0\x9F\x98\x80"));
}

TEST(UnicodeTest, DecodesOneSequenceAtATime) {
  const std::string text = "\xED\xA0\x80\xF0\x9F\x98\x80\xC3";
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  EXPECT_EQ(decodeUtf8Sequence(p, end), 0xD800);
  EXPECT_EQ(decodeUtf8Sequence(p, end), 0x1F600);
  const auto* cut = p;
  EXPECT_EQ(decodeUtf8Sequence(p, end), -1);
  EXPECT_EQ(p, cut);
  EXPECT_EQ(surrogateAt(reinterpret_cast<const unsigned char*>("\xED\xB3\x81")), 0xDCC1);
}
