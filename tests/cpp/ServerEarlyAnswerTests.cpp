// The answers to requests that arrive together start going out before the last of them is answered: the first at
// once, so that the client can read it while the helper works on the rest. The server runs in this process over a
// backend that holds one read until the test's word: had the first answer waited for the whole batch, the client
// would never see it while that read is held.
#include "tests/cpp/InProcessServerSupport.h"

using regbridge::test::HeldCallsBackend;
using regbridge::test::InProcessServer;

TEST(ServerEarlyAnswerTest, TheFirstAnswerOfABatchGoesOutWhileALaterRequestIsStillRunning) {
  InProcessServer server;
  int client = server.connect();
  ASSERT_GE(client, 0);

  // One write, so that the helper reads both requests at once (were they read apart, the first answer would go out
  // with its own read anyway, and the test would pass without telling anything: it cannot fail that way).
  sendAll(client, request(1, "keyExists", {{"key", "HKCU\\Software"}}) +
                      request(2, "keyExists", {{"key", HeldCallsBackend::kHeldKey}}));
  ASSERT_TRUE(server.backend.waitUntilACallIsHeld(10s)) << "the second request never reached the backend";
  auto first = readMessages(client, 1, nullptr, 10000ms);
  ASSERT_EQ(first.size(), 1u) << "the first answer waited for the request after it";
  EXPECT_EQ(first[0]["id"], 1) << first[0].dump();
  EXPECT_EQ(first[0]["result"], false) << first[0].dump();

  server.backend.release();
  auto second = readMessages(client, 1, nullptr, 10000ms);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["id"], 2) << second[0].dump();
  ::close(client);
}
