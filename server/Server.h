// The process: one I/O thread (accepting, reading, writing), a small worker pool (the handlers, which may touch the
// disk), the connections, and the three ways to stop (signal, parent death, `exit`). Stopping is graceful: no new
// connections or messages, every accepted request answered, then exit; a deadline bounds a client that will not
// read its answers.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "server/Connection.h"
#include "server/Listener.h"
#include "server/Options.h"
#include "server/Process.h"

namespace regbridge::server {

class Server {
public:
  // `parent` was made first thing in main, so that it knows the process that started us.
  Server(const ServerOptions& options, const Handler& handler, const ServerInfo& info, Log& log, ParentWatch& parent);
  ~Server();
  // Listens (printing the ready line in --pipe mode), serves until stopped, and returns the exit code. Throws
  // std::runtime_error when it cannot listen.
  int run();

private:
  void addConnection(std::unique_ptr<Stream> stream);
  // `dropWork`: nobody is left to answer (the parent died), so requests not yet started are dropped at once.
  void requestStop(int exitCode, std::chrono::milliseconds grace, const std::string& why, bool dropWork = false);
  void abandonAll();
  void connectionClosed(Connection& connection);
  void waitForWorkers();
  asio::awaitable<void> watchSignals();
  asio::awaitable<void> watchParent();
  asio::awaitable<void> enforceDeadline();

  const ServerOptions& options_;
  Log& log_;
  // The pool outlives the io_context: handlers still queued on the io_context when it is destroyed own
  // connections, whose strands belong to the pool.
  asio::thread_pool pool_;
  asio::io_context io_{1};
  std::vector<char> readBuffer_;
  std::atomic<int> runningJobs_{0};
  Connection::Context context_;
  std::unique_ptr<Listener> listener_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;
  std::uint64_t nextId_ = 1;
  asio::signal_set signals_;
  asio::steady_timer deadline_;
  asio::steady_timer trimTimer_;
  ParentWatch& parent_;
  bool stopping_ = false;
  bool orphaned_ = false;
  std::chrono::steady_clock::time_point stopRequestedAt_;
  int exitCode_ = 0;
};

} // namespace regbridge::server
