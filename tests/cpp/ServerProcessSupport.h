// The real regbridge-server binary, started as a client would start it, for the process-level tests: spawning it,
// connecting, framing requests and reading answers with deadlines. Header-only; each test file that includes it gets
// its own copy in an anonymous namespace.
#pragma once

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

namespace regbridge::test::proc {

using json = nlohmann::ordered_json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using Clock = std::chrono::steady_clock;

// A started server: its pid and the read end of its stdout.
struct Child {
  pid_t pid = -1;
  int out = -1; // stdout (pipe mode) or the protocol stream (stdio mode)
  int in = -1;  // stdin, only in stdio mode
};

inline Child spawnServer(std::vector<std::string> args, bool stdio = false) {
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

inline bool waitReadable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

// Everything up to the first newline on the child's stdout.
inline std::string readLine(int fd, std::chrono::milliseconds timeout = 5000ms) {
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
inline int waitExit(pid_t pid, std::chrono::milliseconds timeout = 5000ms) {
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

inline int connectTo(const std::string& path) {
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

inline void sendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

inline std::string request(json id, const std::string& method, json params = nullptr) {
  json m = {{"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", method}};
  if (!params.is_null()) m["params"] = std::move(params);
  return regbridge::protocol::frameMessage(m.dump());
}
inline std::string notification(const std::string& method) {
  return regbridge::protocol::frameMessage(json{{"jsonrpc", "2.0"}, {"method", method}}.dump());
}

// Reads `count` messages from fd (fewer if the peer closes or the time runs out). `closed` tells whether EOF came.
// Reads until `count` messages arrived, the peer closed or `timeout` passed. A caller that reads one stream in several
// calls passes its own `reader`: the bytes of the next message that one read() brought belong to the next call.
inline std::vector<json> readMessages(int fd, std::size_t count, bool* closed = nullptr,
                                      std::chrono::milliseconds timeout = 5000ms,
                                      regbridge::protocol::FrameReader* carried = nullptr) {
  regbridge::protocol::FrameReader local;
  regbridge::protocol::FrameReader& reader = carried ? *carried : local;
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

inline bool peerClosed(int fd, std::chrono::milliseconds timeout = 3000ms) {
  bool closed = false;
  readMessages(fd, 1000, &closed, timeout);
  return closed;
}

inline unsigned modeOf(const fs::path& p) {
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

} // namespace regbridge::test::proc

using namespace regbridge::test::proc;
