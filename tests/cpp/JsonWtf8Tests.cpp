// JSON text with lone surrogate escapes (protocol/JsonWtf8.h): parsed into WTF-8, written back as escapes, and
// everything else exactly as nlohmann::json parses and writes it.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "protocol/JsonWtf8.h"
#include "protocol/Message.h"
#include "registry/Unicode.h"

using namespace regbridge;
using namespace regbridge::protocol;
using json = nlohmann::ordered_json;

namespace {

const std::string kD800 = "\xED\xA0\x80", kDC00 = "\xED\xB0\x80", kDFFF = "\xED\xBF\xBF";
const std::string kFDD0 = "\xEF\xB7\x90", kE000 = "\xEE\x80\x80"; // the parser's marker and first stand-in

std::string text(const json& j) { return jsonWtf8Text(j); }

std::string parseErrorOf(const std::string& body) {
  try {
    parseJsonWtf8(body);
  } catch (const json::parse_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST(JsonWtf8Test, LoneSurrogateEscapesBecomeWtf8) {
  EXPECT_EQ(parseJsonWtf8(R"("n\ud800")"), "n" + kD800);
  EXPECT_EQ(parseJsonWtf8(R"("n\uDFFF")"), "n" + kDFFF);
  EXPECT_NE(parseJsonWtf8(R"("n\ud800")"), parseJsonWtf8(R"("n\udfff")"));
  EXPECT_EQ(parseJsonWtf8(R"("\udc00\ud800")"), kDC00 + kD800);                    // a reversed pair
  EXPECT_EQ(parseJsonWtf8(R"("\ud800\ud800\udc00")"), kD800 + "\xF0\x90\x80\x80"); // lone, then a pair
  EXPECT_EQ(parseJsonWtf8(R"(["\ud83d\ude00", "\ud800"])"), json::array({"\xF0\x9F\x98\x80", kD800}));
  // In keys too, in their places.
  json object = parseJsonWtf8(R"({"a":1,"k\udc00":{"\ud800":"v\udfff"},"z":[true]})");
  EXPECT_EQ(text(object), R"({"a":1,"k\udc00":{"\ud800":"v\udfff"},"z":[true]})");
  EXPECT_EQ(object["k" + kDC00][kD800], "v" + kDFFF);
}

TEST(JsonWtf8Test, TheMarkerAndTheStandInsOfARealTextAreKept) {
  // U+FDD0 and U+E000 in the text, raw and escaped, beside a lone surrogate escape and without one.
  for (const std::string lone : {"", "\\ud800"}) {
    const std::string body =
        "[\"" + kFDD0 + "|\\ufdd0|\\uFDD0" + kE000 + "|\\ue000|" + kFDD0 + kFDD0 + "|" + lone + "\"]";
    const std::string expected = kFDD0 + "|" + kFDD0 + "|" + kFDD0 + kE000 + "|" + kE000 + "|" + kFDD0 + kFDD0 + "|" +
                                 (lone.empty() ? "" : kD800);
    EXPECT_EQ(parseJsonWtf8(body), json::array({expected})) << body;
  }
}

TEST(JsonWtf8Test, EscapedBackslashesAreNotEscapes) {
  EXPECT_EQ(parseJsonWtf8(R"(["\\ud800", "\\\ud800"])"), json::array({"\\ud800", "\\" + kD800}));
}

TEST(JsonWtf8Test, ErrorsAreJsonParsesAtTheSamePlace) {
  // The text is bad after a lone surrogate: the error is where the parser finds it, quoting no stand-in.
  const std::string withLone = R"({"a":"x\ud800", "b":tru})";
  const std::string withoutLone = R"({"a":"x\ufffd", "b":tru})";
  EXPECT_EQ(parseErrorOf(withLone), parseErrorOf(withoutLone));
  EXPECT_NE(parseErrorOf(withLone), "no error");
  EXPECT_EQ(parseErrorOf(R"(["\ud800)").find(kFDD0), std::string::npos) << parseErrorOf(R"(["\ud800)");
  // Raw bytes of a surrogate are not UTF-8, as before.
  EXPECT_NE(parseErrorOf("[\"" + kD800 + "\"]"), "no error");
  EXPECT_NE(parseErrorOf(R"(["\ud800\u12"])"), "no error");
  EXPECT_NE(parseErrorOf(R"(["\ud800", "\)"), "no error"); // a backslash at the very end
}

TEST(JsonWtf8Test, DeepDocumentsAreRestoredWithoutRecursion) {
  const int depth = 5000;
  std::string body = std::string(depth, '[') + R"("\ud800")" + std::string(depth, ']');
  json parsed = parseJsonWtf8(body);
  const json* inner = &parsed;
  for (int i = 0; i < depth; ++i) inner = &(*inner)[0];
  EXPECT_EQ(*inner, kD800);
}

TEST(JsonWtf8Test, WritesWhatNlohmannWritesForEverythingElse) {
  json doc = json::object();
  std::string controls;
  for (int c = 0; c < 0x80; ++c) controls.push_back(static_cast<char>(c));
  doc["controls"] = controls;
  doc["unicode"] = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xED\x9F\xBF \xEF\xBF\xBD";
  doc["numbers"] = json::array({0, -1, std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::uint64_t>::max(), 1.5, -0.0, 1e300, 0.1});
  doc["nested"] = json::parse(R"({"a":[],"b":{},"c":[null,true,false,{"d":"\"q\\"}]})");
  doc[""] = "empty key";
  doc["a \"key\"\n"] = std::string(100, 'x');
  EXPECT_EQ(text(doc), doc.dump());
  EXPECT_EQ(text(json::array()), "[]");
  EXPECT_EQ(text(json()), "null");
}

TEST(JsonWtf8Test, WritesLoneSurrogatesAsEscapesAndBadBytesAsReplacements) {
  EXPECT_EQ(text(json("n" + kD800)), R"("n\ud800")");
  EXPECT_EQ(text(json(kDC00 + kD800 + "12345678" + kDFFF)), R"("\udc00\ud80012345678\udfff")");
  EXPECT_EQ(text(json("a\xFF"
                      "b\xC3")),
            "\"a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\"");
}

TEST(JsonWtf8Test, EveryUtf16StringSurvivesTheWire) {
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    std::u16string units;
    for (int n = static_cast<int>(random() % 16); n > 0; --n) {
      switch (random() % 5) {
      case 0: units += static_cast<char16_t>(0xD800 + random() % 0x800); break; // any surrogate
      case 1: units += static_cast<char16_t>(random() % 0x80); break;
      case 2: units += static_cast<char16_t>(random() % 0x10000); break;
      case 3: units += u"\uFDD0"; break;
      default: units += static_cast<char16_t>(0xE000 + random() % 0x800); break; // the stand-ins' range
      }
    }
    const std::string wtf8 = utf16ToUtf8(units);
    const json parsed = parseJsonWtf8("{\"k" + text(json(wtf8)).substr(1) + ":" + text(json(wtf8)) + "}");
    ASSERT_EQ(parsed.begin().value(), wtf8);
    ASSERT_EQ(parsed.begin().key(), "k" + wtf8);
  }
}

TEST(JsonWtf8Test, MessagesCarryLoneSurrogates) {
  Incoming in =
      parseMessage(R"({"jsonrpc":"2.0","id":"r\ud800","method":"listSubkeys","params":{"key":"HKCU\\n\udfff"}})");
  ASSERT_EQ(in.kind, Incoming::Kind::Request) << (in.error ? in.error->what() : "");
  EXPECT_EQ(in.id, "r" + kD800);
  EXPECT_EQ(in.params["key"], "HKCU\\n" + kDFFF);
  EXPECT_EQ(resultMessage(in.id, json::array({"A" + kD800})),
            R"({"jsonrpc":"2.0","id":"r\ud800","result":["A\ud800"]})");
}
