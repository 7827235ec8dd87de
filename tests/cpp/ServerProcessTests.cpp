// The real regbridge-server binary, started as a client would start it: the ready line, folder and socket
// permissions, pipelined requests, a garbage-sending connection beside a healthy one, the frame limit, --stdio,
// shutdown + exit, SIGTERM and the death of the parent. Each test starts its own server on its own temporary socket.
#include "tests/cpp/ServerProcessSupport.h"

TEST(ServerProcessTest, ReadyLinePermissionsAndPipelinedEcho) {
  PipeServer server({"--echo"});
  ASSERT_EQ(server.ready["ready"], true) << server.ready.dump();
  EXPECT_EQ(server.ready["pipe"], server.socket);
  EXPECT_EQ(server.ready["pid"], server.child.pid);
  EXPECT_EQ(modeOf(server.folder), 0700u);
  EXPECT_EQ(modeOf(server.socket), 0600u);

  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  std::string batch = request(0, "initialize", json::object());
  for (int i = 1; i <= 200; ++i) batch += request(i, "echo", {{"i", i}, {"s", std::string(i, 'x')}});
  sendAll(fd, batch);
  auto replies = readMessages(fd, 201);
  ASSERT_EQ(replies.size(), 201u);
  EXPECT_EQ(replies[0]["result"]["backend"], "echo");
  EXPECT_EQ(replies[0]["result"]["protocolVersion"], 1);
  // One connection's requests run in order, so its responses come back in order too.
  for (int i = 1; i <= 200; ++i) {
    EXPECT_EQ(replies[i]["id"], i);
    EXPECT_EQ(replies[i]["result"]["i"], i);
  }
  ::close(fd);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_FALSE(fs::exists(server.socket));
}

TEST(ServerProcessTest, GarbageClosesOnlyThatConnection) {
  PipeServer server({"--echo"});
  int good = connectTo(server.socket), bad = connectTo(server.socket);
  ASSERT_GE(good, 0);
  ASSERT_GE(bad, 0);
  sendAll(good, request(1, "ping"));
  ASSERT_EQ(readMessages(good, 1).size(), 1u);

  sendAll(bad, "this is not a header\r\n\r\n");
  auto errors = readMessages(bad, 1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["error"]["code"], -32700);
  EXPECT_TRUE(errors[0]["id"].is_null());
  EXPECT_TRUE(peerClosed(bad));

  sendAll(good, request(2, "ping") + request(3, "ping"));
  auto replies = readMessages(good, 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1]["id"], 3);
  ::close(good);
  ::close(bad);
}

TEST(ServerProcessTest, BadJsonIsAnsweredAndTheConnectionStays) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  sendAll(fd, regbridge::protocol::frameMessage("{not json") + request(1, "ping"));
  auto replies = readMessages(fd, 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["error"]["code"], -32700);
  EXPECT_EQ(replies[1]["id"], 1);
  ::close(fd);
}

TEST(ServerProcessTest, OversizeFrameIsRefusedBeforeItsBodyArrives) {
  PipeServer server({"--echo", "--max-frame-bytes", "1000"});
  int fd = connectTo(server.socket);
  sendAll(fd, "Content-Length: 5000\r\n\r\n"); // and no body at all
  auto replies = readMessages(fd, 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["error"]["code"], -32600);
  EXPECT_TRUE(peerClosed(fd));
  ::close(fd);
  int other = connectTo(server.socket);
  ASSERT_GE(other, 0);
  sendAll(other, request(1, "still here"));
  EXPECT_EQ(readMessages(other, 1).size(), 1u);
  ::close(other);
}

TEST(ServerProcessTest, SlowReaderDoesNotStallOthers) {
  PipeServer server({"--echo"});
  int slow = connectTo(server.socket), fast = connectTo(server.socket);
  // The slow client asks for far more than the socket buffers hold and reads none of it.
  std::string big(512 * 1024, 'x');
  std::string batch;
  for (int i = 0; i < 16; ++i) batch += request(i, "echo", {{"blob", big}});
  std::thread writer([&] {
    try {
      sendAll(slow, batch);
    } catch (...) {}
  });
  for (int i = 0; i < 20; ++i) {
    sendAll(fast, request(i, "ping"));
    ASSERT_EQ(readMessages(fast, 1, nullptr, 2000ms).size(), 1u) << "request " << i;
  }
  ::shutdown(slow, SHUT_RDWR);
  writer.join();
  ::close(slow);
  ::close(fast);
}

TEST(ServerProcessTest, ShutdownThenExitEndsTheProcess) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  sendAll(fd, request(1, "shutdown") + notification("exit"));
  auto replies = readMessages(fd, 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0]["result"].is_null());
  EXPECT_EQ(waitExit(server.child.pid), 0);
  server.child.pid = -1;
  EXPECT_FALSE(fs::exists(server.socket));
  ::close(fd);
}

TEST(ServerProcessTest, SigtermAnswersWhatWasAcceptedAndRemovesTheSocket) {
  PipeServer server({"--echo"});
  int fd = connectTo(server.socket);
  sendAll(fd, request(1, "ping"));
  ASSERT_EQ(readMessages(fd, 1).size(), 1u);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_FALSE(fs::exists(server.socket));
  EXPECT_TRUE(peerClosed(fd));
  ::close(fd);
}

TEST(ServerProcessTest, ExitsWhenTheParentDies) {
  // A stand-in parent: `sleep`, whose pid is handed over with --parent-pid.
  pid_t parent;
  char sleepArg[] = "sleep", seconds[] = "30";
  char* argv[] = {sleepArg, seconds, nullptr};
  ASSERT_EQ(posix_spawnp(&parent, "sleep", nullptr, nullptr, argv, environ), 0);
  PipeServer server({"--echo", "--parent-pid", std::to_string(parent)});
  ASSERT_EQ(server.ready["ready"], true);
  auto killedAt = Clock::now();
  ::kill(parent, SIGKILL);
  ::waitpid(parent, nullptr, 0);
  EXPECT_EQ(waitExit(server.child.pid, 3000ms), 0);
  EXPECT_LT(Clock::now() - killedAt, 1500ms);
  server.child.pid = -1;
  EXPECT_FALSE(fs::exists(server.socket));
}

TEST(ServerProcessTest, RefusesAFolderThatIsNotPrivate) {
  regbridge::test::TempDir dir;
  fs::path folder = dir.path() / "open";
  fs::create_directory(folder);
  ::chmod(folder.c_str(), 0755);
  Child child = spawnServer({"--pipe", (folder / "s").string(), "--echo", "--log-level", "error"});
  EXPECT_EQ(readLine(child.out, 3000ms), "");
  EXPECT_EQ(waitExit(child.pid), 1);
  EXPECT_FALSE(fs::exists(folder / "s"));
  ::close(child.out);
}

TEST(ServerProcessTest, RefusesASecondServerOnTheSameSocket) {
  PipeServer first({"--echo"});
  ASSERT_EQ(first.ready["ready"], true);
  Child second = spawnServer({"--pipe", first.socket, "--echo", "--log-level", "error"});
  EXPECT_EQ(waitExit(second.pid), 1);
  ::close(second.out);
  int fd = connectTo(first.socket); // the first one's socket is untouched
  EXPECT_GE(fd, 0);
  ::close(fd);
}

TEST(ServerProcessTest, StdioServesOneClientUntilStdinCloses) {
  Child child = spawnServer({"--stdio", "--echo", "--log-level", "error"}, true);
  std::string batch = request(1, "initialize", json::object()) + request(2, "ping", {{"a", 1}});
  ASSERT_EQ(::write(child.in, batch.data(), batch.size()), static_cast<ssize_t>(batch.size()));
  auto replies = readMessages(child.out, 2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1]["result"], (json{{"a", 1}}));
  ::close(child.in);
  EXPECT_EQ(waitExit(child.pid), 0);
  ::close(child.out);
}

TEST(ServerProcessTest, RealStoreWriteThenReadOnOneConnection) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  ASSERT_EQ(server.ready["ready"], true);
  int fd = connectTo(server.socket);
  json value = {{"type", "REG_QWORD"}, {"data", "18446744073709551615"}};
  // Pipelined without waiting: the read must see the write because one connection's requests run in order.
  sendAll(fd,
          request(1, "initialize", json::object()) +
              request(2, "writeValue", {{"key", "HKCU\\Software\\RegbridgeTest"}, {"name", "Q"}, {"value", value}}) +
              request(3, "readValue", {{"key", "HKCU\\Software\\RegbridgeTest"}, {"name", "q"}}) +
              request(4, "readValue", {{"key", "HKCU\\Software\\RegbridgeTest"}, {"name", "missing"}}));
  auto replies = readMessages(fd, 4);
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[0]["result"]["backend"], "hive");
  EXPECT_EQ(replies[0]["result"]["prefix"], prefix.str());
  EXPECT_TRUE(replies[1]["result"].is_null()) << replies[1].dump();
  EXPECT_EQ(replies[2]["result"], value) << replies[2].dump();
  EXPECT_EQ(replies[3]["error"]["code"], -32000);
  EXPECT_EQ(replies[3]["error"]["data"]["code"], "ERR_VALUE_NOT_FOUND");
  EXPECT_TRUE(fs::exists(prefix.path() / "user.reg"));
  ::close(fd);
}
