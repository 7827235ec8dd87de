// JSON-RPC error codes and the one exception that carries an error response's {code, message, data}. The codes are
// mirrored in client-ts (see PROTOCOL.md "Errors"); keep them in step.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "registry/Error.h"

namespace regbridge::protocol {

namespace rpc {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
inline constexpr int RegistryFailure = -32000;  // any RegistryError other than a bad argument or path
inline constexpr int RequestCancelled = -32800; // LSP's code, so vscode-jsonrpc clients recognise it
} // namespace rpc

class RpcError : public std::runtime_error {
public:
  RpcError(int code, const std::string& message, nlohmann::ordered_json data = nullptr)
      : std::runtime_error(message), code_(code), message_(message), data_(std::move(data)) {}
  int code() const { return code_; }
  // The whole message (what() stops at the first NUL, which a quoted name may hold).
  const std::string& message() const { return message_; }
  // null when the error has no data (then `data` is left out of the response).
  const nlohmann::ordered_json& data() const { return data_; }

private:
  int code_;
  std::string message_;
  nlohmann::ordered_json data_;
};

// ERR_INVALID_ARGUMENT and ERR_INVALID_PATH become -32602 (the caller passed something wrong), the rest -32000;
// data is {code: "ERR_...", key?, valueName?, nativeCode?}.
RpcError toRpcError(const RegistryError& error);

// -32602 for params that do not decode, with data.code ERR_INVALID_ARGUMENT so that a client can throw the same
// RegistryError as the in-process binding does.
RpcError invalidParams(const std::string& message);

// The `error` member of a response.
nlohmann::ordered_json errorObject(const RpcError& error);

} // namespace regbridge::protocol
