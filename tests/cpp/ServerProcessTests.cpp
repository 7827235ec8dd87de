// The real regbridge-server binary, started as a client would start it: the ready line, folder and socket
// permissions, pipelined requests, a garbage-sending connection beside a healthy one, the frame limit, --stdio,
// shutdown + exit, SIGTERM and the death of the parent. Each test starts its own server on its own temporary socket.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "protocol/FrameReader.h"
#include "tests/cpp/TestSupport.h"

extern char** environ;

using json = nlohmann::ordered_json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// A started server: its pid and the read end of its stdout.
struct Child {
  pid_t pid = -1;
  int out = -1; // stdout (pipe mode) or the protocol stream (stdio mode)
  int in = -1;  // stdin, only in stdio mode
};

Child spawnServer(std::vector<std::string> args, bool stdio = false) {
  int outPipe[2], inPipe[2] = {-1, -1};
  if (::pipe(outPipe) != 0) throw std::runtime_error("pipe");
  if (stdio && ::pipe(inPipe) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, outPipe[0]);
  posix_spawn_file_actions_addclose(&actions, outPipe[1]);
  if (stdio) {
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&actions, inPipe[0]);
    posix_spawn_file_actions_addclose(&actions, inPipe[1]);
  }
  args.insert(args.begin(), REGBRIDGE_SERVER_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Child child;
  int rc = posix_spawn(&child.pid, REGBRIDGE_SERVER_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(outPipe[1]);
  if (stdio) ::close(inPipe[0]);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  child.out = outPipe[0];
  child.in = inPipe[1];
  return child;
}

bool waitReadable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

// Everything up to the first newline on the child's stdout.
std::string readLine(int fd, std::chrono::milliseconds timeout = 5000ms) {
  std::string line;
  auto deadline = Clock::now() + timeout;
  char c;
  while (Clock::now() < deadline) {
    if (!waitReadable(fd, 100ms)) continue;
    if (::read(fd, &c, 1) != 1) break;
    if (c == '\n') return line;
    line += c;
  }
  return line;
}

// Exit status, or -1 if it did not exit in time (then it is killed).
int waitExit(pid_t pid, std::chrono::milliseconds timeout = 5000ms) {
  auto deadline = Clock::now() + timeout;
  int status = 0;
  while (Clock::now() < deadline) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

int connectTo(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void sendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string request(json id, const std::string& method, json params = nullptr) {
  json m = {{"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", method}};
  if (!params.is_null()) m["params"] = std::move(params);
  return regbridge::protocol::frameMessage(m.dump());
}
std::string notification(const std::string& method) {
  return regbridge::protocol::frameMessage(json{{"jsonrpc", "2.0"}, {"method", method}}.dump());
}

// Reads `count` messages from fd (fewer if the peer closes or the time runs out). `closed` tells whether EOF came.
std::vector<json> readMessages(int fd, std::size_t count, bool* closed = nullptr,
                               std::chrono::milliseconds timeout = 5000ms) {
  regbridge::protocol::FrameReader reader;
  std::vector<json> out;
  std::string body;
  char buf[65536];
  auto deadline = Clock::now() + timeout;
  if (closed) *closed = false;
  while (out.size() < count && Clock::now() < deadline) {
    if (!waitReadable(fd, 50ms)) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      if (closed) *closed = true;
      break;
    }
    reader.feed({buf, static_cast<std::size_t>(n)});
    while (reader.next(body) == regbridge::protocol::FrameStatus::Message) out.push_back(json::parse(body));
  }
  return out;
}

bool peerClosed(int fd, std::chrono::milliseconds timeout = 3000ms) {
  bool closed = false;
  readMessages(fd, 1000, &closed, timeout);
  return closed;
}

unsigned modeOf(const fs::path& p) {
  struct stat st {};
  ::lstat(p.c_str(), &st);
  return st.st_mode & 07777;
}

// A server in --pipe mode on a socket in a folder it creates; stopped with SIGTERM at the end if still running.
struct PipeServer {
  regbridge::test::TempDir dir;
  fs::path folder = dir.path() / "run";
  std::string socket = (folder / "s").string();
  Child child;
  json ready;

  explicit PipeServer(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--pipe", socket, "--log-level", "error"};
    args.insert(args.end(), extra.begin(), extra.end());
    child = spawnServer(args);
    std::string line = readLine(child.out);
    ready = json::parse(line.empty() ? "null" : line);
  }
  ~PipeServer() {
    if (child.pid > 0 && ::waitpid(child.pid, nullptr, WNOHANG) == 0) {
      ::kill(child.pid, SIGTERM);
      waitExit(child.pid);
    }
    ::close(child.out);
  }
  int stop() {
    ::kill(child.pid, SIGTERM);
    int code = waitExit(child.pid);
    child.pid = -1;
    return code;
  }
};

} // namespace

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
