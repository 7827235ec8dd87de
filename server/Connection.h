// One client: a read loop that turns frames into session steps, a write loop that drains this connection's own
// queue (so a client that reads slowly only delays itself), and a job queue that runs the connection's requests one
// at a time in arrival order (a write followed by a read sees the write) on the shared worker pool — writes queued
// back to back as one group that shares one save (Backend::runGrouped), answered in order. Each connection
// has at most one job in the pool's queue at a time and goes to the back of it after every job, so connections take
// turns: one client's pipeline of big requests cannot hold the workers while another's small request waits.
//
// A read that the store can answer from memory skips the pool: when nothing of its connection is queued or running
// (so it cannot overtake an earlier write), it is answered on the I/O thread, inside a NoBlockingScope, and its
// answer goes out with the others of the same read in gathered writes, made by the read loop itself when the socket
// takes them at once (sendNow): the first answer of a read at once, then every kFramesPerEarlyWrite, so that the
// client reads while the rest are answered. A hop to a worker and back costs more than such a read. Whatever would
// touch the disk (a load, a reload, a stat for foreign edits) goes to the pool as before, and so does the rest of a
// batch of requests once inline answers have taken kInlineBudget of the I/O thread, so that one client's pipeline of
// big reads cannot hold the other clients' I/O.
#pragma once

#include <atomic>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
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
    // A connection holding part of a frame is closed when no byte arrives for this long (a peer that sent half a
    // header and went quiet would otherwise hold its socket and buffer forever).
    std::chrono::milliseconds frameTimeout;
    // Every connection reads into this one buffer (Stream::readSome copies only once data is there).
    std::vector<char>& readBuffer;
    // Jobs executing on a worker right now, over all connections: how long an exit must wait.
    std::atomic<int>& runningJobs;
  };

  Connection(asio::io_context& io, std::unique_ptr<Stream> stream, Context& context, std::uint64_t id);
  // I/O thread only, like everything below.
  void start();
  // Stop reading; answer every request already accepted; then close.
  void stop();
  // Nobody will read what this connection would answer (the peer is gone, or the server must exit now): drop the
  // requests that have not started, do not serialise the result of the one running, then close.
  void abandon();
  std::uint64_t id() const { return id_; }

private:
  asio::awaitable<void> readLoop();
  asio::awaitable<void> writeLoop();
  void handleBody(std::string_view body);
  bool answerInline(Session::Job& job);
  void runJob(Session::Job job);
  void runNextJob();               // on a worker
  void queue(std::string frame);   // to the outgoing queue, leaving the writing to the caller (sendNow, wakeWriter)
  void enqueue(std::string frame); // the same, and the write loop woken unless the read loop sends it itself
  void sendNow();
  void wakeWriter() {
    if (!writerWaiting_) return; // it is writing, and looks at the queue again when done
    writerWaiting_ = false;
    writeWake_.cancel();
  }
  void armFrameTimer();
  bool overloaded() const;
  void loopDone();
  std::string tag() const;

  asio::io_context& io_;
  std::unique_ptr<Stream> stream_;
  Context& context_;
  std::uint64_t id_;
  Session session_;
  protocol::FrameReader frames_;
  asio::steady_timer writeWake_;  // cancelled to wake the write loop
  asio::steady_timer readResume_; // cancelled to wake a read loop paused for backpressure
  asio::steady_timer frameTimer_; // runs while part of a frame is buffered and a read is pending
  asio::cancellation_signal readCancel_;
  std::deque<std::string> outgoing_;
  std::size_t outgoingBytes_ = 0;
  std::size_t inFlight_ = 0;   // jobs accepted and not yet finished
  bool writerWaiting_ = false; // the write loop is parked on writeWake_
  bool batching_ = false;      // the read loop is handling what one readSome brought; it sends the answers itself
  std::vector<asio::const_buffer> directBuffers_; // sendNow's, kept for their capacity
  // Inline answers to what one readSome brought stop at this time; the rest of the batch goes to the pool.
  std::chrono::steady_clock::time_point inlineUntil_;
  bool reading_ = true;
  bool stopping_ = false;
  bool frameTimedOut_ = false;
  int loopsRunning_ = 0;

  std::mutex jobsMutex_;
  std::deque<Session::Job> jobs_; // guarded by jobsMutex_: accepted, not started
  bool jobScheduled_ = false;     // guarded by jobsMutex_: a runNextJob is in the pool's queue or running
  std::atomic<bool> abandoned_{false};
};

} // namespace regbridge::server
