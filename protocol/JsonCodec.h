// JSON <-> C++ for every params and result type, derived from the field lists in registry/ (fieldsOf<T>()), so that
// adding an operation needs no code here. Only ValueType, ValueData, Bytes and Timestamp have hand-written forms
// (JsonValues.h). The rules, which PROTOCOL.md states for clients:
//   - a struct is an object with exactly its field names; an unknown member is an error ("unknown parameter");
//   - a missing bool is false, a missing view is Default, a missing or null optional is left empty, anything else
//     missing is an error;
//   - an empty optional and a Default view are left out when encoding; Empty encodes as null;
//   - integers must be integral and in range.
// Objects are nlohmann::ordered_json so that members go out in field-list order (the order of the addon's
// positional arguments too), which keeps transcripts readable; receivers must not depend on it.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "protocol/JsonPath.h"
#include "protocol/JsonValues.h"
#include "registry/Fields.h"
#include "registry/Value.h"

namespace regbridge::protocol {

template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};

// Structs whose `data` can only be decoded once `type` is known (a REG_QWORD's decimal string).
template <class T>
concept HasTypedData = requires(T& t) {
  { t.type } -> std::convertible_to<ValueType>;
  { t.data } -> std::convertible_to<ValueData>;
};

template <class T> nlohmann::ordered_json toJson(const T& value) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
    return value;
  } else if constexpr (std::is_integral_v<T>) {
    return value;
  } else if constexpr (std::is_same_v<T, Empty>) {
    return nullptr;
  } else if constexpr (std::is_same_v<T, ValueType>) {
    return encodeValueType(value);
  } else if constexpr (std::is_same_v<T, RegistryView>) {
    return encodeView(value);
  } else if constexpr (std::is_same_v<T, ValueData>) {
    return encodeValueData(value);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return encodeBytes(value);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return encodeTimestamp(value);
  } else if constexpr (IsVector<T>::value) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : value) out.push_back(toJson(item));
    return out;
  } else if constexpr (Described<T>) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    std::apply(
        [&](const auto&... fields) {
          [[maybe_unused]] auto put = [&](const auto& f) {
            const auto& member = value.*(f.member);
            using M = std::decay_t<decltype(member)>;
            if constexpr (IsOptional<M>::value) {
              if (member) out[std::string(f.name)] = toJson(*member);
            } else if constexpr (std::is_same_v<M, RegistryView>) {
              if (member != RegistryView::Default) out[std::string(f.name)] = toJson(member);
            } else {
              out[std::string(f.name)] = toJson(member);
            }
          };
          (put(fields), ...);
        },
        fieldsOf<T>());
    return out;
  } else {
    static_assert(sizeof(T) == 0, "no JSON form for this type: give it a field list or a codec in JsonValues.h");
  }
}

template <class T> void fromJson(const nlohmann::ordered_json& json, T& out, const JsonPath& path);

namespace detail {

[[noreturn]] inline void expected(const JsonPath& path, std::string_view what, const nlohmann::ordered_json& got) {
  throw DecodeError(path, "expected " + std::string(what) + ", got " + std::string(describeJsonType(got)));
}

template <class T> void integerFromJson(const nlohmann::ordered_json& json, T& out, const JsonPath& path) {
  if (!json.is_number_integer()) expected(path, "an integer", json);
  // nlohmann keeps parsed non-negative integers as unsigned and C++-built ones as signed: check both forms.
  bool fits;
  if (json.is_number_unsigned()) {
    fits = json.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  } else {
    std::int64_t v = json.get<std::int64_t>();
    fits = v < 0 ? std::is_signed_v<T> && v >= static_cast<std::int64_t>(std::numeric_limits<T>::min())
                 : static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  }
  if (!fits) throw DecodeError(path, "integer " + json.dump() + " is out of range");
  out = json.get<T>();
}

template <class T> void structFromJson(const nlohmann::ordered_json& json, T& out, const JsonPath& path) {
  // An absent `params` arrives as null and means "no members", which is fine for a struct of optional fields.
  static const nlohmann::ordered_json kEmpty = nlohmann::ordered_json::object();
  const nlohmann::ordered_json& object = json.is_null() ? kEmpty : json;
  if (!object.is_object()) expected(path, "an object", json);
  constexpr auto fields = fieldsOf<T>();
  for (const auto& item : object.items()) {
    // Not a structured binding: clang before 16 cannot capture one in the lambda below (the fuzz targets use clang).
    const std::string& key = item.key();
    bool known = std::apply([&](const auto&... f) { return ((f.name == key) || ...); }, fields);
    if (!known) throw DecodeError(path.member(key), path.str() == "params" ? "unknown parameter" : "unknown field");
  }
  std::apply(
      [&](const auto&... f) {
        [[maybe_unused]] auto get = [&](const auto& field) {
          auto& member = out.*(field.member);
          using M = std::decay_t<decltype(member)>;
          JsonPath at = path.member(field.name);
          auto it = object.find(field.name);
          if (it == object.end() || (IsOptional<M>::value && it->is_null())) {
            if constexpr (IsOptional<M>::value) member.reset();
            else if constexpr (std::is_same_v<M, bool>) member = false;
            else if constexpr (std::is_same_v<M, RegistryView>) member = RegistryView::Default;
            else throw DecodeError(at, "missing");
            return;
          }
          if constexpr (IsOptional<M>::value) {
            typename M::value_type inner{};
            fromJson(*it, inner, at);
            member = std::move(inner);
          } else {
            fromJson(*it, member, at);
          }
        };
        (get(f), ...);
      },
      fields);
  if constexpr (HasTypedData<T>) finishValueData(out.type, out.data, path.member("data"));
}

} // namespace detail

template <class T> void fromJson(const nlohmann::ordered_json& json, T& out, const JsonPath& path) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!json.is_boolean()) detail::expected(path, "a boolean", json);
    out = json.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!json.is_string()) detail::expected(path, "a string", json);
    out = json.get<std::string>();
  } else if constexpr (std::is_integral_v<T>) {
    detail::integerFromJson(json, out, path);
  } else if constexpr (std::is_same_v<T, Empty>) {
    if (!json.is_null()) detail::expected(path, "null", json);
  } else if constexpr (std::is_same_v<T, ValueType>) {
    out = decodeValueType(json, path);
  } else if constexpr (std::is_same_v<T, RegistryView>) {
    out = decodeView(json, path);
  } else if constexpr (std::is_same_v<T, ValueData>) {
    out = decodeValueData(json, path);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    out = decodeBytes(json, path);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    out = decodeTimestamp(json, path);
  } else if constexpr (IsVector<T>::value) {
    if (!json.is_array()) detail::expected(path, "an array", json);
    out.clear();
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
      typename T::value_type item{};
      fromJson(json[i], item, path.element(i));
      out.push_back(std::move(item));
    }
  } else if constexpr (Described<T>) {
    detail::structFromJson(json, out, path);
  } else {
    static_assert(sizeof(T) == 0, "no JSON form for this type: give it a field list or a codec in JsonValues.h");
  }
}

// Convenience for tests and callers at the top of a message.
template <class T> T fromJson(const nlohmann::ordered_json& json, std::string_view rootName = "params") {
  T out{};
  fromJson(json, out, JsonPath::root(rootName));
  return out;
}

} // namespace regbridge::protocol
