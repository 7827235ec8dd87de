// One client: a read loop that turns frames into session steps, a write loop that drains this connection's own
// queue (so a client that reads slowly only delays itself), and a strand on the worker pool that runs the
// connection's jobs one at a time in arrival order (a write followed by a read sees the write) while other
// connections' jobs run in parallel.
#pragma once

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protocol/FrameReader.h"
#include "server/Log.h"
#include "server/Session.h"
#include "server/Stream.h"

namespace regbridge::server {

class Connection : public std::enable_shared_from_this<Connection> {
public:
  struct Context {
    const Handler& handler;
    const ServerInfo& info;
    Log& log;
    asio::thread_pool& pool;
    std::function<void(int exitCode)> onExit;  // the client sent `exit`
    std::function<void(Connection&)> onClosed; // both loops are done and the stream is closed
  };

  Connection(asio::io_context& io, std::unique_ptr<Stream> stream, Context& context, std::uint64_t id);
  // I/O thread only, like everything below.
  void start();
  // Stop reading; answer every request already accepted; then close.
  void stop();
  std::uint64_t id() const { return id_; }

private:
  asio::awaitable<void> readLoop();
  asio::awaitable<void> writeLoop();
  void handleBody(std::string_view body);
  void runJob(Session::Job job);
  void enqueue(std::string frame);
  void wakeWriter() { writeWake_.cancel(); }
  bool overloaded() const;
  void loopDone();
  std::string tag() const;

  asio::io_context& io_;
  std::unique_ptr<Stream> stream_;
  Context& context_;
  std::uint64_t id_;
  Session session_;
  protocol::FrameReader frames_;
  asio::strand<asio::thread_pool::executor_type> strand_;
  asio::steady_timer writeWake_;  // cancelled to wake the write loop
  asio::steady_timer readResume_; // cancelled to wake a read loop paused for backpressure
  asio::cancellation_signal readCancel_;
  std::deque<std::string> outgoing_;
  std::size_t outgoingBytes_ = 0;
  std::size_t inFlight_ = 0;
  std::vector<char> readBuffer_;
  bool reading_ = true;
  bool stopping_ = false;
  int loopsRunning_ = 0;
};

} // namespace regbridge::server
