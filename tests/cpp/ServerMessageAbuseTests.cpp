// Hostile or careless bytes sent to the real server: numbers beyond a double, nesting, bad strings, header lines
// ended by a bare LF, a frame left half sent. Each is answered (or the connection is closed with an answer saying
// why), and nothing is lost behind it.
#include <map>

#include "tests/cpp/ServerProcessSupport.h"

namespace {

std::string rawRequest(const std::string& body) { return regbridge::protocol::frameMessage(body); }

} // namespace

TEST(ServerMessageAbuseTest, NumbersBeyondADoubleAreAnsweredAndThePipelineGoesOn) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  for (std::string number : {std::string("1e400"), std::string("-1e400"), std::string(400, '7')}) {
    SCOPED_TRACE(number.substr(0, 10));
    sendAll(fd, rawRequest(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":)" + number + "}}") +
                    request(2, "ping", {{"after", true}}));
    auto replies = readMessages(fd, 2);
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(replies[0]["id"], 1);
    EXPECT_EQ(replies[0]["error"]["code"], -32602) << replies[0].dump();
    EXPECT_EQ(replies[0]["error"]["data"]["code"], "ERR_INVALID_ARGUMENT");
    EXPECT_NE(replies[0]["error"]["message"].get<std::string>().find("out of range"), std::string::npos);
    EXPECT_EQ(replies[1]["id"], 2);
    EXPECT_EQ(replies[1]["result"], (json{{"after", true}}));
  }
  // Where the server does not look, such a number does no harm; as the id it makes the request unanswerable by id.
  sendAll(fd, rawRequest(R"({"jsonrpc":"2.0","id":3,"method":"ping","extra":[1e400],"params":{"a":1}})") +
                  rawRequest(R"({"jsonrpc":"2.0","id":1e400,"method":"ping"})") + request(4, "ping"));
  auto replies = readMessages(fd, 3);
  ASSERT_EQ(replies.size(), 3u);
  // Errors found while reading may overtake answers to earlier requests: match by id.
  std::map<std::string, json> byId;
  for (auto& r : replies) byId[r["id"].dump()] = r;
  EXPECT_EQ(byId["3"]["result"], (json{{"a", 1}})) << byId["3"].dump();
  EXPECT_EQ(byId["null"]["error"]["code"], -32600) << byId["null"].dump();
  EXPECT_TRUE(byId["4"].contains("result"));
  ::close(fd);
}

TEST(ServerMessageAbuseTest, NumberBeyondADoubleInWriteValueWritesNothing) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  sendAll(fd, rawRequest(R"({"jsonrpc":"2.0","id":1,"method":"writeValue","params":{"key":"HKCU\\Software\\T",)"
                         R"("name":"v","value":{"type":"REG_DWORD","data":-1e400}}})") +
                  request(2, "readValue", {{"key", "HKCU\\Software\\T"}, {"name", "v"}}));
  auto replies = readMessages(fd, 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["error"]["code"], -32602) << replies[0].dump();
  EXPECT_EQ(replies[1]["error"]["data"]["code"], "ERR_KEY_NOT_FOUND") << replies[1].dump();
  ::close(fd);
}

TEST(ServerMessageAbuseTest, DeepNestingIsRefusedWithoutHarm) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  sendAll(fd, rawRequest(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":)" + deep + "}") + request(2, "ping"));
  auto replies = readMessages(fd, 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["error"]["code"], -32700) << replies[0].dump();
  EXPECT_NE(replies[0]["error"]["message"].get<std::string>().find("nest deeper"), std::string::npos);
  EXPECT_EQ(replies[1]["id"], 2);
  ::close(fd);
}

TEST(ServerMessageAbuseTest, BadStringsAreParseErrorsAndTheConnectionStays) {
  // Lone surrogate escapes (`"\ud800"`) are not bad: registry names may hold them (JsonWtf8Tests, 19.unicode.values).
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  const std::vector<std::string> bad = {
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"s\":\"\xff\"}}",         // not UTF-8
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"s\":\"\xed\xa0\x80\"}}", // encoded surrogate
  };
  for (const auto& body : bad) {
    sendAll(fd, rawRequest(body) + request(2, "ping"));
    auto replies = readMessages(fd, 2);
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(replies[0]["error"]["code"], -32700) << replies[0].dump();
    EXPECT_EQ(replies[1]["id"], 2);
  }
  ::close(fd);
}

TEST(ServerMessageAbuseTest, BareLfHeaderIsAnsweredThenClosed) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  std::string body = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
  sendAll(fd, "Content-Length: " + std::to_string(body.size()) + "\n\n" + body);
  auto replies = readMessages(fd, 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["error"]["code"], -32700);
  EXPECT_NE(replies[0]["error"]["message"].get<std::string>().find("bare LF"), std::string::npos) << replies[0].dump();
  EXPECT_TRUE(peerClosed(fd));
  ::close(fd);
}

TEST(ServerMessageAbuseTest, HalfSentFrameIsClosedAfterTheFrameTimeout) {
  PipeServer server({"--echo", "--frame-timeout-ms", "200"});
  ASSERT_EQ(server.ready["ready"], true);
  for (std::string partial : {std::string("Content-Len"), std::string("Content-Length: 10\r\n\r\n{")}) {
    int fd = connectTo(server.socket);
    ASSERT_GE(fd, 0);
    sendAll(fd, partial);
    auto replies = readMessages(fd, 1);
    ASSERT_EQ(replies.size(), 1u) << partial;
    EXPECT_EQ(replies[0]["error"]["code"], -32700);
    EXPECT_NE(replies[0]["error"]["message"].get<std::string>().find("unfinished"), std::string::npos);
    EXPECT_TRUE(peerClosed(fd));
    ::close(fd);
  }
  // A connection with nothing half sent may stay quiet for as long as it likes.
  int idle = connectTo(server.socket);
  sendAll(idle, request(1, "ping"));
  ASSERT_EQ(readMessages(idle, 1).size(), 1u);
  std::this_thread::sleep_for(600ms);
  sendAll(idle, request(2, "ping"));
  auto later = readMessages(idle, 1);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0]["id"], 2);
  ::close(idle);
}

TEST(ServerMessageAbuseTest, HalfClosedClientStillGetsItsAnswers) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  sendAll(fd, request(1, "a") + request(2, "b") + request(3, "c"));
  ::shutdown(fd, SHUT_WR); // done sending, still reading: not gone
  bool closed = false;
  auto replies = readMessages(fd, 4, &closed);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[2]["id"], 3);
  EXPECT_TRUE(closed);
  ::close(fd);
}
