// Errors at the addon boundary: every C++ exception becomes an ErrorInfo (plain data, safe to carry from a worker
// thread to the JS thread) and then a JS Error with `code`, `key` and `valueName`. Nothing else leaves the addon.
#pragma once

#include <napi.h>

#include <optional>
#include <string>
#include <string_view>

#include "registry/Error.h"

namespace regbridge::addon {

struct ErrorInfo {
  std::string code; // errorCodeName(), or one of the addon's own codes (ERR_CLOSED)
  std::string message;
  std::string key;                      // empty when the error concerns no key
  std::optional<std::string> valueName; // set when the error concerns one value

  static ErrorInfo from(const RegistryError& error);
  static ErrorInfo internal(std::string_view what);
  static ErrorInfo closed(std::string_view method);
};

// A JS Error carrying the info as properties; throw it or reject a promise with its Value(). With `mapError` (a JS
// function given to openStore), what it returns for that Error instead.
Napi::Error toJsError(Napi::Env env, const ErrorInfo& info, napi_value mapError = nullptr);

// mapError(error), or `error` when there is no mapError. The client's mapper makes the addon's errors its own error
// class where they are made, so that it need not chain a handler on every promise to convert them (an extra promise
// and microtask turn per call, a third of an in-memory async read). If the mapper throws, its exception is the error.
napi_value mapJsError(napi_env env, napi_value mapError, napi_value error) noexcept;

// Runs `work`, turning any C++ exception into an ErrorInfo. A Napi::Error (a JS exception raised while marshalling,
// a throwing getter for instance) is rethrown untouched so that the JS exception keeps its identity; it cannot
// occur on a worker thread, where no JS is touched.
template <class Work> std::optional<ErrorInfo> captureErrors(Work&& work) {
  try {
    work();
    return std::nullopt;
  } catch (const Napi::Error&) {
    throw;
  } catch (const RegistryError& error) {
    return ErrorInfo::from(error);
  } catch (const std::exception& error) {
    return ErrorInfo::internal(error.what());
  } catch (...) {
    return ErrorInfo::internal("an unknown C++ exception");
  }
}

} // namespace regbridge::addon
