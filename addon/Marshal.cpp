#include "addon/Marshal.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "registry/Error.h"
#include "registry/Unicode.h"
#include "registry/ValueCodec.h"

namespace regbridge::addon {

namespace {

// What a JS value is, for error messages: typeof, with null, arrays and typed arrays told apart.
std::string describeJs(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return "an unknown value";
  switch (type) {
  case napi_undefined: return "undefined";
  case napi_null: return "null";
  case napi_boolean: return "a boolean";
  case napi_number: return "a number";
  case napi_string: return "a string";
  case napi_symbol: return "a symbol";
  case napi_bigint: return "a bigint";
  case napi_function: return "a function";
  case napi_external: return "an external";
  case napi_object: {
    bool is = false;
    if (napi_is_array(env, value, &is) == napi_ok && is) return "an array";
    if (napi_is_typedarray(env, value, &is) == napi_ok && is) return "a typed array other than Uint8Array";
    if (napi_is_arraybuffer(env, value, &is) == napi_ok && is) return "an ArrayBuffer";
    return "an object";
  }
  }
  return "an unknown value";
}

std::string argumentLabel(const ArgContext& arg) {
  return std::string(arg.method) + ": argument " + std::to_string(arg.index + 1) + " '" + std::string(arg.name) + "'";
}

// Copies `n` ASCII code units into bytes. The pointers are declared apart (__restrict): written through a char
// pointer, which may alias anything, the loop was compiled one byte at a time (a fifth of readString's time).
void narrowAscii(const char16_t* __restrict from, char* __restrict to, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) to[i] = static_cast<char>(from[i]);
}

// Reads a JS string into `out` (reusing its capacity) as WTF-8, lone surrogates kept (registry/Unicode.h); false (and
// nothing pending) when the value is not a string.
//
// JS strings are UTF-16, so they are copied as UTF-16 and converted here: napi_get_value_string_utf8 would turn a lone
// surrogate into U+FFFD, and it is slower anyway. Short strings, those of nearly every call, are copied into a stack
// buffer: for the one-byte strings V8 keeps ASCII in, that copy is a plain widening loop, where V8's UTF-8 writer goes
// character by character (napi_get_value_string_utf8 was a fifth of a cached readStringValueSync). V8 copies at most
// bufsize - 1 code units, so a copy shorter than that is the whole string. Longer strings are copied whole into a
// heap buffer first.
bool readString(napi_env env, napi_value value, std::string& out) {
  char16_t units[512];
  std::size_t count = 0;
  napi_status status = napi_get_value_string_utf16(env, value, units, std::size(units), &count);
  if (status == napi_string_expected) return false;
  check(env, status);
  if (count < std::size(units) - 1) {
    // Two loops without early exits, which the compiler vectorises: is it ASCII, then narrow it.
    const std::size_t n = count;
    char16_t all = 0;
    for (std::size_t i = 0; i < n; ++i) all |= units[i];
    if (all >= 0x80) {
      utf16ToUtf8(out, std::u16string_view(units, n));
      return true;
    }
    out.resize(n);
    narrowAscii(units, out.data(), n);
    return true;
  }
  std::size_t length = 0;
  check(env, napi_get_value_string_utf16(env, value, nullptr, 0, &length));
  std::u16string whole(length, u'\0'); // its terminator slot is writable, so length + 1 fits
  check(env, napi_get_value_string_utf16(env, value, whole.data(), length + 1, &length));
  utf16ToUtf8(out, std::u16string_view(whole.data(), length));
  return true;
}

napi_value property(napi_env env, napi_value object, const char* name) {
  napi_value out;
  check(env, napi_get_named_property(env, object, name, &out)); // may run a getter that throws
  return out;
}

std::uint32_t typeFromJs(napi_env env, napi_value type, const ArgContext& arg) {
  napi_valuetype kind;
  check(env, napi_typeof(env, type, &kind));
  if (kind == napi_string) {
    std::string name;
    readString(env, type, name);
    if (auto code = valueTypeFromName(name)) return *code;
  } else if (kind == napi_number) {
    double number;
    check(env, napi_get_value_double(env, type, &number));
    if (std::trunc(number) == number && number >= 0 && number <= 4294967295.0)
      return static_cast<std::uint32_t>(number);
  }
  throw RegistryError(ErrorCode::InvalidArgument,
                      argumentLabel(arg) + ": type must be a name from REG_NONE to REG_QWORD or an integer from 0 to "
                                           "4294967295");
}

ValueData dataFromJs(napi_env env, napi_value data, const ArgContext& arg) {
  auto fail = [&](std::string_view why) -> ValueData {
    throw RegistryError(ErrorCode::InvalidArgument, argumentLabel(arg) + ": data " + std::string(why));
  };
  napi_valuetype kind;
  check(env, napi_typeof(env, data, &kind));
  switch (kind) {
  case napi_string: {
    std::string text;
    readString(env, data, text);
    return text;
  }
  case napi_number: {
    double number;
    check(env, napi_get_value_double(env, data, &number));
    constexpr double maxSafe = 9007199254740991.0; // Number.MAX_SAFE_INTEGER
    if (std::trunc(number) != number || std::fabs(number) > maxSafe)
      return fail("must be a safe integer when it is a number");
    return static_cast<std::int64_t>(number);
  }
  case napi_bigint: {
    std::uint64_t big = 0;
    bool lossless = false;
    check(env, napi_get_value_bigint_uint64(env, data, &big, &lossless));
    if (!lossless) return fail("must be a bigint from 0n to 2n ** 64n - 1n");
    return big;
  }
  case napi_object: {
    bool is = false;
    check(env, napi_is_array(env, data, &is));
    if (is) {
      std::uint32_t length = 0;
      check(env, napi_get_array_length(env, data, &length));
      std::vector<std::string> strings(length);
      for (std::uint32_t i = 0; i < length; ++i) {
        napi_value element;
        check(env, napi_get_element(env, data, i, &element));
        if (!readString(env, element, strings[i])) return fail("must be an array of strings only");
      }
      return strings;
    }
    check(env, napi_is_typedarray(env, data, &is)); // a Buffer is a Uint8Array
    if (is) {
      napi_typedarray_type type;
      std::size_t length = 0;
      void* bytes = nullptr;
      check(env, napi_get_typedarray_info(env, data, &type, &length, &bytes, nullptr, nullptr));
      if (type == napi_uint8_array || type == napi_uint8_clamped_array) {
        auto* begin = static_cast<const std::uint8_t*>(bytes);
        return Bytes{{begin, begin + length}};
      }
    }
    break;
  }
  default: break;
  }
  return fail("must be a string, an array of strings, a number, a bigint or a Buffer, got " + describeJs(env, data));
}

} // namespace

void throwInvalidArgument(napi_env env, const ArgContext& arg, std::string_view expected, napi_value got) {
  throw RegistryError(ErrorCode::InvalidArgument,
                      argumentLabel(arg) + " must be " + std::string(expected) + ", got " + describeJs(env, got));
}

void throwTooManyArguments(std::string_view method, std::size_t expected, std::size_t got) {
  throw RegistryError(ErrorCode::InvalidArgument, std::string(method) + ": takes at most " + std::to_string(expected) +
                                                      " arguments, got " + std::to_string(got));
}

std::string stringFromJs(napi_env env, napi_value value, const ArgContext& arg) {
  std::string out;
  stringFromJs(env, value, arg, out);
  return out;
}

void stringFromJs(napi_env env, napi_value value, const ArgContext& arg, std::string& out) {
  if (!readString(env, value, out)) throwInvalidArgument(env, arg, "a string", value);
}

bool boolFromJs(napi_env env, napi_value value, const ArgContext& arg) {
  bool out = false;
  napi_status status = napi_get_value_bool(env, value, &out);
  if (status == napi_ok) return out;
  napi_valuetype type;
  check(env, napi_typeof(env, value, &type));
  if (type == napi_undefined) return false;
  throwInvalidArgument(env, arg, "a boolean or undefined", value);
}

RegistryView viewFromJs(napi_env env, napi_value value, const ArgContext& arg) {
  napi_valuetype type;
  check(env, napi_typeof(env, value, &type));
  if (type == napi_undefined) return RegistryView::Default;
  if (type == napi_number) {
    double number = 0;
    check(env, napi_get_value_double(env, value, &number));
    if (number == 64) return RegistryView::Bits64;
    if (number == 32) return RegistryView::Bits32;
    throw RegistryError(ErrorCode::InvalidArgument, argumentLabel(arg) + " must be 32, 64 or undefined");
  }
  throwInvalidArgument(env, arg, "32, 64 or undefined", value);
}

namespace {

RegValue regValueFromJs(napi_env env, napi_value value, const ArgContext& arg, napi_valuetype type,
                        std::string_view shape) {
  if (type != napi_object) throwInvalidArgument(env, arg, shape, value);
  bool isArray = false;
  check(env, napi_is_array(env, value, &isArray));
  if (isArray) throwInvalidArgument(env, arg, shape, value);
  napi_value typeValue = property(env, value, "type");
  napi_value dataValue = property(env, value, "data");
  return {{typeFromJs(env, typeValue, arg)}, dataFromJs(env, dataValue, arg)};
}

} // namespace

RegValue regValueFromJs(napi_env env, napi_value value, const ArgContext& arg) {
  napi_valuetype type;
  check(env, napi_typeof(env, value, &type));
  return regValueFromJs(env, value, arg, type, "an object { type, data }");
}

std::optional<RegValue> nullableRegValueFromJs(napi_env env, napi_value value, const ArgContext& arg) {
  napi_valuetype type;
  check(env, napi_typeof(env, value, &type));
  if (type == napi_null) return std::nullopt;
  return regValueFromJs(env, value, arg, type, "an object { type, data } or null");
}

napi_value bytesToJs(napi_env env, const Bytes& bytes) {
  static constexpr std::uint8_t none = 0; // vector::data() may be null when empty
  napi_value out;
  void* copy = nullptr;
  check(env, napi_create_buffer_copy(env, bytes.bytes.size(), bytes.bytes.empty() ? &none : bytes.bytes.data(), &copy,
                                     &out));
  return out;
}

napi_status JsValueOut::utf16LeToJs(napi_env env, std::span<const std::uint8_t> units, napi_value* out) {
  const std::size_t count = units.size() / 2;
  // An empty value's bytes may have no address at all, which napi refuses even for no units.
  if (count == 0) return napi_create_string_utf16(env, u"", 0, out);
  // The stored bytes are the code units themselves on a little-endian machine; V8 makes a one-byte string of them
  // when they all fit one.
  if constexpr (std::endian::native == std::endian::little) {
    if (reinterpret_cast<std::uintptr_t>(units.data()) % alignof(char16_t) == 0)
      return napi_create_string_utf16(env, reinterpret_cast<const char16_t*>(units.data()), count, out);
  }
  std::u16string copy = codeUnitsFromLe(units.data(), units.size());
  return napi_create_string_utf16(env, copy.data(), copy.size(), out);
}

void JsValueOut::list(std::span<const std::uint8_t> units) {
  napi_value array;
  if ((status = napi_create_array(env, &array)) != napi_ok) return;
  std::uint32_t index = 0;
  forEachListString(units, [&](std::span<const std::uint8_t> one) {
    napi_value element;
    if (status == napi_ok && (status = utf16LeToJs(env, one, &element)) == napi_ok)
      status = napi_set_element(env, array, index++, element);
  });
  value = array;
}

napi_status BytePool::put(napi_env env, std::span<const std::uint8_t> bytes, JsValueOut& out) {
  napi_status status = napi_ok;
  napi_value pool = nullptr;
  if (!buffer || used + bytes.size() > kSize) {
    void* memory = nullptr;
    if ((status = napi_create_arraybuffer(env, kSize, &memory, &pool)) != napi_ok) return status;
    napi_ref next = nullptr;
    if ((status = napi_create_reference(env, pool, 1, &next)) != napi_ok) return status;
    release(env);
    buffer = next;
    data = static_cast<std::uint8_t*>(memory);
    used = 0;
  } else if ((status = napi_get_reference_value(env, buffer, &pool)) != napi_ok) {
    return status;
  }
  if (!bytes.empty()) std::memcpy(data + used, bytes.data(), bytes.size());
  out.value = pool;
  out.pooled = true;
  out.poolOffset = static_cast<std::uint32_t>(used);
  out.bytesLength = static_cast<std::uint32_t>(bytes.size());
  used += (bytes.size() + 7) & ~std::size_t(7); // eight-byte aligned, as Node aligns its pool's slices
  return napi_ok;
}

void JsValueOut::bytes(std::span<const std::uint8_t> bytes) {
  if (pool && bytes.size() <= BytePool::kMaxValue) {
    status = pool->put(env, bytes, *this);
    return;
  }
  static constexpr std::uint8_t none = 0; // data() may be null when empty
  void* copy = nullptr;
  status = napi_create_buffer_copy(env, bytes.size(), bytes.empty() ? &none : bytes.data(), &copy, &value);
}

napi_value valueTypeToJs(napi_env env, ValueType type) {
  std::string_view name = valueTypeName(type.code);
  if (!name.empty()) return stringToJs(env, name);
  napi_value out;
  check(env, napi_create_uint32(env, type.code, &out));
  return out;
}

napi_value timestampToJs(napi_env env, Timestamp time) {
  // FILETIME ticks are 100 ns; a Date holds whole milliseconds since 1970 (earlier times are negative).
  auto ticks = static_cast<std::int64_t>(time.fileTime - kFileTimeUnixEpoch);
  napi_value out;
  check(env, napi_create_date(env, static_cast<double>(ticks / 10000), &out));
  return out;
}

napi_value wtf8ToJs(napi_env env, std::string_view text) {
  napi_value out;
  auto units = utf8ToUtf16(text);
  // Text the core made is WTF-8; should a message have cut a sequence in half, V8's reader shows the cut as U+FFFD.
  if (!units) check(env, napi_create_string_utf8(env, text.data(), text.size(), &out));
  else check(env, napi_create_string_utf16(env, units->data(), units->size(), &out));
  return out;
}

napi_value undefinedJs(napi_env env) {
  napi_value out;
  check(env, napi_get_undefined(env, &out));
  return out;
}

} // namespace regbridge::addon
