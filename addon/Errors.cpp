#include "addon/Errors.h"

#include "addon/Marshal.h"

namespace regbridge::addon {

ErrorInfo ErrorInfo::from(const RegistryError& error) {
  return {std::string(errorCodeName(error.code())), error.message(), error.key(), error.valueName()};
}

ErrorInfo ErrorInfo::internal(std::string_view what) {
  return {"ERR_INTERNAL", "internal error in the regbridge addon: " + std::string(what), {}, std::nullopt};
}

ErrorInfo ErrorInfo::closed(std::string_view method) {
  return {"ERR_CLOSED", "cannot call " + std::string(method) + ": the store is closed", {}, std::nullopt};
}

Napi::Error toJsError(Napi::Env env, const ErrorInfo& info, napi_value mapError) {
  // The message, key and value name are WTF-8 and may hold lone surrogates of the names they quote: stringToJs keeps
  // them, as the results of the call would.
  napi_value created = nullptr;
  check(env, napi_create_error(env, nullptr, stringToJs(env, info.message), &created));
  Napi::Error error(env, created);
  Napi::Object object = error.Value();
  object.Set("code", info.code);
  if (!info.key.empty()) object.Set("key", Napi::Value(env, stringToJs(env, info.key)));
  if (info.valueName) object.Set("valueName", Napi::Value(env, stringToJs(env, *info.valueName)));
  if (!mapError) return error;
  return Napi::Error(env, mapJsError(env, mapError, object));
}

napi_value mapJsError(napi_env env, napi_value mapError, napi_value error) noexcept {
  if (!mapError) return error;
  napi_value undefined = nullptr;
  napi_value mapped = nullptr;
  if (napi_get_undefined(env, &undefined) == napi_ok &&
      napi_call_function(env, undefined, mapError, 1, &error, &mapped) == napi_ok)
    return mapped;
  bool pending = false;
  napi_value thrown = nullptr;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
      napi_get_and_clear_last_exception(env, &thrown) == napi_ok)
    return thrown;
  return error; // JS cannot run now (the environment is going away): the unmapped error
}

} // namespace regbridge::addon
