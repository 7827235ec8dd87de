#include "protocol/JsonValues.h"

#include <charconv>
#include <limits>

#include "protocol/Base64.h"
#include "protocol/IsoTime.h"

namespace regbridge::protocol {

using json = nlohmann::ordered_json;

std::string_view describeJsonType(const json& j) {
  switch (j.type()) {
  case json::value_t::null: return "null";
  case json::value_t::object: return "an object";
  case json::value_t::array: return "an array";
  case json::value_t::string: return "a string";
  case json::value_t::boolean: return "a boolean";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned: return "an integer";
  case json::value_t::number_float: return "a fractional number";
  default: return "an unsupported value";
  }
}

namespace {
[[noreturn]] void expected(const JsonPath& path, std::string_view what, const json& got) {
  throw DecodeError(path, "expected " + std::string(what) + ", got " + std::string(describeJsonType(got)));
}
} // namespace

json encodeValueType(ValueType type) {
  std::string_view name = valueTypeName(type.code);
  if (name.empty()) return type.code;
  return name;
}

ValueType decodeValueType(const json& j, const JsonPath& path) {
  if (j.is_string()) {
    if (auto code = valueTypeFromName(j.get_ref<const std::string&>())) return {*code};
    throw DecodeError(path, "unknown type name '" + j.get<std::string>() + "' (use its number for other codes)");
  }
  // Values built in C++ hold non-negative integers as signed, parsed ones as unsigned: accept both.
  if (j.is_number_integer()) {
    if (!j.is_number_unsigned() && j.get<std::int64_t>() < 0)
      throw DecodeError(path, "type code " + j.dump() + " is negative");
    if (j.get<std::uint64_t>() <= std::numeric_limits<std::uint32_t>::max())
      return {static_cast<std::uint32_t>(j.get<std::uint64_t>())};
  }
  expected(path, "a type name such as \"REG_SZ\" or a type code 0..4294967295", j);
}

json encodeView(RegistryView view) { return view == RegistryView::Bits32 ? 32 : 64; }

RegistryView decodeView(const json& j, const JsonPath& path) {
  if (j.is_number_integer() && !j.is_number_float()) {
    if (j == 64) return RegistryView::Bits64;
    if (j == 32) return RegistryView::Bits32;
    throw DecodeError(path, "the registry view must be 32 or 64, got " + j.dump());
  }
  expected(path, "32 or 64", j);
}

json encodeValueData(const ValueData& data) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::uint64_t>) return std::to_string(v);
        else if constexpr (std::is_same_v<T, Bytes>) return encodeBytes(v);
        else return v;
      },
      data);
}

ValueData decodeValueData(const json& j, const JsonPath& path) {
  switch (j.type()) {
  case json::value_t::string: return j.get<std::string>();
  case json::value_t::object: return decodeBytes(j, path);
  case json::value_t::number_integer: return j.get<std::int64_t>();
  case json::value_t::number_unsigned:
    // Exact up to 2^64 - 1 (a JavaScript client writes a bigint as digits); above 2^63 - 1 only a uint64 holds it.
    if (j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return j.get<std::uint64_t>();
    return j.get<std::int64_t>();
  case json::value_t::number_float: throw DecodeError(path, "expected an integer, got " + j.dump());
  case json::value_t::array: {
    std::vector<std::string> strings;
    strings.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) expected(path.element(i), "a string", j[i]);
      strings.push_back(j[i].get<std::string>());
    }
    return strings;
  }
  default: expected(path, "a string, an array of strings, an integer or {\"base64\": \"...\"}", j);
  }
}

void finishValueData(ValueType type, ValueData& data, const JsonPath&) {
  // A REG_QWORD's data comes as a decimal string, because JSON numbers above 2^53 are not exact in JavaScript. Any
  // other string is left as it is, for the core to refuse in the words the addon's callers read too.
  if (type.code != REG_QWORD) return;
  auto* text = std::get_if<std::string>(&data);
  if (!text) return;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (!text->empty() && ec == std::errc{} && end == text->data() + text->size()) data = n;
}

json encodeBytes(const Bytes& bytes) { return {{"base64", encodeBase64(bytes.bytes)}}; }

Bytes decodeBytes(const json& j, const JsonPath& path) {
  if (!j.is_object()) expected(path, "{\"base64\": \"...\"}", j);
  for (const auto& [key, value] : j.items())
    if (key != "base64") throw DecodeError(path.member(key), "unknown field (bytes are {\"base64\": \"...\"})");
  auto it = j.find("base64");
  if (it == j.end()) throw DecodeError(path.member("base64"), "missing (bytes are {\"base64\": \"...\"})");
  if (!it->is_string()) expected(path.member("base64"), "a string", *it);
  auto bytes = decodeBase64(it->get_ref<const std::string&>());
  if (!bytes) throw DecodeError(path.member("base64"), "not canonical padded base64");
  return {std::move(*bytes)};
}

json encodeTimestamp(Timestamp time) { return fileTimeToIso(time.fileTime); }

Timestamp decodeTimestamp(const json& j, const JsonPath& path) {
  if (!j.is_string()) expected(path, "an ISO 8601 UTC time string", j);
  auto fileTime = isoToFileTime(j.get_ref<const std::string&>());
  if (!fileTime) throw DecodeError(path, "expected an ISO 8601 UTC time such as \"2026-11-25T06:05:50.123Z\"");
  return {*fileTime};
}

} // namespace regbridge::protocol
