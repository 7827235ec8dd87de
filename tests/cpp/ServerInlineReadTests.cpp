// Reads answered on the server's I/O thread (Session::runInline) over the real hive store: from memory they are
// answered at once; whatever would touch the disk, and every write, is left to a worker.
#include <gtest/gtest.h>

#include "registry/hive/HiveStore.h"
#include "server/Session.h"
#include "tests/cpp/FrameTestSupport.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::server;
using json = nlohmann::ordered_json;

namespace {

const ServerInfo kInfo{"hive", "/prefix", "9.9.9", 4242, 4096};

std::string request(json id, std::string method, json params) {
  return json{{"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", std::move(method)}, {"params", std::move(params)}}
      .dump();
}

// The inline answer to `message`. The hive store stats its files for foreign edits every 50 ms, and a read that
// falls due for that check goes to a worker (which makes it) once: so a few tries, on a slow machine.
std::optional<std::string> inlineAnswer(Session& session, const std::string& message) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    Session::Step step = session.accept(message);
    std::optional<std::string> answer = session.runInline(*step.job);
    if (!answer) session.run(*step.job); // a worker would have answered it
    session.finished(*step.job);
    if (answer) return answer;
  }
  return std::nullopt;
}

} // namespace

// Reads of the hive store are answered on the I/O thread when its trees are in memory; anything else is left to a
// worker, queued as it was.
TEST(ServerInlineReadTest, HiveReadsFromMemoryAreAnsweredInline) {
  regbridge::test::TempDir dir;
  auto store = hive::openHiveStore(dir.str());
  TableHandler handler(*store);
  Session session(handler, kInfo);

  // A write never runs inline.
  Session::Step write = session.accept(
      request(1, "writeValue", {{"key", "HKCU\\K"}, {"name", "v"}, {"value", {{"type", "REG_SZ"}, {"data", "x"}}}}));
  EXPECT_FALSE(session.runInline(*write.job));
  EXPECT_TRUE(frameBody(session.run(*write.job))["result"].is_null());
  session.finished(*write.job);

  // user.reg is in memory now: a read of it is answered at once, success and failure alike.
  std::optional<std::string> answer =
      inlineAnswer(session, request(2, "readStringValue", {{"key", "HKCU\\K"}, {"name", "v"}}));
  ASSERT_TRUE(answer);
  EXPECT_EQ(frameBody(*answer)["result"], "x");
  answer = inlineAnswer(session, request(3, "readStringValue", {{"key", "HKCU\\K"}, {"name", "nope"}}));
  ASSERT_TRUE(answer);
  EXPECT_EQ(frameBody(*answer)["error"]["data"]["code"], "ERR_VALUE_NOT_FOUND");

  // system.reg was never loaded: that would be disk work, so the read is left queued and a worker answers it.
  Session::Step cold = session.accept(request(4, "keyExists", {{"key", "HKLM\\Software"}}));
  EXPECT_FALSE(session.runInline(*cold.job));
  EXPECT_EQ(frameBody(session.run(*cold.job))["result"], false);
  session.finished(*cold.job);

  // Built-in methods need no store.
  Session::Step init = session.accept(request(5, "initialize", json::object()));
  answer = session.runInline(*init.job);
  ASSERT_TRUE(answer);
  EXPECT_EQ(frameBody(*answer)["result"]["protocolVersion"], 1);
  session.finished(*init.job);
}
