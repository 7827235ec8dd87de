// N-API values <-> the handler table's C++ types, generically: params are read from positional JS arguments in the
// order of their struct's field list (registry/Fields.h), results are written by type.
//
// The client checks every argument before it calls the store (client-ts/src/arguments.ts, for both modes, with the
// words users read). The checks here only guard the conversion for any other caller of the store functions: they refuse
// what cannot be converted, in a short message, and leave every rule about keys, names and data to the core. Raw napi_*
// calls on purpose: this is the hot path of every synchronous call, and node-addon-api's wrappers add a copy or a
// handle per value.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "registry/Fields.h"
#include "registry/KeyPath.h"
#include "registry/Unicode.h"
#include "registry/Value.h"

namespace regbridge::addon {

// Throws Napi::Error (holding the pending JS exception, if any) when a napi call failed.
inline void check(napi_env env, napi_status status) {
  if (status != napi_ok) throw Napi::Error::New(env);
}

// Which argument is being read, for error messages.
struct ArgContext {
  std::string_view method;
  std::size_t index; // 0-based position
  std::string_view name;
};

// RegistryError(InvalidArgument): "<method>: argument N '<name>' must be <expected>, got <what was given>".
[[noreturn]] void throwInvalidArgument(napi_env env, const ArgContext& arg, std::string_view expected, napi_value got);
[[noreturn]] void throwTooManyArguments(std::string_view method, std::size_t expected, std::size_t got);

// ---- JS -> C++ -----------------------------------------------------------------------------------------------

std::string stringFromJs(napi_env env, napi_value value, const ArgContext& arg);
void stringFromJs(napi_env env, napi_value value, const ArgContext& arg, std::string& out); // reuses out's capacity
bool boolFromJs(napi_env env, napi_value value, const ArgContext& arg);                     // undefined -> false
RegistryView viewFromJs(napi_env env, napi_value value, const ArgContext& arg); // 32, 64; undefined -> Default
RegValue regValueFromJs(napi_env env, napi_value value, const ArgContext& arg);
// null -> empty; anything else must be a value { type, data }. (undefined is refused: a forgotten argument must
// not pass for "no value".)
std::optional<RegValue> nullableRegValueFromJs(napi_env env, napi_value value, const ArgContext& arg);

template <class T> T fromJs(napi_env env, napi_value value, const ArgContext& arg) {
  if constexpr (std::is_same_v<T, std::string>) return stringFromJs(env, value, arg);
  else if constexpr (std::is_same_v<T, bool>) return boolFromJs(env, value, arg);
  else if constexpr (std::is_same_v<T, RegistryView>) return viewFromJs(env, value, arg);
  else if constexpr (std::is_same_v<T, RegValue>) return regValueFromJs(env, value, arg);
  else if constexpr (std::is_same_v<T, std::optional<RegValue>>) return nullableRegValueFromJs(env, value, arg);
  else static_assert(sizeof(T) == 0, "no JS -> C++ conversion for this params field type; add one in Marshal");
}

// Into `out`: strings reuse the capacity they have, so params read again and again allocate nothing.
template <class T> void fromJs(napi_env env, napi_value value, const ArgContext& arg, T& out) {
  if constexpr (std::is_same_v<T, std::string>) stringFromJs(env, value, arg, out);
  else out = fromJs<T>(env, value, arg);
}

// A trailing argument left out, as undefined. A view left out is the default view, a boolean false, without asking
// N-API anything: they are the last arguments of nearly every call, and most calls leave them out.
template <class T> void missingFromJs(napi_env env, napi_value& undefined, const ArgContext& arg, T& out) {
  if constexpr (std::is_same_v<T, RegistryView>) {
    out = RegistryView::Default;
  } else if constexpr (std::is_same_v<T, bool>) {
    out = false; // what boolFromJs makes of undefined
  } else {
    if (!undefined) check(env, napi_get_undefined(env, &undefined));
    fromJs(env, undefined, arg, out);
  }
}

// Params from positional arguments, every field assigned; missing trailing arguments are undefined (so booleans
// default to false, views to Default).
template <Described Params>
void paramsFromArgs(napi_env env, std::size_t argc, const napi_value* argv, std::string_view method, Params& params) {
  static constexpr auto fields = fieldsOf<Params>();
  constexpr std::size_t count = std::tuple_size_v<std::remove_const_t<decltype(fields)>>;
  if (argc > count) throwTooManyArguments(method, count, argc);
  napi_value undefined = nullptr;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((I < argc
          ? fromJs(env, argv[I], ArgContext{method, I, std::get<I>(fields).name}, params.*(std::get<I>(fields).member))
          : missingFromJs(env, undefined, ArgContext{method, I, std::get<I>(fields).name},
                          params.*(std::get<I>(fields).member))),
     ...);
  }
  (std::make_index_sequence<count>{});
}

// ---- C++ -> JS -----------------------------------------------------------------------------------------------

// The core's strings are WTF-8 (registry/Unicode.h). Plain UTF-8, nearly all of them, goes to V8's UTF-8 reader;
// text with a lone surrogate, which that reader would turn into U+FFFD, is made from its UTF-16 code units.
napi_value wtf8ToJs(napi_env env, std::string_view text);
inline napi_value stringToJs(napi_env env, std::string_view text) {
  if (hasLoneSurrogate(text)) return wtf8ToJs(env, text);
  napi_value out;
  check(env, napi_create_string_utf8(env, text.data(), text.size(), &out));
  return out;
}
napi_value bytesToJs(napi_env env, const Bytes& bytes); // a Buffer (a copy: external buffers are refused
                                                        // where the V8 sandbox is on, as in Electron)
napi_value valueTypeToJs(napi_env env, ValueType type); // 'REG_SZ', or the number for unnamed codes
napi_value timestampToJs(napi_env env, Timestamp time); // a Date
napi_value undefinedJs(napi_env env);

// JS values made straight from a value's stored bytes, as decodeValueAs (registry/ValueCodec.h) reads them: strings
// from the stored UTF-16 (lone surrogates kept, no UTF-8 copy on the way), lists as arrays of them, DWORDs as
// numbers, QWORDs as bigints, bytes as a Buffer. It runs under the backend's read lock, so it throws nothing: a failed
// napi call is kept in `status` for the caller to throw afterwards.
struct BytePool;
struct JsValueOut {
  napi_env env;
  BytePool* pool = nullptr; // where small byte values go instead of a Buffer each, when the caller has one
  napi_value value = nullptr;
  napi_status status = napi_ok;
  bool pooled = false; // `value` is the pool's ArrayBuffer; the bytes are at poolOffset, bytesLength long
  std::uint32_t poolOffset = 0;
  std::uint32_t bytesLength = 0;

  void text(std::span<const std::uint8_t> units) { status = utf16LeToJs(env, units, &value); }
  void list(std::span<const std::uint8_t> units);
  void integer(std::int64_t number) { status = napi_create_int64(env, number, &value); }
  void bigint(std::uint64_t number) { status = napi_create_bigint_uint64(env, number, &value); }
  void bytes(std::span<const std::uint8_t> bytes);
  // Throws Napi::Error when a napi call failed.
  napi_value result() const {
    check(env, status);
    return value;
  }

  static napi_status utf16LeToJs(napi_env env, std::span<const std::uint8_t> units, napi_value* out);
};

// Small byte values copied into one shared ArrayBuffer, as Node's Buffer.allocUnsafe does with its pool, rather than
// each into a Buffer of its own: a Buffer's own memory (a malloc, a registration with V8, a sweep once collected)
// cost more than the rest of a read. The caller views them with Buffer.from(pool, offset, length); like Node's small
// Buffers, such a view keeps the whole pool alive. One per store, used on the JS thread only.
struct BytePool {
  static constexpr std::size_t kSize = 8192;
  static constexpr std::size_t kMaxValue = 4096; // larger values get a Buffer of their own
  napi_ref buffer = nullptr;                     // the current pool's ArrayBuffer
  std::uint8_t* data = nullptr;
  std::size_t used = kSize; // full: the first value makes a pool

  // Copies `bytes` in (a new pool when they do not fit) and sets `out` to the pool.
  napi_status put(napi_env env, std::span<const std::uint8_t> bytes, JsValueOut& out);
  void release(napi_env env) {
    if (buffer) napi_delete_reference(env, buffer);
    buffer = nullptr;
  }
};

template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};
template <class T> struct IsVariant : std::false_type {};
template <class... T> struct IsVariant<std::variant<T...>> : std::true_type {};

template <class T> napi_value toJs(napi_env env, const T& value);

template <Described T> napi_value structToJs(napi_env env, const T& value) {
  static constexpr auto fields = fieldsOf<T>();
  napi_value object;
  check(env, napi_create_object(env, &object));
  std::apply(
      [&](const auto&... field) {
        auto set = [&](const auto& f) {
          // napi_set_named_property wants a C string; field names are literals (checked in the static_assert
          // below), so their data() is already NUL-terminated and no copy is needed.
          const auto& member = value.*(f.member);
          if constexpr (IsOptional<std::remove_cvref_t<decltype(member)>>::value) {
            if (member) check(env, napi_set_named_property(env, object, f.name.data(), toJs(env, *member)));
          } else {
            check(env, napi_set_named_property(env, object, f.name.data(), toJs(env, member)));
          }
        };
        (set(field), ...);
      },
      fields);
  return object;
}

template <class T> napi_value toJs(napi_env env, const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    return stringToJs(env, value);
  } else if constexpr (std::is_same_v<T, bool>) {
    napi_value out;
    check(env, napi_get_boolean(env, value, &out));
    return out;
  } else if constexpr (std::is_same_v<T, std::uint32_t>) {
    napi_value out;
    check(env, napi_create_uint32(env, value, &out));
    return out;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    napi_value out; // DWORD data: always within the safe integer range
    check(env, napi_create_int64(env, value, &out));
    return out;
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    napi_value out;
    check(env, napi_create_bigint_uint64(env, value, &out));
    return out;
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return bytesToJs(env, value);
  } else if constexpr (std::is_same_v<T, ValueType>) {
    return valueTypeToJs(env, value);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    return timestampToJs(env, value);
  } else if constexpr (std::is_same_v<T, Empty>) {
    return undefinedJs(env);
  } else if constexpr (IsVariant<T>::value) {
    return std::visit([env](const auto& alternative) { return toJs(env, alternative); }, value);
  } else if constexpr (IsVector<T>::value) {
    napi_value array;
    check(env, napi_create_array_with_length(env, value.size(), &array));
    for (std::size_t i = 0; i < value.size(); ++i)
      check(env, napi_set_element(env, array, static_cast<std::uint32_t>(i), toJs(env, value[i])));
    return array;
  } else if constexpr (Described<T>) {
    static_assert(
        [] {
          bool terminated = true;
          std::apply(
              [&](const auto&... f) { ((terminated = terminated && f.name.data()[f.name.size()] == '\0'), ...); },
              fieldsOf<T>());
          return terminated;
        }(),
        "field names must be string literals");
    return structToJs(env, value);
  } else {
    static_assert(sizeof(T) == 0, "no C++ -> JS conversion for this result type; add one in Marshal");
  }
}

} // namespace regbridge::addon
