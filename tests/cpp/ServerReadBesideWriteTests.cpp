// A read from memory is answered on the helper's I/O thread while another connection's write still holds a worker
// (its save under way): the server runs in this process over a backend whose writes wait for the test's word, so
// "while the save runs" holds for as long as the test needs, however fast the disk or slow the build.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "server/Handler.h"
#include "server/Process.h"
#include "server/Server.h"
#include "tests/cpp/DispatchFakeBackend.h"
#include "tests/cpp/ServerProcessSupport.h"

namespace {

using namespace regbridge;
using namespace regbridge::server;

// Reads answer from memory at once (as the hive store's do once loaded); each write waits until release().
class HeldWritesBackend : public test::DispatchFakeBackend {
public:
  bool honoursNoBlockingScope() const override { return true; }
  void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    {
      std::unique_lock lock(gate_);
      ++held_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return released_; });
    }
    DispatchFakeBackend::writeValue(path, name, type, data);
  }
  bool waitUntilAWriteIsHeld(std::chrono::milliseconds timeout) {
    std::unique_lock lock(gate_);
    return changed_.wait_for(lock, timeout, [&] { return held_ > 0; });
  }
  void release() {
    std::lock_guard lock(gate_);
    released_ = true;
    changed_.notify_all();
  }

private:
  std::mutex gate_;
  std::condition_variable changed_;
  int held_ = 0;
  bool released_ = false;
};

// regbridge-server's Server on a socket in a temporary folder, run on a thread of this process. Stopped as a client
// stops it (shutdown, then exit) once every held write is let go.
struct InProcessServer {
  HeldWritesBackend backend;
  TableHandler handler{backend};
  test::TempDir dir;
  ServerOptions options;
  Log log{LogLevel::Error};
  ParentWatch parent{std::nullopt};
  ServerInfo info{"held", "", "0.0.0", currentProcessId(), 1 << 20};
  std::optional<Server> server;
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

} // namespace

TEST(ServerReadBesideWriteTest, AReadIsAnsweredWhileAnotherConnectionsWriteIsStillBeingSaved) {
  InProcessServer server;
  int writer = server.connect();
  int reader = server.connect();
  ASSERT_GE(writer, 0);
  ASSERT_GE(reader, 0);

  sendAll(writer,
          request(1, "writeValue",
                  {{"key", "HKCU\\Software\\Held"}, {"name", "v"}, {"value", {{"type", "REG_DWORD"}, {"data", 7}}}}));
  ASSERT_TRUE(server.backend.waitUntilAWriteIsHeld(10s)) << "the write never reached the backend";

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
