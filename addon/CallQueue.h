// A store's asynchronous calls that are not answered at once: its writes, and its reads that must touch the disk or
// were made behind such calls. Queued, and run by one libuv work item at a time, so that they keep the order they
// were made in, as a pipe connection's requests do: a read sees every write made before it and none made after.
// Writes next to each other run as one group of the backend (Backend::runGrouped), so that the writes a program has in
// flight share one save. Run one work item each, they could meet at most four at a time (libuv's pool has four
// threads), and a hive store saves a whole hive file per save. Reads next to each other run one after another in one
// work item, outside any group, after the save before them. Promises settle in the order the calls were made, each
// once its own change is saved (or has failed).
//
// A small runner over napi_create_async_work rather than Napi::AsyncWorker, for two reasons: AsyncWorker keeps only
// what() of an exception thrown off-thread (we keep the core's error structured, code included), and its completion
// opens a Napi::HandleScope that throws when the environment is being torn down (a worker_thread terminated with
// calls in flight) — a C++ exception inside a C callback, which ends the process. Here every napi call in the
// completion is checked and nothing is thrown out of it.
#pragma once

#include <napi.h>

#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "addon/Errors.h"
#include "addon/SettlePromise.h"
#include "registry/Backend.h"

namespace regbridge::addon {

// One call waiting in a CallQueue.
class QueuedCall {
public:
  explicit QueuedCall(std::shared_ptr<Backend> backend) : backend_(std::move(backend)) {}
  virtual ~QueuedCall() = default;
  QueuedCall(const QueuedCall&) = delete;
  QueuedCall& operator=(const QueuedCall&) = delete;

  // The backend the call was made on; it keeps it open (close() does not take it away from calls in flight).
  Backend& backend() const { return *backend_; }
  const std::shared_ptr<Backend>& sharedBackend() const { return backend_; }
  // Whether the call may write (reads never run inside a group).
  virtual bool mutates() const = 0;
  // Off the JS thread, inside the group: runs the operation; throws its error.
  virtual void run() = 0;
  // On the JS thread: settles the promise with the result, or with `failure` when there is one. Throws nothing.
  virtual void settle(napi_env env, std::exception_ptr failure) noexcept = 0;
  // The environment is going away: nothing can be settled; frees what the call holds in it.
  virtual void drop(napi_env env) noexcept = 0;

private:
  std::shared_ptr<Backend> backend_;
};

class CallQueue : public std::enable_shared_from_this<CallQueue> {
public:
  // On the JS thread: queues the call and makes sure a work item will run it. Throws Napi::Error when no work
  // could be queued (the call is dropped then).
  void push(napi_env env, std::unique_ptr<QueuedCall> call);
  // On the JS thread: nothing queued or running, so a read may be answered at once without overtaking a call.
  bool idle() const { return work_ == nullptr; }

private:
  static void execute(napi_env env, void* data) noexcept;
  static void complete(napi_env env, napi_status status, void* data) noexcept;
  void schedule(napi_env env);

  std::mutex mutex_;
  std::deque<std::unique_ptr<QueuedCall>> queued_; // guarded by mutex_: made, not yet taken by a work item
  // The calls of the group running: filled by the work item (under mutex_), settled by its completion.
  std::vector<std::unique_ptr<QueuedCall>> running_;
  std::vector<std::exception_ptr> outcomes_;
  napi_async_work work_ = nullptr;       // the work item queued or running, or null
  std::shared_ptr<CallQueue> keepAlive_; // set while work_ is: the store may go while its calls are in flight
};

// A queued call of operation Op, settling a promise it made.
template <class Op> class QueuedOperation final : public QueuedCall {
public:
  // Returns the call and its promise. `mapError`: the store's error mapper (toJsError), or null.
  static std::pair<std::unique_ptr<QueuedOperation>, napi_value> make(napi_env env, std::shared_ptr<Backend> backend,
                                                                      typename Op::Params params, napi_value mapError) {
    std::unique_ptr<QueuedOperation> call(new QueuedOperation(std::move(backend), std::move(params)));
    napi_value promise;
    check(env, napi_create_promise(env, &call->deferred_, &promise));
    if (mapError) check(env, napi_create_reference(env, mapError, 1, &call->mapError_));
    return {std::move(call), promise};
  }
  ~QueuedOperation() override = default;

  bool mutates() const override { return Op::mutates; }
  void run() override { result_.emplace(Op::run(backend(), params_)); }

  void settle(napi_env env, std::exception_ptr failure) noexcept override {
    std::optional<ErrorInfo> error;
    if (failure) {
      try {
        error = captureErrors([&] { std::rethrow_exception(failure); });
      } catch (...) {
        error = ErrorInfo::internal("an exception escaped the operation"); // cannot happen: no JS threw it
      }
    } else if (!result_) {
      error = ErrorInfo::internal("the operation did not run");
    }
    napi_handle_scope scope = nullptr;
    if (napi_open_handle_scope(env, &scope) == napi_ok) {
      settlePromise(env, deferred_, result_, std::move(error), mapError_);
      napi_close_handle_scope(env, scope);
    }
    drop(env);
  }

  void drop(napi_env env) noexcept override {
    if (mapError_) napi_delete_reference(env, mapError_);
    mapError_ = nullptr;
  }

private:
  QueuedOperation(std::shared_ptr<Backend> backend, typename Op::Params params)
      : QueuedCall(std::move(backend)), params_(std::move(params)) {}

  typename Op::Params params_;
  std::optional<typename Op::Result> result_;
  napi_deferred deferred_ = nullptr;
  napi_ref mapError_ = nullptr;
};

} // namespace regbridge::addon
