#include "protocol/RpcError.h"

namespace regbridge::protocol {

RpcError toRpcError(const RegistryError& error) {
  nlohmann::ordered_json data = {{"code", errorCodeName(error.code())}};
  if (!error.key().empty()) data["key"] = error.key();
  if (error.valueName()) data["valueName"] = *error.valueName();
  if (error.nativeCode()) data["nativeCode"] = *error.nativeCode();
  bool callersFault = error.code() == ErrorCode::InvalidArgument || error.code() == ErrorCode::InvalidPath;
  return RpcError(callersFault ? rpc::InvalidParams : rpc::RegistryFailure, error.message(), std::move(data));
}

RpcError invalidParams(const std::string& message) {
  return RpcError(rpc::InvalidParams, message, {{"code", errorCodeName(ErrorCode::InvalidArgument)}});
}

nlohmann::ordered_json errorObject(const RpcError& error) {
  nlohmann::ordered_json out = {{"code", error.code()}, {"message", error.message()}};
  if (!error.data().is_null()) out["data"] = error.data();
  return out;
}

} // namespace regbridge::protocol
