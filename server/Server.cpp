#include "server/Server.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

namespace regbridge::server {

namespace {
using namespace std::chrono_literals;

// Handlers are short and mostly wait on the disk; two workers keep one connection's fsync from holding up
// another's reads on the small machines this runs on, without oversubscribing them.
unsigned workerCount() { return std::clamp(std::thread::hardware_concurrency(), 2u, 4u); }

// How long a graceful stop may wait for clients to take their last answers.
constexpr auto kStopGrace = 5s;
// After the parent died nobody is waiting for answers: stop almost at once, and be gone within a second of the
// death (PROTOCOL.md), whatever a worker is still doing.
constexpr auto kOrphanGrace = 300ms;
constexpr auto kOrphanExit = 900ms;
// Memory freed by closed connections is handed back to the system this long after the last one closed.
constexpr auto kTrimDelay = 1s;
constexpr std::size_t kReadBufferBytes = 64 * 1024;

void logException(Log& log, const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log.error(std::string(what) + ": " + ex.what());
  } catch (...) {
    log.error(std::string(what) + ": unknown exception");
  }
}
} // namespace

Server::Server(const ServerOptions& options, const Handler& handler, const ServerInfo& info, Log& log,
               ParentWatch& parent)
    : options_(options), log_(log), pool_(workerCount()),
      readBuffer_(kReadBufferBytes), context_{handler,
                                              info,
                                              log,
                                              pool_,
                                              [this](int code) { requestStop(code, kStopGrace, "exit notification"); },
                                              [this](Connection& c) { connectionClosed(c); },
                                              options.frameTimeout,
                                              readBuffer_,
                                              runningJobs_},
      signals_(io_, SIGTERM, SIGINT), deadline_(io_), trimTimer_(io_), parent_(parent) {}

Server::~Server() {
  pool_.stop();
  pool_.join();
}

int Server::run() {
  if (options_.mode == ServerOptions::Mode::Pipe) {
    listener_ = openListener(io_, options_.pipePath, log_);
    asio::co_spawn(io_, listener_->acceptLoop([this](std::unique_ptr<Stream> s) { addConnection(std::move(s)); }),
                   [this](std::exception_ptr e) { logException(log_, "accept loop", e); });
    // Clients wait for this line before connecting, so print it only once the socket accepts.
    std::string ready =
        nlohmann::ordered_json{{"ready", true}, {"pipe", listener_->address()}, {"pid", currentProcessId()}}.dump() +
        "\n";
    std::fwrite(ready.data(), 1, ready.size(), stdout);
    std::fflush(stdout);
    log_.info("listening on " + listener_->address());
  } else {
    addConnection(openStdioStream(io_));
  }
  asio::co_spawn(io_, watchSignals(), [this](std::exception_ptr e) { logException(log_, "signal watch", e); });
  asio::co_spawn(io_, watchParent(), [this](std::exception_ptr e) { logException(log_, "parent watch", e); });

  // Returns once the listener, the watchers and every connection are done (or the deadline stopped it).
  io_.run();
  waitForWorkers();
  if (listener_) listener_->close();
  log_.info("exiting with code " + std::to_string(exitCode_));
  return exitCode_;
}

void Server::waitForWorkers() {
  if (!orphaned_) {
    pool_.join();
    return;
  }
  // Queued work was dropped; only a job already executing can hold us. The promise is to be gone within a second
  // of the parent's death, so one that runs past that is left unfinished, as a SIGKILL would leave it: a write is
  // renamed into place whole or not at all, so the store stays intact.
  while (runningJobs_.load() > 0 && std::chrono::steady_clock::now() - stopRequestedAt_ < kOrphanExit)
    std::this_thread::sleep_for(5ms);
  if (runningJobs_.load() == 0) {
    pool_.join();
    return;
  }
  log_.warn("a request is still running; exiting without waiting for it");
  if (listener_) listener_->close();
  std::fflush(nullptr);
  std::_Exit(exitCode_);
}

void Server::addConnection(std::unique_ptr<Stream> stream) {
  if (stopping_) return;
  std::uint64_t id = nextId_++;
  auto connection = std::make_shared<Connection>(io_, std::move(stream), context_, id);
  connections_.emplace(id, connection);
  trimTimer_.cancel();
  connection->start();
}

void Server::connectionClosed(Connection& c) {
  connections_.erase(c.id());
  if (options_.mode == ServerOptions::Mode::Stdio && !stopping_) requestStop(0, kStopGrace, "stdin closed");
  if (stopping_ && connections_.empty()) deadline_.cancel();
  if (!stopping_ && connections_.empty()) {
    // Each connection's buffers are freed when it closes, but the allocator keeps the pages for reuse, so a burst of
    // connections would leave the process at its peak size for good. Give them back once things are quiet.
    trimTimer_.expires_after(kTrimDelay);
    trimTimer_.async_wait([this](boost::system::error_code ec) {
      if (!ec && connections_.empty()) releaseFreeMemory();
    });
  }
}

void Server::abandonAll() {
  // abandon() may close a connection synchronously, which erases it from the map: iterate over a copy.
  auto connections = connections_;
  for (auto& [id, connection] : connections) connection->abandon();
}

void Server::requestStop(int exitCode, std::chrono::milliseconds grace, const std::string& why, bool dropWork) {
  if (stopping_) return;
  stopping_ = true;
  orphaned_ = dropWork;
  stopRequestedAt_ = std::chrono::steady_clock::now();
  exitCode_ = exitCode;
  log_.info("stopping (" + why + ")");
  // Removing the socket at once makes new clients fail fast instead of connecting to a server on its way out.
  if (listener_) listener_->close();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  parent_.cancel();
  trimTimer_.cancel();
  if (dropWork) {
    abandonAll();
  } else {
    auto connections = connections_;
    for (auto& [id, connection] : connections) connection->stop();
  }
  if (!connections_.empty()) {
    deadline_.expires_after(grace);
    asio::co_spawn(io_, enforceDeadline(), asio::detached);
  }
}

asio::awaitable<void> Server::enforceDeadline() {
  auto [ec] = co_await deadline_.async_wait(asio::as_tuple(asio::use_awaitable));
  if (ec) co_return; // every connection closed in time
  log_.warn(std::to_string(connections_.size()) + " connection(s) did not finish in time; exiting anyway");
  // What has not started will not run: the workers must not go on with it after the I/O thread has stopped.
  abandonAll();
  io_.stop();
}

asio::awaitable<void> Server::watchSignals() {
  auto [ec, signal] = co_await signals_.async_wait(asio::as_tuple(asio::use_awaitable));
  if (ec) co_return;
  requestStop(0, kStopGrace, signal == SIGTERM ? "SIGTERM" : "SIGINT");
}

asio::awaitable<void> Server::watchParent() {
  try {
    co_await parent_.waitForExit();
  } catch (const boost::system::system_error&) {
    co_return; // cancelled: we are stopping for another reason
  }
  requestStop(0, kOrphanGrace, "the parent process exited", true);
}

} // namespace regbridge::server
