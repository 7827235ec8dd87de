// How the real server shares its workers and its memory: work for a client that has gone is dropped, clients take
// turns, an orphaned server leaves quickly without running what was queued, SIGTERM still answers what was
// accepted, and memory taken by a burst of connections is given back once they close.
#include <fstream>
#include <optional>
#include <random>
#include <sys/resource.h>

#include "protocol/Base64.h"
#include "tests/cpp/ServerProcessSupport.h"

namespace {

const std::string kKey = "HKCU\\Software\\Big";

// Writes a REG_BINARY of `bytes` random bytes at kKey\v, so that reading it back is real work.
void writeBigValue(const std::string& socket, std::size_t bytes) {
  std::vector<std::uint8_t> data(bytes);
  std::mt19937 random(7);
  for (auto& b : data) b = static_cast<std::uint8_t>(random());
  int fd = connectTo(socket);
  ASSERT_GE(fd, 0);
  sendAll(fd, request(1, "writeValue",
                      {{"key", kKey},
                       {"name", "v"},
                       {"value",
                        {{"type", "REG_BINARY"}, {"data", {{"base64", regbridge::protocol::encodeBase64(data)}}}}}}));
  auto replies = readMessages(fd, 1, nullptr, 60000ms);
  ASSERT_EQ(replies.size(), 1u);
  ASSERT_TRUE(replies[0]["result"].is_null()) << replies[0].dump().substr(0, 300);
  ::close(fd);
}

std::string bigReads(int count, int firstId = 100) {
  std::string out;
  for (int i = 0; i < count; ++i) out += request(firstId + i, "readValue", {{"key", kKey}, {"name", "v"}});
  return out;
}

std::string marker(int id, const std::string& name) {
  return request(id, "writeValue",
                 {{"key", "HKCU\\Software\\Markers"}, {"name", name}, {"value", {{"type", "REG_DWORD"}, {"data", 1}}}});
}

bool hiveMentions(const regbridge::test::TempDir& prefix, const std::string& name) {
  std::ifstream in(prefix.path() / "user.reg");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.find("\"" + name + "\"") != std::string::npos;
}

long vmRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

} // namespace

TEST(ServerWorkloadTest, RequestsOfAClientThatHasGoneAreDropped) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  writeBigValue(server.socket, 2 << 20);
  // Thirty reads and then a write, and the client is gone before any answer: none of it is wanted any more.
  int gone = connectTo(server.socket);
  ASSERT_GE(gone, 0);
  sendAll(gone, bigReads(30) + marker(200, "AbandonedMarker"));
  ::close(gone);
  // Another client is served meanwhile; then a graceful stop, which would run anything still queued.
  int other = connectTo(server.socket);
  sendAll(other, request(1, "keyExists", {{"key", kKey}}));
  auto replies = readMessages(other, 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["result"], true);
  ::close(other);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_FALSE(hiveMentions(prefix, "AbandonedMarker")) << "the gone client's queued write ran";
}

TEST(ServerWorkloadTest, ClientsTakeTurnsOnTheWorkers) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  writeBigValue(server.socket, 1 << 20);
  // Four clients (at least as many as there are workers) each queue forty big reads and then mark their end.
  constexpr int kHeavy = 4;
  std::vector<int> heavy;
  for (int i = 0; i < kHeavy; ++i) {
    heavy.push_back(connectTo(server.socket));
    sendAll(heavy.back(), bigReads(40) + marker(200, "Done" + std::to_string(i)));
  }
  for (int fd : heavy) ASSERT_EQ(readMessages(fd, 1, nullptr, 30000ms).size(), 1u);
  // Their queues are running. A small request must get a turn long before they are through.
  int probe = connectTo(server.socket);
  sendAll(probe, request(1, "listValues", {{"key", "HKCU\\Software\\Markers"}}));
  auto replies = readMessages(probe, 1, nullptr, 30000ms);
  ASSERT_EQ(replies.size(), 1u);
  // Before any marker exists the key is missing; with a marker or more, the heavy queues went first.
  EXPECT_EQ(replies[0]["error"]["data"]["code"], "ERR_KEY_NOT_FOUND") << replies[0].dump();
  ::close(probe);
  for (int fd : heavy) ::close(fd);
}

TEST(ServerWorkloadTest, OrphanExitsPromptlyWithoutRunningQueuedWork) {
  regbridge::test::TempDir prefix;
  pid_t parent;
  char sleepArg[] = "sleep", seconds[] = "60";
  char* argv[] = {sleepArg, seconds, nullptr};
  ASSERT_EQ(posix_spawnp(&parent, "sleep", nullptr, nullptr, argv, environ), 0);
  PipeServer server({"--prefix", prefix.str(), "--parent-pid", std::to_string(parent)});
  ASSERT_EQ(server.ready["ready"], true);
  writeBigValue(server.socket, 2 << 20);
  int fd = connectTo(server.socket);
  sendAll(fd, bigReads(100) + marker(200, "OrphanMarker"));
  ASSERT_EQ(readMessages(fd, 1, nullptr, 30000ms).size(), 1u); // the queue is running
  ::kill(parent, SIGKILL);
  ::waitpid(parent, nullptr, 0);
  // The protocol promises an exit within a second; a generous bound here, the figures are measured elsewhere.
  EXPECT_EQ(waitExit(server.child.pid, 4000ms), 0);
  server.child.pid = -1;
  EXPECT_FALSE(hiveMentions(prefix, "OrphanMarker")) << "queued work ran after the parent died";
  ::close(fd);
}

TEST(ServerWorkloadTest, SigtermStillAnswersEverythingAccepted) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  writeBigValue(server.socket, 1 << 20);
  int fd = connectTo(server.socket);
  sendAll(fd, bigReads(10) + marker(200, "TermMarker"));
  regbridge::protocol::FrameReader stream;
  ASSERT_EQ(readMessages(fd, 1, nullptr, 30000ms, &stream).size(), 1u);
  ::kill(server.child.pid, SIGTERM);
  auto rest = readMessages(fd, 10, nullptr, 30000ms, &stream);
  ASSERT_EQ(rest.size(), 10u);
  EXPECT_EQ(rest.back()["id"], 200);
  EXPECT_TRUE(rest.back()["result"].is_null());
  EXPECT_EQ(waitExit(server.child.pid), 0);
  server.child.pid = -1;
  EXPECT_TRUE(hiveMentions(prefix, "TermMarker"));
  ::close(fd);
}

TEST(ServerWorkloadTest, MemoryOfClosedConnectionsIsGivenBack) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  ASSERT_EQ(server.ready["ready"], true);
  auto burst = [&](int count) {
    std::vector<int> fds;
    for (int i = 0; i < count; ++i) {
      fds.push_back(connectTo(server.socket));
      ASSERT_GE(fds.back(), 0);
      sendAll(fds.back(), request(1, "keyExists", {{"key", "HKCU\\Software"}}));
    }
    for (int fd : fds) ASSERT_EQ(readMessages(fd, 1).size(), 1u);
    for (int fd : fds) ::close(fd);
  };
  // Settle before measuring: the store is open and a first connection has come and gone.
  burst(5);
  std::this_thread::sleep_for(1500ms);
  long start = vmRssKb(server.child.pid);
  ASSERT_GT(start, 0);
  // 2,000 connections, 500 open at a time.
  for (int i = 0; i < 4; ++i) burst(500);
  long after = vmRssKb(server.child.pid);
  for (auto deadline = Clock::now() + 10s; after - start >= 10 * 1024 && Clock::now() < deadline;) {
    std::this_thread::sleep_for(200ms);
    after = vmRssKb(server.child.pid);
  }
  EXPECT_LT(after - start, 10 * 1024) << "VmRSS went from " << start << " kB to " << after << " kB";
}

// Under a file-size limit (RLIMIT_FSIZE) a save that would pass it must fail with ERR_IO, as it does in-process —
// not kill the helper with SIGXFSZ and leave its temporary file behind.
TEST(ServerWorkloadTest, ASaveBeyondTheFileSizeLimitFailsWithErrIo) {
  regbridge::test::TempDir prefix;
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit limited = saved;
  limited.rlim_cur = 64 << 10; // inherited by the spawned helper; restored for this process at once
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  std::optional<PipeServer> server;
  try {
    server.emplace(std::vector<std::string>{"--prefix", prefix.str()});
  } catch (...) {
    ::setrlimit(RLIMIT_FSIZE, &saved);
    throw;
  }
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);

  int fd = connectTo(server->socket);
  ASSERT_GE(fd, 0);
  std::vector<std::uint8_t> data(256 << 10, 0x5A);
  sendAll(fd, request(1, "writeValue",
                      {{"key", kKey},
                       {"name", "v"},
                       {"value",
                        {{"type", "REG_BINARY"}, {"data", {{"base64", regbridge::protocol::encodeBase64(data)}}}}}}) +
                  request(2, "keyExists", {{"key", kKey}}));
  auto replies = readMessages(fd, 2, nullptr, 10000ms);
  ASSERT_EQ(replies.size(), 2u) << "the helper died";
  EXPECT_EQ(replies[0]["error"]["data"]["code"], "ERR_IO") << replies[0].dump();
  EXPECT_EQ(replies[1]["result"], false);
  ::close(fd);
  EXPECT_EQ(server->stop(), 0);
  for (const auto& entry : fs::directory_iterator(prefix.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}
