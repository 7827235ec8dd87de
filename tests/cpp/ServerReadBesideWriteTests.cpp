// A read from memory is answered on the helper's I/O thread while another connection's write still holds a worker
// (its save under way): the server runs in this process over a backend whose writes wait for the test's word, so
// "while the save runs" holds for as long as the test needs, however fast the disk or slow the build.
#include "tests/cpp/InProcessServerSupport.h"

using regbridge::test::InProcessServer;

TEST(ServerReadBesideWriteTest, AReadIsAnsweredWhileAnotherConnectionsWriteIsStillBeingSaved) {
  InProcessServer server;
  int writer = server.connect();
  int reader = server.connect();
  ASSERT_GE(writer, 0);
  ASSERT_GE(reader, 0);

  sendAll(writer,
          request(1, "writeValue",
                  {{"key", "HKCU\\Software\\Held"}, {"name", "v"}, {"value", {{"type", "REG_DWORD"}, {"data", 7}}}}));
  ASSERT_TRUE(server.backend.waitUntilACallIsHeld(10s)) << "the write never reached the backend";

  // The write cannot finish until release(): had the reads queued behind it, they would never be answered.
  sendAll(reader, request(2, "readValue", {{"key", "HKCU\\Software"}, {"name", "missing"}}) +
                      request(3, "keyExists", {{"key", "HKCU\\Software\\Held"}}));
  auto reads = readMessages(reader, 2, nullptr, 10000ms);
  ASSERT_EQ(reads.size(), 2u) << "the reads waited for the other connection's write";
  EXPECT_EQ(reads[0]["error"]["data"]["code"], "ERR_KEY_NOT_FOUND") << reads[0].dump();
  EXPECT_EQ(reads[1]["result"], false) << "a read saw a write that has not been saved yet";
  EXPECT_FALSE(waitReadable(writer, 0ms)) << "the held write was answered before it was let go";

  server.backend.release();
  auto written = readMessages(writer, 1, nullptr, 10000ms);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_TRUE(written[0]["result"].is_null()) << written[0].dump();
  sendAll(reader, request(4, "keyExists", {{"key", "HKCU\\Software\\Held"}}));
  auto after = readMessages(reader, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["result"], true);
  ::close(reader);
  ::close(writer);
}
