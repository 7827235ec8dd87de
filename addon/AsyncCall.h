// One operation run on the libuv thread pool, settling a promise on the JS thread. Execute() touches no JS and lets
// no exception out: a core error is kept as an ErrorInfo (AsyncWorker itself would keep only what()) and turned
// into a JS Error with its code on the JS thread.
#pragma once

#include <napi.h>

#include <memory>
#include <optional>
#include <utility>

#include "addon/Errors.h"
#include "addon/Marshal.h"
#include "registry/Backend.h"

namespace regbridge::addon {

template <class Op> class OperationWorker final : public Napi::AsyncWorker {
public:
  // `store` is the JS Store object: referenced until the promise settles, so that it is not collected while its
  // work runs. `backend` is shared for the same reason, and so that close() need not wait for the work.
  OperationWorker(Napi::Env env, Napi::Object store, std::shared_ptr<Backend> backend, typename Op::Params params)
      : Napi::AsyncWorker(env, "regbridge"), deferred_(Napi::Promise::Deferred::New(env)),
        store_(Napi::Persistent(store)), backend_(std::move(backend)), params_(std::move(params)) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

protected:
  void Execute() override {
    try {
      error_ = captureErrors([&] { result_.emplace(Op::run(*backend_, params_)); });
    } catch (...) {
      error_ = ErrorInfo::internal("a JS exception type thrown off the JS thread"); // cannot happen; never escape
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    try {
      if (error_) {
        deferred_.Reject(toJsError(env, *error_).Value());
        return;
      }
      std::optional<ErrorInfo> conversionError = captureErrors([&] { resolved_ = toJs(env, *result_); });
      if (conversionError)
        deferred_.Reject(toJsError(env, *conversionError).Value());
      else
        deferred_.Resolve(Napi::Value(env, resolved_));
    } catch (const Napi::Error& error) {
      deferred_.Reject(error.Value());
    } catch (...) {
      // Rejecting itself failed (the environment is going away): nothing JS can see is left to do.
    }
  }

private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference store_;
  std::shared_ptr<Backend> backend_;
  typename Op::Params params_;
  std::optional<typename Op::Result> result_;
  std::optional<ErrorInfo> error_;
  napi_value resolved_ = nullptr;
};

} // namespace regbridge::addon
