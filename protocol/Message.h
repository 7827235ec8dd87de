// One JSON-RPC 2.0 message body in, classified; responses out as JSON text. No I/O and no state: what a
// connection does with a message (order, cancel, shutdown) is the server's business.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/RpcError.h"

namespace regbridge::protocol {

struct Incoming {
  enum class Kind {
    Request,      // has an id: must be answered
    Notification, // no id: never answered
    Response,     // a response from the peer; the server sends no requests, so it is dropped
    Invalid,      // answer `error` to `id` (null when the id could not be read)
    Unusable,     // a notification whose params cannot be decoded: never answered, never run
  };
  Kind kind = Kind::Invalid;
  nlohmann::ordered_json id; // string or integer for requests; null otherwise
  std::string method;
  nlohmann::ordered_json params; // null when absent, else an object or an array
  std::optional<RpcError> error;
};

// Never throws: unparsable JSON, bad UTF-8 or nesting deeper than kMaxJsonDepth gives Invalid with -32700 (lone
// surrogate escapes are accepted: they become WTF-8, as in protocol/JsonWtf8.h), a batch or a malformed envelope
// -32600, a number too large for a double inside a request's params -32602 (anywhere the server does not read it is
// harmless).
Incoming parseMessage(std::string_view body);

// {"jsonrpc":"2.0","id":...,"result":...} and {"jsonrpc":"2.0","id":...,"error":{...}}. Strings are WTF-8: a lone
// surrogate is written as its `\ud800` escape; bytes that are not WTF-8 (they should never reach here) as U+FFFD
// rather than failing the response.
std::string resultMessage(const nlohmann::ordered_json& id, const nlohmann::ordered_json& result);
std::string errorMessage(const nlohmann::ordered_json& id, const RpcError& error);
// resultMessage in its frame (FrameReader.h), for a result already written as JSON text (JsonWrite.h), made with one
// allocation of the exact size.
std::string framedResultText(const nlohmann::ordered_json& id, std::string_view resultText);

} // namespace regbridge::protocol
