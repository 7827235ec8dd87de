#include "server/Connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace regbridge::server {

namespace {
// Backpressure: a client that sends faster than it reads answers stops being read until it catches up, instead of
// growing our memory without bound.
constexpr std::size_t kMaxQueuedBytes = 16 * 1024 * 1024;
constexpr std::size_t kMaxInFlight = 1024;
// One gathered write carries at most this many responses, so a busy connection still yields to others.
constexpr std::size_t kMaxFramesPerWrite = 256;
// The answers to one read's requests go out while the rest are still being worked through: the first at once, so
// that the client is woken while the helper answers the others, then whenever this many are queued. The client and
// the helper then work at the same time instead of in turn (128 calls in flight: 1.6 times the throughput on two
// cores), for a few more writes per read.
constexpr std::size_t kFramesPerEarlyWrite = 16;
constexpr std::size_t kKeptBodyBytes = 1024 * 1024;
// At most this many queued writes run as one group (one save): a bigger group would only delay the first answers.
constexpr std::size_t kMaxGroupedJobs = 256;
// How long inline answers to one read's requests may hold the I/O thread (a few hundred small reads; one big
// listValues may take longer on its own, and then the rest of the batch goes to the pool).
constexpr std::chrono::microseconds kInlineBudget{1000};
} // namespace

Connection::Connection(asio::io_context& io, std::unique_ptr<Stream> stream, Context& context, std::uint64_t id)
    : io_(io), stream_(std::move(stream)), context_(context), id_(id), session_(context.handler, context.info),
      frames_(context.info.maxFrameBytes), writeWake_(io), readResume_(io), frameTimer_(io) {}

std::string Connection::tag() const { return "connection " + std::to_string(id_) + ": "; }

void Connection::start() {
  context_.log.info(tag() + "opened (" + stream_->describe() + ")");
  auto self = shared_from_this();
  loopsRunning_ = 2;
  // The completion handlers only keep `self` alive until each loop ends; the loops catch everything themselves.
  asio::co_spawn(io_, readLoop(), asio::bind_cancellation_slot(readCancel_.slot(), [self](std::exception_ptr) {}));
  asio::co_spawn(io_, writeLoop(), [self](std::exception_ptr) {});
}

void Connection::stop() {
  if (stopping_) return;
  stopping_ = true;
  readCancel_.emit(asio::cancellation_type::terminal);
  readResume_.cancel();
  wakeWriter();
}

void Connection::abandon() {
  if (abandoned_.exchange(true)) return;
  std::deque<Session::Job> dropped;
  {
    std::lock_guard lock(jobsMutex_);
    dropped.swap(jobs_);
  }
  for (const auto& job : dropped) session_.finished(job);
  inFlight_ -= dropped.size();
  outgoing_.clear();
  outgoingBytes_ = 0;
  if (!dropped.empty())
    context_.log.info(tag() + "dropped " + std::to_string(dropped.size()) + " unstarted request(s)");
  stop();
}

bool Connection::overloaded() const { return outgoingBytes_ > kMaxQueuedBytes || inFlight_ >= kMaxInFlight; }

void Connection::armFrameTimer() {
  frameTimer_.expires_after(context_.frameTimeout);
  frameTimer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopping_) return;
    self->frameTimedOut_ = true;
    self->readCancel_.emit(asio::cancellation_type::terminal);
  });
}

asio::awaitable<void> Connection::readLoop() {
  bool peerGone = false;
  try {
    std::string body;
    bool framingBroken = false;
    while (!stopping_ && !framingBroken) {
      while (overloaded() && !stopping_) {
        readResume_.expires_at(asio::steady_timer::time_point::max());
        co_await readResume_.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (stopping_) break;
      if (frames_.midMessage()) armFrameTimer();
      std::size_t n = co_await stream_->readSome(asio::buffer(context_.readBuffer));
      frameTimer_.cancel();
      inlineUntil_ = std::chrono::steady_clock::now() + kInlineBudget;
      if (n == 0) {
        if (frames_.midMessage()) context_.log.warn(tag() + "closed in the middle of a message");
        else context_.log.info(tag() + "closed by the client");
        peerGone = stream_->peerGone();
        break;
      }
      frames_.feed({context_.readBuffer.data(), n});
      batching_ = true;
      bool sentEarly = false;
      for (;;) {
        protocol::FrameStatus status = frames_.next(body);
        if (status == protocol::FrameStatus::NeedMore) break;
        if (status == protocol::FrameStatus::Error) {
          // The stream can no longer be split into messages: say why, answer what was accepted, then close.
          context_.log.warn(tag() + frames_.error() + "; closing");
          enqueue(session_.frameErrorReply(frames_.error(), frames_.tooLarge()));
          framingBroken = true;
          break;
        }
        handleBody(body);
        if (outgoing_.size() >= (sentEarly ? kFramesPerEarlyWrite : 1)) {
          sendNow();
          sentEarly = true;
        }
        if (body.capacity() > kKeptBodyBytes) std::string().swap(body); // see FrameReader::next
        if (stopping_) break;
      }
      batching_ = false;
      sendNow();
    }
  } catch (const boost::system::system_error& e) {
    frameTimer_.cancel();
    if (frameTimedOut_) {
      std::string problem =
          "no byte of the unfinished message arrived for " + std::to_string(context_.frameTimeout.count()) + " ms";
      context_.log.warn(tag() + problem + "; closing");
      enqueue(session_.frameErrorReply(problem, false));
    } else if (e.code() != asio::error::operation_aborted) {
      context_.log.info(tag() + "read failed: " + e.code().message());
      peerGone = true; // a reset connection
    }
  } catch (const std::exception& e) {
    context_.log.error(tag() + "read loop failed: " + e.what());
  } catch (...) {
    context_.log.error(tag() + "read loop failed");
  }
  batching_ = false;
  reading_ = false;
  if (peerGone) abandon();
  wakeWriter();
  loopDone();
}

void Connection::handleBody(std::string_view body) {
  if (context_.log.enabled(LogLevel::Debug)) context_.log.debug(tag() + "<- " + std::string(body.substr(0, 500)));
  Session::Step step = session_.accept(body);
  if (!step.reply.empty()) enqueue(std::move(step.reply));
  if (step.job && !answerInline(*step.job)) runJob(std::move(*step.job));
  if (step.exitCode) context_.onExit(*step.exitCode);
}

bool Connection::answerInline(Session::Job& job) {
  // inFlight_ == 0: every earlier job of this connection has finished and its answer is queued, so this one neither
  // overtakes a write nor answers out of order. Overloaded: the pool's queue is where backpressure applies.
  if (inFlight_ != 0 || abandoned_ || overloaded() || std::chrono::steady_clock::now() >= inlineUntil_) return false;
  std::optional<std::string> response = session_.runInline(job);
  if (!response) return false;
  session_.finished(job);
  if (!response->empty()) enqueue(std::move(*response));
  return true;
}

void Connection::runJob(Session::Job job) {
  ++inFlight_;
  std::lock_guard lock(jobsMutex_);
  jobs_.push_back(std::move(job));
  if (jobScheduled_) return;
  jobScheduled_ = true;
  asio::post(context_.pool, [self = shared_from_this()] { self->runNextJob(); });
}

void Connection::runNextJob() {
  std::deque<Session::Job> jobs; // a deque: a group refers to the jobs it was handed while it takes more
  {
    std::lock_guard lock(jobsMutex_);
    if (jobs_.empty()) { // abandon() took them
      jobScheduled_ = false;
      return;
    }
    jobs.push_back(std::move(jobs_.front()));
    jobs_.pop_front();
  }
  // Writes queued one behind the other run as one group: the backend saves once for all of them (a hive store's save
  // rewrites a whole hive file, so one client's pipelined writes would otherwise cost a save each). The group takes
  // the writes that arrive while it runs too, up to its save. A read ends it, so that the read sees only what is
  // saved and never waits for a save that is not before it.
  class Writes final : public Session::JobSource {
  public:
    Writes(Connection& connection, std::deque<Session::Job>& jobs) : connection_(connection), jobs_(jobs) {}
    Session::Job* next() override {
      if (handed_ < jobs_.size()) return &jobs_[handed_++];
      if (jobs_.size() >= kMaxGroupedJobs) return nullptr;
      std::lock_guard lock(connection_.jobsMutex_);
      auto& queued = connection_.jobs_;
      if (queued.empty() || !connection_.session_.groupable(queued.front())) return nullptr;
      jobs_.push_back(std::move(queued.front()));
      queued.pop_front();
      return &jobs_[handed_++];
    }

  private:
    Connection& connection_;
    std::deque<Session::Job>& jobs_;
    std::size_t handed_ = 0;
  };
  std::vector<std::string> responses;
  if (!abandoned_) {
    ++context_.runningJobs;
    // Session::run and runGroup are safe off the I/O thread
    if (session_.groupable(jobs.front())) {
      Writes writes(*this, jobs);
      responses = session_.runGroup(writes, &abandoned_);
    } else {
      responses.push_back(session_.run(jobs.front(), &abandoned_));
    }
    --context_.runningJobs;
  }
  auto self = shared_from_this();
  asio::post(io_, [self, jobs = std::move(jobs), responses = std::move(responses)]() mutable {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      self->session_.finished(jobs[i]);
      --self->inFlight_;
      if (i < responses.size() && !responses[i].empty() && !self->abandoned_) self->queue(std::move(responses[i]));
    }
    // Written from here when the write loop is parked, as the read loop does: waking it would take one more turn of
    // the event loop before the answers leave.
    self->sendNow();
    // Everything answered and written at once: the parked write loop must still see that nothing is left to do.
    if (!self->reading_ && self->inFlight_ == 0) self->wakeWriter();
    if (!self->overloaded()) self->readResume_.cancel();
  });
  {
    std::lock_guard lock(jobsMutex_);
    if (jobs_.empty()) {
      jobScheduled_ = false;
      return;
    }
  }
  // To the back of the pool's queue: every other connection with work waiting gets its turn first.
  asio::post(context_.pool, [self = std::move(self)] { self->runNextJob(); });
}

void Connection::queue(std::string frame) {
  outgoingBytes_ += frame.size();
  outgoing_.push_back(std::move(frame));
}

void Connection::enqueue(std::string frame) {
  queue(std::move(frame));
  if (!batching_) wakeWriter();
}

// The answers just queued (by the read loop, or from a worker's jobs), written from here when the write loop is idle
// (so nothing of ours is being written) and the socket takes them without waiting: this saves waking the write loop,
// a turn of the event loop per read. What the socket does not take now is left to the write loop.
void Connection::sendNow() {
  if (outgoing_.empty()) return;
  if (writerWaiting_ && !abandoned_) {
    directBuffers_.clear();
    for (auto it = outgoing_.begin(); it != outgoing_.end() && directBuffers_.size() < kMaxFramesPerWrite; ++it)
      directBuffers_.push_back(asio::buffer(*it));
    std::size_t written = stream_->tryWrite(directBuffers_);
    if (written > 0 && context_.log.enabled(LogLevel::Debug))
      context_.log.debug(tag() + "-> " + std::to_string(written) + " byte(s) at once");
    while (written > 0) {
      std::string& front = outgoing_.front();
      std::size_t part = std::min(written, front.size());
      outgoingBytes_ -= part;
      written -= part;
      if (part == front.size()) outgoing_.pop_front();
      else front.erase(0, part);
    }
  }
  if (!outgoing_.empty()) wakeWriter();
}

asio::awaitable<void> Connection::writeLoop() {
  try {
    std::vector<std::string> batch;
    std::vector<asio::const_buffer> buffers;
    for (;;) {
      if (outgoing_.empty()) {
        if (!reading_ && inFlight_ == 0) break; // everything accepted has been answered
        writeWake_.expires_at(asio::steady_timer::time_point::max());
        writerWaiting_ = true;
        co_await writeWake_.async_wait(asio::as_tuple(asio::use_awaitable));
        writerWaiting_ = false;
        continue;
      }
      batch.clear();
      buffers.clear();
      while (!outgoing_.empty() && batch.size() < kMaxFramesPerWrite) {
        outgoingBytes_ -= outgoing_.front().size();
        batch.push_back(std::move(outgoing_.front()));
        outgoing_.pop_front();
      }
      for (const auto& frame : batch) buffers.push_back(asio::buffer(frame));
      if (context_.log.enabled(LogLevel::Debug))
        context_.log.debug(tag() + "-> " + std::to_string(batch.size()) + " message(s)");
      co_await stream_->writeAll(buffers);
      if (!overloaded()) readResume_.cancel();
    }
  } catch (const boost::system::system_error& e) {
    context_.log.info(tag() + "write failed: " + e.code().message());
  } catch (const std::exception& e) {
    context_.log.error(tag() + "write loop failed: " + e.what());
  } catch (...) {
    context_.log.error(tag() + "write loop failed");
  }
  // Nobody will read what we would write now: drop what is queued and stop reading too.
  abandon();
  loopDone();
}

void Connection::loopDone() {
  if (--loopsRunning_ > 0) return;
  stream_->close();
  context_.log.info(tag() + "closed");
  context_.onClosed(*this);
}

} // namespace regbridge::server
