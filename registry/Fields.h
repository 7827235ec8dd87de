// A struct's field list, written once beside the struct and read by every marshaller (N-API in addon/, JSON in
// protocol/), so that the names of C++ members, JSON keys and TS fields are one spelling end to end.
//
//   struct P { std::string key; bool raw = false; };
//   constexpr auto describe(const P*) { return std::tuple{field("key", &P::key), field("raw", &P::raw)}; }
//
// The order of the fields is also the order of the positional arguments of the addon's functions.
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace regbridge {

template <class Struct, class Member> struct Field {
  std::string_view name;
  Member Struct::*member;
  using StructType = Struct;
  using MemberType = Member;
};

template <class Struct, class Member> constexpr Field<Struct, Member> field(std::string_view name, Member Struct::*m) {
  return {name, m};
}

template <class T>
concept Described = requires {
  describe(static_cast<const T*>(nullptr));
};

template <Described T> constexpr auto fieldsOf() { return describe(static_cast<const T*>(nullptr)); }

template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};

// The results of operations that return nothing (undefined in JS, null on the wire).
struct Empty {};

} // namespace regbridge
