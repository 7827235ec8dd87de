// The plain-subset parser must give exactly what nlohmann's parser gives, types and key order included, or give up
// (and leave the text to that parser): checked on hand-picked texts and on many generated ones.
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>

#include "protocol/JsonPlainParse.h"
#include "protocol/JsonScan.h"

using regbridge::protocol::parsePlainJson;
using json = nlohmann::ordered_json;

namespace {

// Equal values of equal types all the way down (nlohmann's == calls 1u and 1 equal).
bool same(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    auto i = a.begin();
    auto j = b.begin();
    for (; i != a.end(); ++i, ++j)
      if (i.key() != j.key() || !same(*i, *j)) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (!same(a[k], b[k])) return false;
    return true;
  }
  return a == b;
}

// Whatever the plain parser says of `text` agrees with json::parse: the same value, or nothing when that throws.
void expectAgrees(const std::string& text) {
  std::optional<json> plain = parsePlainJson(text);
  json full;
  bool fullParses = true;
  try {
    full = json::parse(text);
  } catch (const json::exception&) {
    fullParses = false;
  }
  if (!plain) return; // giving up is always allowed
  ASSERT_TRUE(fullParses) << "accepted what json::parse refuses: " << text;
  EXPECT_TRUE(same(*plain, full)) << text << "\n plain: " << plain->dump() << "\n full:  " << full.dump();
}

} // namespace

TEST(JsonPlainParseTest, ReadsWhatClientsSend) {
  const std::string request =
      R"({"jsonrpc":"2.0","id":17,"method":"readStringValue","params":{"key":"HKLM\\Software\\Acme","name":"v"}})";
  std::optional<json> parsed = parsePlainJson(request);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(same(*parsed, json::parse(request)));
  EXPECT_TRUE((*parsed)["id"].is_number_unsigned());
  EXPECT_EQ((*parsed)["params"]["key"], "HKLM\\Software\\Acme");
  EXPECT_EQ(parsed->begin().key(), "jsonrpc"); // order kept

  for (const char* text :
       {R"( { "a" : [ 1 , -2 , true , false , null , "x\"\\\/\b\f\n\r\t" , { } , [ ] ] } )", R"({"a":1,"b":2,"a":3})",
        "0", "-123456789012345678", "123456789012345678", "\"\"", "[[[]]]", "{\"\":0}"}) {
    ASSERT_TRUE(parsePlainJson(text)) << text;
    expectAgrees(text);
  }
}

TEST(JsonPlainParseTest, LeavesEverythingElseToTheFullParser) {
  for (const char* text : {
           "",           // nothing
           "{",          // unfinished
           "{\"a\":1,}", // trailing comma
           "[1 2]",      // no comma
           "{\"a\" 1}",  // no colon
           "1.5",
           "1e3",
           "1E3",                 // not integers
           "1234567890123456789", // 19 digits
           "-0",
           "01",
           "-",
           "+1",              // odd integers
           "\"\\u0041\"",     // \u escapes: the WTF-8 rules
           "\"caf\xc3\xa9\"", // non-ASCII: UTF-8 validation
           "\"a\tb\"",        // a raw control character
           "\"\\x\"",         // unknown escape
           "tru",
           "nul",
           "falsey",
           "{} x",
           "[1]]",
       }) {
    EXPECT_FALSE(parsePlainJson(text)) << text;
    expectAgrees(text);
  }
  // Nesting at the limit is read; one level more is the full path's (which refuses it before parsing).
  const std::size_t limit = regbridge::protocol::kMaxJsonDepth;
  EXPECT_TRUE(parsePlainJson(std::string(limit, '[') + std::string(limit, ']')));
  EXPECT_FALSE(parsePlainJson(std::string(limit + 1, '[') + std::string(limit + 1, ']')));
}

TEST(JsonPlainParseTest, AgreesWithTheFullParserOnGeneratedTexts) {
  // Texts built from JSON's pieces, mostly well-formed, sometimes broken in one place.
  std::mt19937 random(20261201);
  const std::vector<std::string> atoms = {"0",       "7",        "-7",    "42",          "18446744073709551615",
                                          "1.0",     "true",     "null",  "false",       "\"k\"",
                                          "\"\\n\"", "\"\\\\\"", "\"é\"", "\"\\u00e9\"", "-0"};
  const std::vector<std::string> breaks = {",", ":", "]", "}", "\"", " ", "x", "\\", "\n"};
  std::function<std::string(int)> make = [&](int depth) -> std::string {
    int pick = std::uniform_int_distribution<int>(0, depth > 3 ? 0 : 2)(random);
    if (pick == 0) return atoms[random() % atoms.size()];
    std::size_t n = random() % 4;
    std::string out(1, pick == 1 ? '[' : '{');
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += random() % 3 == 0 ? " , " : ",";
      if (pick == 2) {
        out += '"';
        out += char('a' + random() % 3);
        out += "\":";
      }
      out += make(depth + 1);
    }
    out += pick == 1 ? ']' : '}';
    return out;
  };
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = make(0);
    if (random() % 4 == 0) text.insert(random() % (text.size() + 1), breaks[random() % breaks.size()]);
    expectAgrees(text);
    accepted += parsePlainJson(text).has_value();
  }
  EXPECT_GT(accepted, 2000); // the comparison was not vacuous
}
