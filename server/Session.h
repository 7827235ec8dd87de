// One connection's protocol state, with no I/O and no threads: which messages become work, in what order, what is
// answered at once, cancellation, shutdown and exit (PROTOCOL.md "Lifecycle"). The server's Connection feeds it
// bodies on the I/O thread and runs its jobs on a worker; the golden-transcript tests drive it synchronously.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/Handler.h"

namespace regbridge::server {

// What `initialize` reports.
struct ServerInfo {
  std::string backend; // "hive", "win32" or "echo"
  std::string prefix;  // the store folder; empty for the Windows registry and for --echo
  std::string version;
  long pid = 0;
  std::size_t maxFrameBytes = 0;
};

class Session {
public:
  // Work to run in arrival order, off the I/O thread.
  struct Job {
    nlohmann::ordered_json id; // null for a notification
    bool notification = false;
    std::string method;
    nlohmann::ordered_json params;
    // Queued -> Started, or Queued -> Cancelled by $/cancelRequest: whichever comes first wins.
    std::shared_ptr<std::atomic<int>> state;
  };
  struct Step {
    std::string reply;           // a frame to send now (an error found without running anything), or empty
    std::optional<Job> job;      // work to queue behind the connection's earlier jobs
    std::optional<int> exitCode; // `exit` arrived: the process should stop with this code
  };

  Session(const Handler& handler, const ServerInfo& info) : handler_(handler), info_(info) {}

  // I/O thread: one message body.
  Step accept(std::string_view body);
  // Any thread, one job at a time per session: the framed response, or empty for a notification. When `abandoned`
  // is set by the time the handler returns, nobody is left to read the answer: it is not serialised (empty).
  std::string run(Job& job, const std::atomic<bool>* abandoned = nullptr) const;
  // Whether the job may run in a group with its neighbours (runGroup): a registry method that may write.
  bool groupable(const Job& job) const;
  // The jobs of a group (runGroup), handed out while it runs: the connection's queued writes, and those that arrive
  // meanwhile.
  class JobSource {
  public:
    virtual ~JobSource() = default;
    // The next job, or null when there is none now (never called again then). The source keeps the job where it
    // is until runGroup returns.
    virtual Job* next() = 0;
  };
  // Any thread, like run, for several jobs of this session in order: run as one group of the backend
  // (Backend::runGrouped), so that their writes share one save. Returns once every change is saved, with each
  // job's framed response in the order handed out (empty as run's are); a save that failed fails exactly the jobs
  // whose changes it lost. A job cancelled before its turn in the group is answered as cancelled and not run; once
  // `abandoned` is set, the jobs not started yet are not run at all.
  std::vector<std::string> runGroup(JobSource& jobs, const std::atomic<bool>* abandoned = nullptr) const;
  std::vector<std::string> runGroup(std::span<Job> jobs, const std::atomic<bool>* abandoned = nullptr) const;
  // I/O thread, for a job that nothing of its connection is queued or running before: its answer, as run() gives
  // it, when the job can be answered here and now from memory (a read the handler allows inline, which the backend
  // answers inside a NoBlockingScope, or a built-in method). Nullopt when it must go to a worker: a write, or a read
  // that would touch the disk (the job is left as it was, queued). Then call run() as usual.
  std::optional<std::string> runInline(Job& job) const;
  // I/O thread: the job's response has been produced; it can no longer be cancelled.
  void finished(const Job& job);

  // The frame to send before closing a connection whose framing broke (id null: no request could be read).
  std::string frameErrorReply(std::string_view problem, bool tooLarge) const;

  bool shutdownRequested() const { return shutdown_; }

private:
  void cancel(const nlohmann::ordered_json& params);
  // Queued -> Started; false when it was cancelled first.
  bool start(Job& job) const;
  // The job's result; throws what the method throws.
  nlohmann::ordered_json invoke(const Job& job) const;
  // The framed response to a job that ran: its result, or `failure` as an error response.
  std::string reply(const Job& job, const nlohmann::ordered_json& result, std::exception_ptr failure,
                    const std::atomic<bool>* abandoned) const;
  void registerNewest();
  // The job's response, cancellation aside; WouldBlock passes through.
  std::string answer(Job& job, const std::atomic<bool>* abandoned) const;

  const Handler& handler_;
  const ServerInfo& info_;
  bool shutdown_ = false;
  // Jobs that may still be cancelled, by id as JSON text ("7" and "\"7\"" stay distinct, as JSON-RPC requires).
  std::unordered_multimap<std::string, std::shared_ptr<std::atomic<int>>> pending_;
  // The job accepted last, kept out of pending_ until something needs the map (the next request, a cancel): a read
  // answered inline is finished before the next message arrives and so never costs a map entry.
  std::shared_ptr<std::atomic<int>> newest_;
  nlohmann::ordered_json newestId_;
};

} // namespace regbridge::server
