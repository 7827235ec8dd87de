// C++ -> JSON text directly, for results: the same text as appendJsonWtf8(toJson(value)) (JsonCodec.h), member for
// member, without building the nlohmann value first. A listValues answer as a DOM is an object, a map and a string
// per member of every value; their allocations cost more than reading the values. The encodings of ValueType,
// RegistryView and Timestamp are small and go through toJson, so that each wire form keeps a single definition;
// ValueData and Bytes are written here because they carry the bulk of a result (a test holds both paths equal).
#pragma once

#include <charconv>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>

#include "protocol/Base64.h"
#include "protocol/JsonCodec.h"
#include "protocol/JsonWtf8.h"

namespace regbridge::protocol {

template <class T> void appendJson(std::string& out, const T& value);

namespace detail {

template <class Integer> void appendDecimal(std::string& out, Integer value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

inline void appendBytes(std::string& out, const Bytes& bytes) {
  out += R"({"base64":")";
  appendBase64(out, bytes.bytes); // base64 needs no escaping
  out += R"("})";
}

inline void appendValueData(std::string& out, const ValueData& data) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::uint64_t>) { // a decimal string: JavaScript numbers lose such integers
          out += '"';
          appendDecimal(out, v);
          out += '"';
        } else if constexpr (std::is_same_v<V, Bytes>) {
          appendBytes(out, v);
        } else {
          appendJson(out, v);
        }
      },
      data);
}

} // namespace detail

template <class T> void appendJson(std::string& out, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    out += value ? "true" : "false";
  } else if constexpr (std::is_same_v<T, std::string>) {
    appendJsonString(out, value);
  } else if constexpr (std::is_integral_v<T>) {
    detail::appendDecimal(out, value);
  } else if constexpr (std::is_same_v<T, Empty>) {
    out += "null";
  } else if constexpr (std::is_same_v<T, ValueData>) {
    detail::appendValueData(out, value);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    detail::appendBytes(out, value);
  } else if constexpr (IsVector<T>::value) {
    out += '[';
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ',';
      first = false;
      appendJson(out, item);
    }
    out += ']';
  } else if constexpr (Described<T>) {
    // Members in field-list order, left out by the same rules as toJson.
    out += '{';
    bool first = true;
    std::apply(
        [&](const auto&... fields) {
          [[maybe_unused]] auto put = [&](const auto& f) {
            const auto& member = value.*(f.member);
            using M = std::decay_t<decltype(member)>;
            if constexpr (IsOptional<M>::value) {
              if (!member) return;
            } else if constexpr (std::is_same_v<M, RegistryView>) {
              if (member == RegistryView::Default) return;
            }
            if (!first) out += ',';
            first = false;
            appendJsonString(out, f.name);
            out += ':';
            if constexpr (IsOptional<M>::value) appendJson(out, *member);
            else appendJson(out, member);
          };
          (put(fields), ...);
        },
        fieldsOf<T>());
    out += '}';
  } else {
    appendJsonWtf8(out, toJson(value));
  }
}

} // namespace regbridge::protocol
