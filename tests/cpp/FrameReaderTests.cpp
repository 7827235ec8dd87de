// The LSP framing, apart from any socket: bytes split anywhere, several frames per read, and every malformed
// header the reader must refuse.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/FrameReader.h"

using namespace regbridge::protocol;

namespace {

struct Outcome {
  std::vector<std::string> bodies;
  bool failed = false;
  bool tooLarge = false;
  std::string error;
};

Outcome drain(FrameReader& reader) {
  Outcome out;
  std::string body;
  for (;;) {
    FrameStatus s = reader.next(body);
    if (s == FrameStatus::NeedMore) break;
    if (s == FrameStatus::Error) {
      out.failed = true;
      out.tooLarge = reader.tooLarge();
      out.error = reader.error();
      break;
    }
    out.bodies.push_back(body);
  }
  return out;
}

Outcome readAll(std::string_view bytes, std::size_t max = kDefaultMaxFrameBytes) {
  FrameReader reader(max);
  reader.feed(bytes);
  return drain(reader);
}

const std::string kFirst = R"({"jsonrpc":"2.0","id":1,"method":"keyExists","params":{"key":"HKCU\\a"}})";
const std::string kSecond = R"({"jsonrpc":"2.0","id":"two","method":"flush"})";
const std::string kUnicode = "{\"text\":\"h\xC3\xA9llo \xF0\x9F\x98\x80\"}"; // Content-Length counts bytes

} // namespace

TEST(FrameReaderTest, ReadsOneFrame) {
  Outcome out = readAll(frameMessage(kFirst));
  ASSERT_FALSE(out.failed) << out.error;
  ASSERT_EQ(out.bodies.size(), 1u);
  EXPECT_EQ(out.bodies[0], kFirst);
}

TEST(FrameReaderTest, SplitAtEveryByteGivesTheSameMessages) {
  std::string stream = frameMessage(kFirst) + frameMessage(kUnicode) + frameMessage(kSecond);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    FrameReader reader;
    reader.feed(std::string_view(stream).substr(0, split));
    Outcome first = drain(reader);
    reader.feed(std::string_view(stream).substr(split));
    Outcome second = drain(reader);
    ASSERT_FALSE(first.failed || second.failed) << "split at " << split;
    first.bodies.insert(first.bodies.end(), second.bodies.begin(), second.bodies.end());
    ASSERT_EQ(first.bodies, (std::vector<std::string>{kFirst, kUnicode, kSecond})) << "split at " << split;
  }
}

TEST(FrameReaderTest, OneByteAtATime) {
  std::string stream = frameMessage(kFirst) + frameMessage(kSecond);
  FrameReader reader;
  std::vector<std::string> bodies;
  for (char c : stream) {
    reader.feed(std::string_view(&c, 1));
    Outcome out = drain(reader);
    ASSERT_FALSE(out.failed);
    bodies.insert(bodies.end(), out.bodies.begin(), out.bodies.end());
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{kFirst, kSecond}));
  EXPECT_FALSE(reader.midMessage());
}

TEST(FrameReaderTest, ManyFramesInOneRead) {
  std::string stream;
  for (int i = 0; i < 1000; ++i) stream += frameMessage("{\"id\":" + std::to_string(i) + "}");
  Outcome out = readAll(stream);
  ASSERT_EQ(out.bodies.size(), 1000u);
  EXPECT_EQ(out.bodies[999], "{\"id\":999}");
}

TEST(FrameReaderTest, HeaderNamesAreCaseInsensitiveAndOtherHeadersIgnored) {
  std::string stream = "content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:   2 \r\n"
                       "X-Whatever: 1\r\n\r\n{}";
  Outcome out = readAll(stream);
  ASSERT_FALSE(out.failed) << out.error;
  EXPECT_EQ(out.bodies, std::vector<std::string>{"{}"});
}

TEST(FrameReaderTest, EmptyBodyIsAFrame) {
  // Framing is intact; the empty body is then a JSON parse error, answered without closing.
  Outcome out = readAll("Content-Length: 0\r\n\r\n");
  ASSERT_FALSE(out.failed);
  EXPECT_EQ(out.bodies, std::vector<std::string>{""});
}

TEST(FrameReaderTest, MissingContentLengthIsAnError) {
  Outcome out = readAll("Content-Type: application/json\r\n\r\n{}");
  EXPECT_TRUE(out.failed);
  EXPECT_NE(out.error.find("missing Content-Length"), std::string::npos) << out.error;
}

TEST(FrameReaderTest, DuplicateContentLengthIsAnErrorEvenWhenEqual) {
  Outcome out = readAll("Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_TRUE(out.failed);
  EXPECT_NE(out.error.find("duplicate"), std::string::npos) << out.error;
}

TEST(FrameReaderTest, BadContentLengthValues) {
  for (std::string value : {"-1", "+2", "2x", "0x10", "", "1 2", "abc"}) {
    Outcome out = readAll("Content-Length: " + value + "\r\n\r\n{}");
    EXPECT_TRUE(out.failed) << "'" << value << "'";
    EXPECT_FALSE(out.tooLarge) << value;
  }
}

TEST(FrameReaderTest, HeaderLineWithoutColonIsAnError) {
  Outcome out = readAll("Content-Length 2\r\n\r\n{}");
  EXPECT_TRUE(out.failed);
  EXPECT_NE(out.error.find("malformed header"), std::string::npos) << out.error;
}

TEST(FrameReaderTest, OversizeIsRefusedAsSoonAsTheHeaderIsRead) {
  FrameReader reader(1024);
  reader.feed("Content-Length: 1025\r\n\r\n"); // no body bytes yet: the error must not wait for them
  Outcome out = drain(reader);
  EXPECT_TRUE(out.failed);
  EXPECT_TRUE(out.tooLarge);
  EXPECT_NE(out.error.find("exceeds the limit of 1024"), std::string::npos) << out.error;
}

TEST(FrameReaderTest, ExactlyTheLimitIsAccepted) {
  std::string body(1024, ' ');
  Outcome out = readAll(frameMessage(body), 1024);
  ASSERT_FALSE(out.failed);
  EXPECT_EQ(out.bodies.size(), 1u);
}

TEST(FrameReaderTest, AbsurdContentLengthIsTooLargeNotMalformed) {
  Outcome out = readAll("Content-Length: 99999999999999999999999999\r\n\r\n");
  EXPECT_TRUE(out.failed);
  EXPECT_TRUE(out.tooLarge);
}

TEST(FrameReaderTest, EndlessHeaderIsAnError) {
  FrameReader reader;
  std::string junk(kMaxHeaderBytes + 1, 'x');
  reader.feed(junk);
  Outcome out = drain(reader);
  EXPECT_TRUE(out.failed);
  EXPECT_NE(out.error.find("header section longer"), std::string::npos) << out.error;
}

TEST(FrameReaderTest, ErrorIsSticky) {
  FrameReader reader;
  reader.feed("garbage\r\n\r\n");
  EXPECT_TRUE(drain(reader).failed);
  reader.feed(frameMessage("{}"));
  EXPECT_TRUE(drain(reader).failed);
}

TEST(FrameReaderTest, TruncatedFrameIsVisibleAsMidMessage) {
  FrameReader reader;
  reader.feed("Content-Length: 10\r\n\r\n{\"a\":");
  Outcome out = drain(reader);
  EXPECT_FALSE(out.failed);
  EXPECT_TRUE(out.bodies.empty());
  EXPECT_TRUE(reader.midMessage());
}

TEST(FrameReaderTest, LargeBodyInPieces) {
  std::string body = "\"" + std::string(3 * 1024 * 1024, 'a') + "\"";
  std::string stream = frameMessage(body) + frameMessage(kSecond);
  FrameReader reader;
  std::vector<std::string> bodies;
  for (std::size_t at = 0; at < stream.size(); at += 65536) {
    reader.feed(std::string_view(stream).substr(at, 65536));
    Outcome out = drain(reader);
    ASSERT_FALSE(out.failed);
    bodies.insert(bodies.end(), out.bodies.begin(), out.bodies.end());
  }
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0], body);
  EXPECT_EQ(bodies[1], kSecond);
}

TEST(FrameReaderTest, BareLfHeaderLineIsAnErrorAtOnce) {
  // Without the check the reader would wait for a CRLF CRLF that never comes while the peer waits for an answer.
  for (std::string stream : {std::string("Content-Length: 2\n\n{}"), std::string("Content-Length: 2\r\nX: y\n"),
                             std::string("\nContent-Length: 2\r\n\r\n{}")}) {
    FrameReader reader;
    reader.feed(stream);
    Outcome out = drain(reader);
    EXPECT_TRUE(out.failed) << stream;
    EXPECT_NE(reader.error().find("bare LF"), std::string::npos) << reader.error();
  }
  // Split so that the CR and the LF arrive in different feeds: still CRLF, still fine.
  FrameReader reader;
  reader.feed("Content-Length: 2\r");
  EXPECT_FALSE(drain(reader).failed);
  reader.feed("\n\r");
  EXPECT_FALSE(drain(reader).failed);
  reader.feed("\n{}");
  Outcome out = drain(reader);
  EXPECT_FALSE(out.failed);
  ASSERT_EQ(out.bodies.size(), 1u);
  EXPECT_EQ(out.bodies[0], "{}");
}
