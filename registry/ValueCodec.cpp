#include "registry/ValueCodec.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>

#include "registry/Error.h"
#include "registry/Unicode.h"

namespace regbridge {

namespace {

std::string describeType(std::uint32_t type) {
  auto name = valueTypeName(type);
  if (!name.empty()) return std::string(name);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%x", type);
  return std::string("type ") + buffer;
}

void appendLe(std::vector<std::uint8_t>& out, std::uint64_t v, int size) {
  for (int i = 0; i < size; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

[[noreturn]] void badData(const std::string& what, const std::string& key, const std::string& valueName,
                          ValueRole role) {
  std::string message = role == ValueRole::Written ? "cannot write value '" : "cannot compare value '";
  message += valueName;
  message += "' of key '";
  message += key;
  message += role == ValueRole::Written ? "': " : "' with the expected one: ";
  message += what;
  throw RegistryError(ErrorCode::InvalidArgument, message, key, valueName);
}

std::vector<std::uint8_t> encodeUtf16(const std::string& text, bool terminate, const std::string& key,
                                      const std::string& valueName, ValueRole role) {
  auto units = utf8ToUtf16(text);
  if (!units) badData("the string is not valid UTF-8", key, valueName, role);
  std::vector<std::uint8_t> out;
  out.reserve(units->size() * 2 + 2);
  regbridge::appendLe(out, *units);
  if (terminate) out.insert(out.end(), {0, 0});
  return out;
}

} // namespace

std::optional<std::string> decodeString(std::span<const std::uint8_t> bytes) {
  if (bytes.size() % 2 != 0) return std::nullopt;
  std::size_t size = bytes.size();
  // Windows does not require the final NUL; strip exactly one, as RegGetValue does.
  if (size >= 2 && bytes[size - 1] == 0 && bytes[size - 2] == 0) size -= 2;
  std::string text;
  utf8FromUtf16Le(text, bytes.data(), size);
  return text;
}

void ValueDataOut::text(std::span<const std::uint8_t> units) {
  std::string s;
  utf8FromUtf16Le(s, units.data(), units.size());
  data = std::move(s);
}

void ValueDataOut::list(std::span<const std::uint8_t> units) {
  std::vector<std::string> strings;
  forEachListString(units, [&](std::span<const std::uint8_t> one) {
    utf8FromUtf16Le(strings.emplace_back(), one.data(), one.size());
  });
  data = std::move(strings);
}

ValueData decodeValue(std::uint32_t type, std::span<const std::uint8_t> bytes) {
  ValueDataOut out;
  decodeValueAs(type, bytes, out);
  return std::move(out.data);
}

std::vector<std::uint8_t> encodeValue(const RegValue& value, const std::string& key, const std::string& valueName,
                                      ValueRole role) {
  const std::uint32_t type = value.type.code;
  const std::string typeText = describeType(type);
  if (auto* bytes = std::get_if<Bytes>(&value.data)) return bytes->bytes;

  switch (type) {
  case REG_SZ:
  case REG_EXPAND_SZ:
    if (auto* text = std::get_if<std::string>(&value.data)) return encodeUtf16(*text, true, key, valueName, role);
    badData("data for " + typeText + " must be a string or a Buffer", key, valueName, role);
  case REG_MULTI_SZ: {
    auto* list = std::get_if<std::vector<std::string>>(&value.data);
    if (!list) badData("data for REG_MULTI_SZ must be an array of strings or a Buffer", key, valueName, role);
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      // Windows' readers of REG_MULTI_SZ (RegGetValue's callers, reg.exe, regedit) stop at the first empty string:
      // that item and every one after it would be lost to them.
      if ((*list)[i].empty() && role == ValueRole::Written)
        badData("string " + std::to_string(i) +
                    " of the REG_MULTI_SZ data is empty: Windows' readers stop at the "
                    "first empty string, so it and the strings after it would be lost to them; to store it anyway, "
                    "write the bytes as a Buffer (UTF-16LE strings, each ending in a NUL, then one more NUL)",
                key, valueName, role);
      if ((*list)[i].find('\0') != std::string::npos)
        badData("string " + std::to_string(i) +
                    " of the REG_MULTI_SZ data contains a NUL character, which "
                    "would split it",
                key, valueName, role);
      auto encoded = encodeUtf16((*list)[i], true, key, valueName, role);
      out.insert(out.end(), encoded.begin(), encoded.end());
    }
    out.insert(out.end(), {0, 0});
    return out;
  }
  case REG_DWORD:
  case REG_DWORD_BIG_ENDIAN: {
    // One rule for numbers and bigints: the integers the type holds, 0 to 2^32 - 1. A negative number is refused
    // rather than stored as its two's complement, which would read back as a different number.
    std::uint32_t v;
    if (auto* number = std::get_if<std::int64_t>(&value.data)) {
      if (*number < 0 || *number > std::numeric_limits<std::uint32_t>::max())
        badData("data for " + typeText + " must be from 0 to 4294967295, not " + std::to_string(*number), key,
                valueName, role);
      v = static_cast<std::uint32_t>(*number);
    } else if (auto* big = std::get_if<std::uint64_t>(&value.data)) {
      if (*big > std::numeric_limits<std::uint32_t>::max())
        badData("data for " + typeText + " must be from 0 to 4294967295, not " + std::to_string(*big), key, valueName,
                role);
      v = static_cast<std::uint32_t>(*big);
    } else {
      badData("data for " + typeText + " must be a number or a Buffer", key, valueName, role);
    }
    std::vector<std::uint8_t> out;
    if (type == REG_DWORD) {
      appendLe(out, v, 4);
    } else {
      out = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
             static_cast<std::uint8_t>(v)};
    }
    return out;
  }
  case REG_QWORD: {
    // 0 to 2^64 - 1, whether given as a bigint or (up to 2^53) a number; as for DWORDs, a negative number is refused.
    std::uint64_t v;
    if (auto* big = std::get_if<std::uint64_t>(&value.data)) {
      v = *big;
    } else if (auto* number = std::get_if<std::int64_t>(&value.data)) {
      if (*number < 0)
        badData("data for REG_QWORD must be from 0 to 18446744073709551615, not " + std::to_string(*number), key,
                valueName, role);
      v = static_cast<std::uint64_t>(*number);
    } else if (auto* text = std::get_if<std::string>(&value.data)) {
      // A decimal string: what JSON, whose numbers JavaScript reads exactly only up to 2^53, carries best.
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
      if (text->empty() || ec != std::errc{} || end != text->data() + text->size())
        badData("data for REG_QWORD given as a string must be a decimal number from 0 to 18446744073709551615, "
                "not '" +
                    text->substr(0, 40) + "'",
                key, valueName, role);
    } else {
      badData("data for REG_QWORD must be a bigint, a number, a decimal string or a Buffer", key, valueName, role);
    }
    std::vector<std::uint8_t> out;
    appendLe(out, v, 8);
    return out;
  }
  default: badData("data for " + typeText + " must be a Buffer", key, valueName, role);
  }
}

bool storedValueMatches(const RegValue& expected, const std::vector<std::uint8_t>& encoded, std::uint32_t type,
                        std::span<const std::uint8_t> bytes) {
  if (type != expected.type.code) return false;
  if (std::holds_alternative<Bytes>(expected.data)) return std::ranges::equal(encoded, bytes);
  // Decoded from `encoded` rather than taken as given: numbers of either kind and sign come out as a read gives
  // them (DWORD -1 as 4294967295, a QWORD number as a bigint).
  return decodeValue(type, encoded) == decodeValue(type, bytes);
}

} // namespace regbridge
