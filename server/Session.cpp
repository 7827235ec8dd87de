#include "server/Session.h"

#include <deque>

#include "protocol/FrameReader.h"
#include "protocol/JsonWtf8.h"
#include "protocol/Message.h"
#include "registry/Error.h"

namespace regbridge::server {

using json = nlohmann::ordered_json;
using protocol::RpcError;
namespace rpc = protocol::rpc;

namespace {

enum JobState : int { Queued, Started, Cancelled };

std::string framedError(const json& id, const RpcError& error) {
  return protocol::frameMessage(protocol::errorMessage(id, error));
}

// What a method threw, as the error response says it: its own RpcError, a RegistryError's code and words, or an
// internal error for anything else.
RpcError rpcErrorOf(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const RpcError& e) {
    return e;
  } catch (const RegistryError& e) {
    return protocol::toRpcError(e);
  } catch (const std::exception& e) {
    return RpcError(rpc::InternalError, std::string("Internal error: ") + e.what(),
                    json{{"code", errorCodeName(ErrorCode::Internal)}});
  } catch (...) {
    return RpcError(rpc::InternalError, "Internal error: unknown exception",
                    json{{"code", errorCodeName(ErrorCode::Internal)}});
  }
}

} // namespace

Session::Step Session::accept(std::string_view body) {
  Step step;
  protocol::Incoming in = protocol::parseMessage(body);
  using Kind = protocol::Incoming::Kind;
  switch (in.kind) {
  case Kind::Invalid: step.reply = framedError(in.id, *in.error); return step;
  case Kind::Unusable: return step;
  case Kind::Response: return step; // the server never sends requests, so there is nothing to match it to
  case Kind::Notification:
    if (in.method == "exit") {
      // LSP: 0 after a shutdown request, 1 otherwise.
      step.exitCode = shutdown_ ? 0 : 1;
      return step;
    }
    if (in.method == "$/cancelRequest") {
      cancel(in.params);
      return step;
    }
    // Registry methods sent as notifications still run (JSON-RPC), unanswered. Other notifications, `$/`
    // ones included, are ignored as LSP allows.
    if (shutdown_ || in.method == "initialize" || in.method == "shutdown" || !handler_.handles(in.method)) return step;
    step.job = Job{nullptr, true, std::move(in.method), std::move(in.params), nullptr};
    return step;
  case Kind::Request: break;
  }

  if (shutdown_) {
    step.reply = framedError(in.id, RpcError(rpc::InvalidRequest, "Invalid Request: shutdown was requested; only "
                                                                  "the exit notification is accepted now"));
    return step;
  }
  bool builtin = in.method == "initialize" || in.method == "shutdown";
  if (!builtin && !handler_.handles(in.method)) {
    step.reply = framedError(in.id, RpcError(rpc::MethodNotFound, "Method not found: " + in.method));
    return step;
  }
  // shutdown takes effect for later messages at once, but is answered in order, after the requests before it.
  if (in.method == "shutdown") shutdown_ = true;
  auto state = std::make_shared<std::atomic<int>>(Queued);
  registerNewest();
  newest_ = state;
  newestId_ = in.id;
  step.job = Job{std::move(in.id), false, std::move(in.method), std::move(in.params), std::move(state)};
  return step;
}

void Session::cancel(const json& params) {
  if (!params.is_object()) return;
  auto idIt = params.find("id");
  if (idIt == params.end()) return;
  registerNewest();
  auto [begin, end] = pending_.equal_range(protocol::jsonWtf8Text(*idIt));
  for (auto it = begin; it != end; ++it) {
    int expected = Queued;
    it->second->compare_exchange_strong(expected, Cancelled);
  }
}

void Session::registerNewest() {
  if (!newest_) return;
  pending_.emplace(protocol::jsonWtf8Text(newestId_), std::move(newest_));
  newest_.reset();
}

void Session::finished(const Job& job) {
  if (!job.state) return;
  if (job.state == newest_) {
    newest_.reset();
    return;
  }
  auto [begin, end] = pending_.equal_range(protocol::jsonWtf8Text(job.id));
  for (auto it = begin; it != end; ++it) {
    if (it->second == job.state) {
      pending_.erase(it);
      return;
    }
  }
}

bool Session::start(Job& job) const {
  if (!job.state) return true;
  int expected = Queued;
  return job.state->compare_exchange_strong(expected, Started);
}

json Session::invoke(const Job& job) const {
  if (job.method == "initialize")
    return {{"protocolVersion", 1}, {"serverVersion", info_.version}, {"backend", info_.backend},
            {"pid", info_.pid},     {"prefix", info_.prefix},         {"maxFrameBytes", info_.maxFrameBytes}};
  if (job.method == "shutdown") return nullptr;
  return handler_.call(job.method, job.params);
}

std::string Session::reply(const Job& job, const json& result, std::exception_ptr failure,
                           const std::atomic<bool>* abandoned) const {
  // A large result costs more to print than to fetch (a 20 MiB value is 27 MB of base64, escaped and copied).
  if (job.notification || (abandoned && *abandoned)) return {};
  if (!failure) return protocol::frameMessage(protocol::resultMessage(job.id, result));
  return framedError(job.id, rpcErrorOf(failure));
}

std::string Session::run(Job& job, const std::atomic<bool>* abandoned) const {
  if (!start(job)) return framedError(job.id, RpcError(rpc::RequestCancelled, "Request cancelled"));
  return answer(job, abandoned);
}

std::optional<std::string> Session::runInline(Job& job) const {
  // A cancelled job is answered by run(), like any other.
  if (job.state && job.state->load(std::memory_order_relaxed) != Queued) return std::nullopt;
  bool builtin = job.method == "initialize" || job.method == "shutdown";
  if (!builtin && !handler_.answersInline(job.method)) return std::nullopt;
  // No CAS to Started: cancellation comes on this same thread, so it cannot arrive while this runs, and a job
  // that would block must stay Queued for the worker that runs it instead.
  NoBlockingScope scope;
  try {
    return answer(job, nullptr);
  } catch (const WouldBlock&) {
    return std::nullopt;
  }
}

std::string Session::answer(Job& job, const std::atomic<bool>* abandoned) const {
  // The result as JSON text, in a buffer this thread keeps: no nlohmann value is built for it (JsonWrite.h).
  thread_local std::string result;
  result.clear();
  // A notification's result is not printed: nobody reads it.
  static const std::atomic<bool> kNobodyReads{true};
  const std::atomic<bool>* unread = job.notification ? &kNobodyReads : abandoned;
  std::optional<RpcError> error;
  try {
    if (job.method == "initialize") {
      protocol::appendJsonWtf8(result, json{{"protocolVersion", 1},
                                            {"serverVersion", info_.version},
                                            {"backend", info_.backend},
                                            {"pid", info_.pid},
                                            {"prefix", info_.prefix},
                                            {"maxFrameBytes", info_.maxFrameBytes}});
    } else if (job.method == "shutdown") {
      result = "null";
    } else {
      handler_.callInto(job.method, job.params, result, unread);
    }
  } catch (const WouldBlock&) {
    throw; // runInline's: the job goes to a worker
  } catch (...) {
    error = rpcErrorOf(std::current_exception());
  }
  std::string frame;
  // A large result costs more to print than to fetch (a 20 MiB value is 27 MB of base64, escaped and copied): the
  // handler left it unprinted if the connection was abandoned meanwhile.
  if (job.notification || (abandoned && *abandoned)) frame.clear();
  else if (error) frame = framedError(job.id, *error);
  else frame = protocol::framedResultText(job.id, result);
  // The buffer keeps what a small answer needs; the room a 20 MiB value took goes back at once.
  if (result.capacity() > (64 << 10)) std::string().swap(result);
  return frame;
}

bool Session::groupable(const Job& job) const { return handler_.groupable(job.method); }

std::vector<std::string> Session::runGroup(JobSource& jobs, const std::atomic<bool>* abandoned) const {
  struct Ran {
    Job* job;
    json result;
    bool cancelled = false;
  };
  // Each job as the source hands it out, to the backend as one item of the grouped run.
  class Items final : public GroupItems {
  public:
    Items(const Session& session, JobSource& jobs, const std::atomic<bool>* abandoned)
        : session_(session), jobs_(jobs), abandoned_(abandoned) {}
    bool next(std::function<void()>& item) override {
      Job* job = jobs_.next();
      if (!job) return false;
      Ran& entry = ran.emplace_back(Ran{job, nullptr});
      item = [this, &entry] {
        // Nobody is left to read the answers: the jobs not started yet are dropped, as those still queued are.
        if (abandoned_ && *abandoned_) return;
        // A job cancelled before its turn in the group comes is not run, as when it waits in the queue.
        if (!session_.start(*entry.job)) {
          entry.cancelled = true;
          return;
        }
        entry.result = session_.invoke(*entry.job);
      };
      return true;
    }
    std::deque<Ran> ran; // a deque: the items refer to their entries while more are added

  private:
    const Session& session_;
    JobSource& jobs_;
    const std::atomic<bool>* abandoned_;
  };
  Items items(*this, jobs, abandoned);
  std::vector<std::exception_ptr> outcomes;
  try {
    outcomes = handler_.runGrouped(items);
  } catch (...) {
    // Only memory can fail outside the items: every job is answered with that failure rather than left unanswered.
    outcomes.assign(items.ran.size(), std::current_exception());
  }
  std::vector<std::string> responses;
  responses.reserve(items.ran.size());
  for (std::size_t i = 0; i < items.ran.size(); ++i) {
    const Ran& entry = items.ran[i];
    responses.push_back(entry.cancelled
                            ? framedError(entry.job->id, RpcError(rpc::RequestCancelled, "Request cancelled"))
                            : reply(*entry.job, entry.result, i < outcomes.size() ? outcomes[i] : nullptr, abandoned));
  }
  return responses;
}

std::vector<std::string> Session::runGroup(std::span<Job> jobs, const std::atomic<bool>* abandoned) const {
  // Hands out the list, once.
  class Listed final : public JobSource {
  public:
    explicit Listed(std::span<Job> jobs) : jobs_(jobs) {}
    Job* next() override { return next_ < jobs_.size() ? &jobs_[next_++] : nullptr; }

  private:
    std::span<Job> jobs_;
    std::size_t next_ = 0;
  };
  Listed listed(jobs);
  return runGroup(listed, abandoned);
}

std::string Session::frameErrorReply(std::string_view problem, bool tooLarge) const {
  // An oversized frame is a well-formed but unacceptable request; anything else means the bytes could not be read.
  int code = tooLarge ? rpc::InvalidRequest : rpc::ParseError;
  std::string prefix = tooLarge ? "Invalid Request: " : "Parse error: ";
  return framedError(nullptr, RpcError(code, prefix + std::string(problem) + "; closing the connection"));
}

} // namespace regbridge::server
