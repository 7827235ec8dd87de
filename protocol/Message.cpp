#include "protocol/Message.h"

#include <charconv>

#include "protocol/JsonPlainParse.h"
#include "protocol/JsonScan.h"
#include "protocol/JsonWtf8.h"

namespace regbridge::protocol {

using json = nlohmann::ordered_json;

namespace {

Incoming invalid(json id, RpcError error) {
  Incoming in;
  in.kind = Incoming::Kind::Invalid;
  in.id = std::move(id);
  in.error.emplace(std::move(error));
  return in;
}

Incoming invalid(json id, int code, std::string message) { return invalid(std::move(id), RpcError(code, message)); }

// nlohmann's messages start with "[json.exception.parse_error.101] "; the client needs only the rest.
std::string withoutExceptionTag(const char* what) {
  std::string_view text(what);
  if (!text.empty() && text.front() == '[') {
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  return std::string(text);
}

} // namespace

Incoming parseMessage(std::string_view body) {
  json message;
  OverflowScan overflow;
  if (std::optional<json> plain = parsePlainJson(body)) {
    message = std::move(*plain); // what a client sends, read ~4x faster than below
  } else if (nestsDeeperThan(body, kMaxJsonDepth)) {
    return invalid(nullptr, rpc::ParseError,
                   "Parse error: arrays and objects nest deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  } else {
    try {
      // The parser rejects ill-formed UTF-8; lone surrogate escapes become WTF-8, as the core's strings are.
      message = parseJsonWtf8(body);
    } catch (const json::out_of_range&) {
      // A number beyond a double's range (406) stops nlohmann's parser where it stands. Parse again with such
      // numbers set to 0, so that the request's id is known and the answer names what was wrong; a number the
      // server ignores (in a member it does not read) then does no harm.
      overflow = replaceOverflowingNumbers(body);
      try {
        message = parseJsonWtf8(overflow.text);
      } catch (const json::exception& e) {
        return invalid(nullptr, rpc::ParseError, "Parse error: " + withoutExceptionTag(e.what()));
      }
    } catch (const json::exception& e) {
      return invalid(nullptr, rpc::ParseError, "Parse error: " + withoutExceptionTag(e.what()));
    }
  }
  if (message.is_array())
    return invalid(nullptr, rpc::InvalidRequest,
                   "Invalid Request: batches are not supported; send one message per frame");
  if (!message.is_object())
    return invalid(nullptr, rpc::InvalidRequest, "Invalid Request: a message must be an object");

  Incoming in;
  auto idIt = message.find("id");
  bool hasId = idIt != message.end();
  if (overflow.inId)
    return invalid(nullptr, rpc::InvalidRequest,
                   "Invalid Request: id " + overflow.first + " is out of range; an id must be a string or an integer");
  if (hasId) {
    // JSON-RPC allows null and fractional ids but discourages them; LSP allows only integer | string.
    if (!idIt->is_string() && !idIt->is_number_integer())
      return invalid(nullptr, rpc::InvalidRequest, "Invalid Request: id must be a string or an integer");
    in.id = std::move(*idIt);
  }
  auto versionIt = message.find("jsonrpc");
  if (versionIt == message.end() || *versionIt != "2.0")
    return invalid(in.id, rpc::InvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");

  auto methodIt = message.find("method");
  if (methodIt == message.end()) {
    if (hasId && (message.contains("result") || message.contains("error"))) {
      in.kind = Incoming::Kind::Response;
      return in;
    }
    return invalid(in.id, rpc::InvalidRequest, "Invalid Request: method is missing");
  }
  if (!methodIt->is_string()) return invalid(in.id, rpc::InvalidRequest, "Invalid Request: method must be a string");
  in.method = std::move(methodIt->get_ref<std::string&>());

  if (auto paramsIt = message.find("params"); paramsIt != message.end()) {
    if (!paramsIt->is_object() && !paramsIt->is_array())
      return invalid(in.id, rpc::InvalidRequest, "Invalid Request: params must be an object or an array");
    in.params = std::move(*paramsIt);
  }
  if (overflow.inParams) {
    // Every number the methods take is an integer of at most 64 bits, so such a number is never a valid argument;
    // its 0 stand-in must not run. A notification has nobody to tell.
    if (!hasId) {
      in.kind = Incoming::Kind::Unusable;
      return in;
    }
    return invalid(std::move(in.id), invalidParams(in.method + ": params hold the number " + overflow.first +
                                                   ", which is out of range (a JSON number must fit in a 64-bit "
                                                   "float, and integers here in 64 bits)"));
  }
  // Other members are ignored, as LSP implementations do, so a client may add its own.
  in.kind = hasId ? Incoming::Kind::Request : Incoming::Kind::Notification;
  return in;
}

std::string resultMessage(const json& id, const json& result) {
  // Written by hand rather than as a json object: it keeps "jsonrpc" first for people reading a transcript and
  // saves building a map per response.
  std::string out = R"({"jsonrpc":"2.0","id":)";
  appendJsonWtf8(out, id);
  out += R"(,"result":)";
  appendJsonWtf8(out, result);
  out += '}';
  return out;
}

std::string framedResultText(const json& id, std::string_view resultText) {
  std::string idText;
  appendJsonWtf8(idText, id);
  constexpr std::string_view open = R"({"jsonrpc":"2.0","id":)", middle = R"(,"result":)";
  const std::size_t bodySize = open.size() + idText.size() + middle.size() + resultText.size() + 1;
  char digits[24];
  const auto digitCount = std::size_t(std::to_chars(digits, digits + sizeof digits, bodySize).ptr - digits);
  std::string frame;
  frame.reserve(16 + digitCount + 4 + bodySize);
  frame.append("Content-Length: ").append(digits, digitCount).append("\r\n\r\n");
  frame.append(open).append(idText).append(middle).append(resultText).push_back('}');
  return frame;
}

std::string errorMessage(const json& id, const RpcError& error) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  appendJsonWtf8(out, id);
  out += R"(,"error":)";
  appendJsonWtf8(out, errorObject(error));
  out += '}';
  return out;
}

} // namespace regbridge::protocol
