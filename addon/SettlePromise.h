// Settling a call's promise on the JS thread once its operation has run on the libuv thread pool (CallQueue.h).
#pragma once

#include <napi.h>

#include <optional>
#include <utility>

#include "addon/Errors.h"
#include "addon/Marshal.h"

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

} // namespace regbridge::addon
