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
  pending_.emplace(protocol::jsonWtf8Text(in.id), state);
  step.job = Job{std::move(in.id), false, std::move(in.method), std::move(in.params), std::move(state)};
  return step;
}

void Session::cancel(const json& params) {
  if (!params.is_object()) return;
  auto idIt = params.find("id");
  if (idIt == params.end()) return;
  auto [begin, end] = pending_.equal_range(protocol::jsonWtf8Text(*idIt));
  for (auto it = begin; it != end; ++it) {
    int expected = Queued;
    it->second->compare_exchange_strong(expected, Cancelled);
  }
}

void Session::finished(const Job& job) {
  if (!job.state) return;
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
  std::optional<RpcError> error;
  try {
    std::rethrow_exception(failure);
  } catch (const RpcError& e) {
    error = e;
  } catch (const RegistryError& e) {
    error = protocol::toRpcError(e);
  } catch (const std::exception& e) {
    error.emplace(rpc::InternalError, std::string("Internal error: ") + e.what(),
                  json{{"code", errorCodeName(ErrorCode::Internal)}});
  } catch (...) {
    error.emplace(rpc::InternalError, "Internal error: unknown exception",
                  json{{"code", errorCodeName(ErrorCode::Internal)}});
  }
  return framedError(job.id, *error);
}

std::string Session::run(Job& job, const std::atomic<bool>* abandoned) const {
  if (!start(job)) return framedError(job.id, RpcError(rpc::RequestCancelled, "Request cancelled"));
  json result;
  std::exception_ptr failure;
  try {
    result = invoke(job);
  } catch (...) {
    failure = std::current_exception();
  }
  return reply(job, result, failure, abandoned);
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
