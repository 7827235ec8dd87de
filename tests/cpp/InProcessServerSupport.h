// regbridge-server's Server run on a thread of the test process, over a backend that holds chosen calls until the test
// lets them go: "while that call is still running" then lasts as long as the test needs, however fast or slow the
// machine, and what the server does meanwhile is checked deterministically.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/Handler.h"
#include "server/Process.h"
#include "server/Server.h"
#include "tests/cpp/DispatchFakeBackend.h"
#include "tests/cpp/ServerProcessSupport.h"

namespace regbridge::test {

// Reads answer from memory at once (as the hive store's do once loaded), except keyExists of kHeldKey; each write,
// and that keyExists, waits until release().
class HeldCallsBackend : public DispatchFakeBackend {
public:
  static constexpr const char* kHeldKey = "HKCU\\Software\\HeldRead";

  bool honoursNoBlockingScope() const override { return true; }
  void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    hold();
    DispatchFakeBackend::writeValue(path, name, type, data);
  }
  bool keyExists(const KeyPath& path) override {
    if (path.original == kHeldKey) hold();
    return DispatchFakeBackend::keyExists(path);
  }
  // Whether a call is being held (waits up to `timeout` for one).
  bool waitUntilACallIsHeld(std::chrono::milliseconds timeout) {
    std::unique_lock lock(gate_);
    return changed_.wait_for(lock, timeout, [&] { return held_ > 0; });
  }
  void release() {
    std::lock_guard lock(gate_);
    released_ = true;
    changed_.notify_all();
  }

private:
  void hold() {
    std::unique_lock lock(gate_);
    ++held_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_; });
  }

  std::mutex gate_;
  std::condition_variable changed_;
  int held_ = 0;
  bool released_ = false;
};

// The Server on a socket in a temporary folder. Stopped as a client stops it (shutdown, then exit) once every held
// call is let go.
struct InProcessServer {
  HeldCallsBackend backend;
  server::TableHandler handler{backend};
  TempDir dir;
  server::ServerOptions options;
  server::Log log{server::LogLevel::Error};
  server::ParentWatch parent{std::nullopt};
  server::ServerInfo info{"held", "", "0.0.0", server::currentProcessId(), 1 << 20};
  std::optional<server::Server> server;
  std::thread thread;
  int exitCode = -1;

  InProcessServer() {
    options.pipePath = (dir.path() / "run" / "s").string();
    options.maxFrameBytes = info.maxFrameBytes;
    server.emplace(options, handler, info, log, parent);
    thread = std::thread([this] { exitCode = server->run(); });
  }
  // The socket accepts once run() has printed the ready line; until then connecting fails.
  int connect() {
    auto deadline = Clock::now() + 10s;
    for (;;) {
      int fd = connectTo(options.pipePath);
      if (fd >= 0 || Clock::now() > deadline) return fd;
      std::this_thread::sleep_for(1ms);
    }
  }
  ~InProcessServer() {
    backend.release();
    int fd = connect();
    if (fd >= 0) {
      sendAll(fd, request(99, "shutdown") + notification("exit"));
      readMessages(fd, 1);
      ::close(fd);
    }
    thread.join();
  }
};

} // namespace regbridge::test
