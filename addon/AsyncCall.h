// One operation run on the libuv thread pool, settling a promise on the JS thread.
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

  void settle(napi_env env) noexcept {
    try {
      if (!error_) {
        napi_value value = nullptr;
        std::optional<ErrorInfo> conversionError = captureErrors([&] { value = toJs(env, *result_); });
        if (!conversionError) {
          napi_resolve_deferred(env, deferred_, value);
          return;
        }
        error_ = std::move(conversionError);
      }
      napi_value mapError = nullptr;
      if (mapError_) check(env, napi_get_reference_value(env, mapError_, &mapError));
      napi_reject_deferred(env, deferred_, toJsError(Napi::Env(env), *error_, mapError).Value());
    } catch (const Napi::Error& jsError) {
      try {
        napi_reject_deferred(env, deferred_, jsError.Value());
      } catch (...) {}
    } catch (...) {
      // Settling itself failed: the environment is going away and nothing JS can see is left to do.
    }
  }

  std::shared_ptr<Backend> backend_;
  typename Op::Params params_;
  std::optional<typename Op::Result> result_;
  std::optional<ErrorInfo> error_;
  napi_deferred deferred_ = nullptr;
  napi_async_work work_ = nullptr;
  napi_ref mapError_ = nullptr;
};

} // namespace regbridge::addon
