// The explicit JSON forms of the few types whose wire shape is not "the same as in C++": a type code, the typed
// data variant, raw bytes and a timestamp (PROTOCOL.md "Values"). Everything else is derived from field lists in
// JsonCodec.h.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "protocol/JsonPath.h"
#include "registry/KeyPath.h"
#include "registry/Value.h"

namespace regbridge::protocol {

// "REG_SZ" for named codes, the number otherwise.
nlohmann::ordered_json encodeValueType(ValueType type);
// A known name or an integer 0..4294967295.
ValueType decodeValueType(const nlohmann::ordered_json& json, const JsonPath& path);

// The registry view as the number of bits: 32 or 64. A params struct leaves Default out (JsonCodec.h).
nlohmann::ordered_json encodeView(RegistryView view);
RegistryView decodeView(const nlohmann::ordered_json& json, const JsonPath& path);

// string -> string, string[] -> array, int64 -> number, uint64 -> decimal string, Bytes -> {"base64": "..."}.
nlohmann::ordered_json encodeValueData(const ValueData& data);
// The inverse without knowing the type: a string always decodes to std::string here; finishValueData turns a decimal
// one into uint64 once the type is known to be REG_QWORD. An integer is an int64, or a uint64 above 2^63 - 1.
ValueData decodeValueData(const nlohmann::ordered_json& json, const JsonPath& path);
void finishValueData(ValueType type, ValueData& data, const JsonPath& dataPath);

nlohmann::ordered_json encodeBytes(const Bytes& bytes);
Bytes decodeBytes(const nlohmann::ordered_json& json, const JsonPath& path);

nlohmann::ordered_json encodeTimestamp(Timestamp time);
Timestamp decodeTimestamp(const nlohmann::ordered_json& json, const JsonPath& path);

// "a string", "an array", ... for "expected X, got Y" messages.
std::string_view describeJsonType(const nlohmann::ordered_json& json);

} // namespace regbridge::protocol
