// One operation run on the libuv thread pool, settling a promise on the JS thread: a read that must touch the disk.
// (Writes go to the store's WriteQueue instead, which runs them in groups; it shares settlePromise.)
//
// A small runner over napi_create_async_work rather than Napi::AsyncWorker, for two reasons: AsyncWorker keeps only
// what() of an exception thrown off-thread (we keep the core's error structured, code included), and its completion
// opens a Napi::HandleScope that throws when the environment is being torn down (a worker_thread terminated with
// calls in flight) — a C++ exception inside a C callback, which ends the process. Here every napi call in the
// completion is checked and nothing is thrown out of it.
#pragma once

#include <napi.h>

#include <memory>
#include <optional>
#include <utility>

#include "addon/Errors.h"
#include "addon/Marshal.h"
#include "registry/Backend.h"

namespace regbridge::addon {

// On the JS thread, inside a handle scope: resolves `deferred` with `result` made a JS value, or rejects it with
// `error` (passed through the store's error mapper `mapError`, a reference or null) when there is one or the
// conversion fails. Nothing is thrown out: a failure to settle means the environment is going away.
template <class Result>
void settlePromise(napi_env env, napi_deferred deferred, const std::optional<Result>& result,
                   std::optional<ErrorInfo> error, napi_ref mapError) noexcept {
  try {
    if (!error) {
      napi_value value = nullptr;
      std::optional<ErrorInfo> conversionError = captureErrors([&] { value = toJs(env, *result); });
      if (!conversionError) {
        napi_resolve_deferred(env, deferred, value);
        return;
      }
      error = std::move(conversionError);
    }
    napi_value mapper = nullptr;
    if (mapError) check(env, napi_get_reference_value(env, mapError, &mapper));
    napi_reject_deferred(env, deferred, toJsError(Napi::Env(env), *error, mapper).Value());
  } catch (const Napi::Error& jsError) {
    try {
      napi_reject_deferred(env, deferred, jsError.Value());
    } catch (...) {}
  } catch (...) {
    // Settling itself failed: the environment is going away and nothing JS can see is left to do.
  }
}

template <class Op> class AsyncCall {
public:
  // Queues the operation and returns its promise. The call shares the backend, so that neither the store object
  // being collected nor close() can take it away while the work runs. Throws Napi::Error only when the work could
  // not be queued.
  // `mapError`: the store's error mapper (toJsError), or null.
  static napi_value start(napi_env env, std::shared_ptr<Backend> backend, typename Op::Params params,
                          napi_value mapError) {
    std::unique_ptr<AsyncCall> call(new AsyncCall(std::move(backend), std::move(params)));
    napi_value promise;
    napi_value name;
    check(env, napi_create_promise(env, &call->deferred_, &promise));
    try {
      if (mapError) check(env, napi_create_reference(env, mapError, 1, &call->mapError_));
      check(env, napi_create_string_utf8(env, "regbridge", NAPI_AUTO_LENGTH, &name));
      check(env, napi_create_async_work(env, nullptr, name, &execute, &complete, call.get(), &call->work_));
      check(env, napi_queue_async_work(env, call->work_));
    } catch (...) {
      if (call->work_) napi_delete_async_work(env, call->work_);
      if (call->mapError_) napi_delete_reference(env, call->mapError_);
      throw;
    }
    call.release(); // complete() owns it now
    return promise;
  }

private:
  AsyncCall(std::shared_ptr<Backend> backend, typename Op::Params params)
      : backend_(std::move(backend)), params_(std::move(params)) {}

  // On a thread-pool thread: no JS, no exception out.
  static void execute(napi_env, void* data) noexcept {
    auto* self = static_cast<AsyncCall*>(data);
    try {
      self->error_ = captureErrors([&] { self->result_.emplace(Op::run(*self->backend_, self->params_)); });
    } catch (...) {
      self->error_ = ErrorInfo::internal("an exception escaped the operation"); // cannot happen: no JS here
    }
  }

  // On the JS thread, also when the environment is going away (then napi calls fail and we only clean up).
  static void complete(napi_env env, napi_status status, void* data) noexcept {
    std::unique_ptr<AsyncCall> self(static_cast<AsyncCall*>(data));
    napi_handle_scope scope = nullptr;
    if (status == napi_ok && napi_open_handle_scope(env, &scope) == napi_ok) {
      self->settle(env);
      napi_close_handle_scope(env, scope);
    }
    napi_delete_async_work(env, self->work_);
    if (self->mapError_) napi_delete_reference(env, self->mapError_);
  }

  void settle(napi_env env) noexcept { settlePromise(env, deferred_, result_, std::move(error_), mapError_); }

  std::shared_ptr<Backend> backend_;
  typename Op::Params params_;
  std::optional<typename Op::Result> result_;
  std::optional<ErrorInfo> error_;
  napi_deferred deferred_ = nullptr;
  napi_async_work work_ = nullptr;
  napi_ref mapError_ = nullptr;
};

} // namespace regbridge::addon
