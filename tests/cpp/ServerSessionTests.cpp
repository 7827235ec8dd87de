// One connection's protocol state without sockets or threads: cancellation of queued requests, shutdown and exit,
// notifications, built-in methods and how handler failures become error responses.
#include <gtest/gtest.h>

#include "server/Session.h"
#include "tests/cpp/DispatchFakeBackend.h"
#include "tests/cpp/FrameTestSupport.h"

using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::server;
using json = nlohmann::ordered_json;

namespace {

const ServerInfo kInfo{"fake", "/fake/prefix", "9.9.9", 4242, 4096};

std::string request(json id, std::string method, json params = nullptr) {
  json m = {{"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", std::move(method)}};
  if (!params.is_null()) m["params"] = std::move(params);
  return m.dump();
}
std::string notification(std::string method, json params = nullptr) {
  json m = {{"jsonrpc", "2.0"}, {"method", std::move(method)}};
  if (!params.is_null()) m["params"] = std::move(params);
  return m.dump();
}

// The JSON of one framed response.
class ThrowingHandler : public Handler {
public:
  bool handles(std::string_view) const override { return true; }
  json call(std::string_view, const json&) const override { throw std::logic_error("boom"); }
};

struct ServerSessionTest : ::testing::Test {
  test::DispatchFakeBackend backend;
  TableHandler handler{backend};
  Session session{handler, kInfo};

  // Accepts and runs at once, as if the worker were idle.
  json roundTrip(const std::string& message) {
    Session::Step step = session.accept(message);
    if (!step.reply.empty()) return frameBody(step.reply);
    if (!step.job) return nullptr;
    std::string out = session.run(*step.job);
    session.finished(*step.job);
    return out.empty() ? json() : frameBody(out);
  }
};

} // namespace

TEST_F(ServerSessionTest, InitializeReportsTheServer) {
  json r = roundTrip(request(1, "initialize", {{"processId", 1}, {"clientInfo", {{"name", "t"}}}}));
  EXPECT_EQ(r["result"], (json{{"protocolVersion", 1},
                               {"serverVersion", "9.9.9"},
                               {"backend", "fake"},
                               {"pid", 4242},
                               {"prefix", "/fake/prefix"},
                               {"maxFrameBytes", 4096}}));
}

TEST_F(ServerSessionTest, CancelOfAQueuedRequestAnswersRequestCancelled) {
  Session::Step write = session.accept(
      request(1, "writeValue", {{"key", "HKCU\\K"}, {"name", "v"}, {"value", {{"type", "REG_DWORD"}, {"data", 1}}}}));
  Session::Step read = session.accept(request("r", "readValue", {{"key", "HKCU\\K"}, {"name", "v"}}));
  EXPECT_TRUE(session.accept(notification("$/cancelRequest", {{"id", "r"}})).reply.empty());
  // Cancelling an id that is not pending (or a number where the id was a string) changes nothing.
  session.accept(notification("$/cancelRequest", {{"id", 1234}}));
  session.accept(notification("$/cancelRequest", {{"id", 1}})); // write is still queued: cancelled too
  json w = frameBody(session.run(*write.job));
  EXPECT_EQ(w["error"]["code"], -32800);
  json r = frameBody(session.run(*read.job));
  EXPECT_EQ(r["id"], "r");
  EXPECT_EQ(r["error"]["code"], -32800);
  EXPECT_EQ(r["error"]["message"], "Request cancelled");
  EXPECT_FALSE(backend.keyExists(KeyPath::parse("HKCU\\K"))); // the cancelled write never ran
}

TEST_F(ServerSessionTest, CancelAfterStartIsIgnored) {
  Session::Step step = session.accept(request(5, "keyExists", {{"key", "HKCU\\K"}}));
  std::string out = session.run(*step.job);
  session.accept(notification("$/cancelRequest", {{"id", 5}}));
  session.finished(*step.job);
  EXPECT_EQ(frameBody(out)["result"], false);
}

TEST_F(ServerSessionTest, ShutdownThenExit) {
  EXPECT_EQ(roundTrip(request(1, "shutdown"))["result"], nullptr);
  EXPECT_TRUE(session.shutdownRequested());
  json after = roundTrip(request(2, "keyExists", {{"key", "HKCU"}}));
  EXPECT_EQ(after["error"]["code"], -32600);
  EXPECT_EQ(session.accept(notification("exit")).exitCode, 0);
}

TEST_F(ServerSessionTest, ExitWithoutShutdownIsCodeOne) { EXPECT_EQ(session.accept(notification("exit")).exitCode, 1); }

TEST_F(ServerSessionTest, NotificationsRunUnansweredOrAreIgnored) {
  Session::Step step = session.accept(
      notification("writeValue", {{"key", "HKCU\\K"}, {"name", "v"}, {"value", {{"type", "REG_SZ"}, {"data", "x"}}}}));
  ASSERT_TRUE(step.job);
  EXPECT_TRUE(session.run(*step.job).empty());
  EXPECT_EQ(roundTrip(request(1, "readStringValue", {{"key", "HKCU\\K"}, {"name", "v"}}))["result"], "x");
  // Unknown and `$/` notifications: nothing to run, nothing to answer.
  for (const char* method : {"nope", "$/setTrace", "initialized"}) {
    Session::Step s = session.accept(notification(method, json::object()));
    EXPECT_FALSE(s.job) << method;
    EXPECT_TRUE(s.reply.empty()) << method;
  }
  // A notification that fails is not answered either.
  Session::Step bad = session.accept(notification("readValue", {{"key", "HKCU\\Missing"}, {"name", "v"}}));
  EXPECT_TRUE(session.run(*bad.job).empty());
}

TEST_F(ServerSessionTest, UnknownMethodIsAnsweredAtOnce) {
  Session::Step step = session.accept(request(9, "frobnicate", json::object()));
  EXPECT_FALSE(step.job);
  json r = frameBody(step.reply);
  EXPECT_EQ(r["id"], 9);
  EXPECT_EQ(r["error"]["code"], -32601);
}

TEST_F(ServerSessionTest, ResponsesFromTheClientAreDropped) {
  Session::Step step = session.accept(R"({"jsonrpc":"2.0","id":1,"result":true})");
  EXPECT_FALSE(step.job);
  EXPECT_TRUE(step.reply.empty());
}

TEST(ServerSessionFailureTest, UnexpectedExceptionsBecomeInternalErrors) {
  ThrowingHandler handler;
  Session session(handler, kInfo);
  Session::Step step = session.accept(request(1, "anything", json::object()));
  json r = frameBody(session.run(*step.job));
  EXPECT_EQ(r["error"]["code"], -32603);
  EXPECT_EQ(r["error"]["message"], "Internal error: boom");
  EXPECT_EQ(r["error"]["data"]["code"], "ERR_INTERNAL");
}

TEST(ServerSessionEchoTest, EchoAnswersParamsAndStillHandlesBuiltins) {
  EchoHandler handler;
  Session session(handler, kInfo);
  Session::Step step = session.accept(request(1, "anything", {{"a", {1, 2}}}));
  EXPECT_EQ(frameBody(session.run(*step.job))["result"], (json{{"a", {1, 2}}}));
  step = session.accept(request(2, "noParams"));
  EXPECT_EQ(frameBody(session.run(*step.job))["result"], nullptr);
  step = session.accept(request(3, "initialize", json::object()));
  EXPECT_EQ(frameBody(session.run(*step.job))["result"]["protocolVersion"], 1);
}

TEST(ServerSessionFrameErrorTest, FrameErrorsAreAnsweredWithNullId) {
  EchoHandler handler;
  Session session(handler, kInfo);
  json tooLarge = frameBody(session.frameErrorReply("Content-Length 5000 exceeds the limit of 4096 bytes", true));
  EXPECT_EQ(tooLarge["id"], nullptr);
  EXPECT_EQ(tooLarge["error"]["code"], -32600);
  json malformed = frameBody(session.frameErrorReply("missing Content-Length header", false));
  EXPECT_EQ(malformed["error"]["code"], -32700);
}

TEST(ServerSessionInlineTest, ACancelledJobIsLeftToRun) {
  EchoHandler handler;
  Session session(handler, kInfo);
  Session::Step step = session.accept(request(7, "anything", json::object()));
  session.accept(notification("$/cancelRequest", {{"id", 7}}));
  EXPECT_FALSE(session.runInline(*step.job));
  EXPECT_EQ(frameBody(session.run(*step.job))["error"]["code"], -32800);
}

TEST(ServerSessionInlineTest, BackendsThatMayBlockAreNeverRunInline) {
  // The fake stands for any backend other than the hive store (the Windows registry): it does not promise to
  // answer without waiting (Backend::honoursNoBlockingScope), so its reads all go to the workers.
  test::DispatchFakeBackend backend;
  ASSERT_FALSE(backend.honoursNoBlockingScope());
  TableHandler handler(backend);
  EXPECT_FALSE(handler.answersInline("readValue"));
  Session session(handler, kInfo);
  Session::Step step = session.accept(request(1, "keyExists", {{"key", "HKCU"}}));
  EXPECT_FALSE(session.runInline(*step.job));
}
