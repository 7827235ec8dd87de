#include "addon/Errors.h"

namespace regbridge::addon {

ErrorInfo ErrorInfo::from(const RegistryError& error) {
  return {std::string(errorCodeName(error.code())), error.what(), error.key(), error.valueName()};
}

ErrorInfo ErrorInfo::internal(std::string_view what) {
  return {"ERR_INTERNAL", "internal error in the regbridge addon: " + std::string(what), {}, std::nullopt};
}

ErrorInfo ErrorInfo::closed(std::string_view method) {
  return {"ERR_CLOSED", "cannot call " + std::string(method) + ": the store is closed", {}, std::nullopt};
}

Napi::Error toJsError(Napi::Env env, const ErrorInfo& info) {
  Napi::Error error = Napi::Error::New(env, info.message);
  Napi::Object object = error.Value();
  object.Set("code", info.code);
  if (!info.key.empty()) object.Set("key", info.key);
  if (info.valueName) object.Set("valueName", *info.valueName);
  return error;
}

} // namespace regbridge::addon
