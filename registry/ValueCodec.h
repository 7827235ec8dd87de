// Stored bytes <-> typed data, the same for every backend.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "registry/Value.h"

namespace regbridge {

// The typed reading of a value's stored bytes, for any output: `out` gets exactly one call, by what the bytes are —
//   out.text(units)      REG_SZ, REG_EXPAND_SZ of an even length: the UTF-16LE bytes without one final NUL
//   out.list(units)      REG_MULTI_SZ of an even length: the UTF-16LE bytes without the list's final NUL; its
//                        strings are the runs between NULs (forEachListString)
//   out.integer(number)  REG_DWORD (4 bytes, little-endian), REG_DWORD_BIG_ENDIAN (4 bytes)
//   out.bigint(number)   REG_QWORD (8 bytes)
//   out.bytes(bytes)     anything else
// decodeValue is this with ValueData as the output; a binding that builds its own values from the stored bytes (the
// addon, without a UTF-8 copy on the way) uses it too, so both give the same reading.
// Stored string bytes without their final NUL, if they end with one (UTF-16LE; an even count).
inline std::span<const std::uint8_t> withoutFinalNul(std::span<const std::uint8_t> units) {
  const std::size_t size = units.size();
  return size >= 2 && units[size - 1] == 0 && units[size - 2] == 0 ? units.first(size - 2) : units;
}

template <class Out> void decodeValueAs(std::uint32_t type, std::span<const std::uint8_t> bytes, Out& out) {
  const std::size_t size = bytes.size();
  switch (type) {
  case REG_SZ:
  case REG_EXPAND_SZ:
    if (size % 2 != 0) break;
    // Windows does not require the final NUL; strip exactly one, as RegGetValue does.
    out.text(withoutFinalNul(bytes));
    return;
  case REG_MULTI_SZ:
    if (size % 2 != 0) break;
    // Each string ends with a NUL and the list with one more: drop the list's.
    out.list(withoutFinalNul(bytes));
    return;
  case REG_DWORD:
    if (size != 4) break;
    out.integer(std::int64_t{bytes[0]} | std::int64_t{bytes[1]} << 8 | std::int64_t{bytes[2]} << 16 |
                std::int64_t{bytes[3]} << 24);
    return;
  case REG_DWORD_BIG_ENDIAN:
    if (size != 4) break;
    out.integer(std::int64_t{bytes[3]} | std::int64_t{bytes[2]} << 8 | std::int64_t{bytes[1]} << 16 |
                std::int64_t{bytes[0]} << 24);
    return;
  case REG_QWORD:
    if (size != 8) break;
    {
      std::uint64_t v = 0;
      for (std::size_t i = 8; i-- > 0;) v = (v << 8) | bytes[i];
      out.bigint(v);
    }
    return;
  default: break;
  }
  out.bytes(bytes);
}

// Calls `each(units)` for every string of a list as out.list gets it (UTF-16LE bytes): the runs between NULs, the
// last one also when it lacks its NUL; an empty list has none.
template <class Each> void forEachListString(std::span<const std::uint8_t> units, Each&& each) {
  const std::size_t count = units.size() / 2;
  std::size_t start = 0;
  while (start < count) {
    std::size_t end = start;
    while (end < count && (units[2 * end] | units[2 * end + 1]) != 0) ++end;
    each(units.subspan(2 * start, 2 * (end - start)));
    start = end + 1;
  }
}

// decodeValueAs's output for ValueData (strings as WTF-8).
struct ValueDataOut {
  ValueData data;
  void text(std::span<const std::uint8_t> units);
  void list(std::span<const std::uint8_t> units);
  void integer(std::int64_t number) { data = number; }
  void bigint(std::uint64_t number) { data = number; }
  void bytes(std::span<const std::uint8_t> bytes) { data = Bytes{{bytes.begin(), bytes.end()}}; }
};

// Typed data for the stored bytes of a value of this type (see ValueData for the mapping). Strings of an odd number of
// bytes, DWORDs not 4 bytes long and QWORDs not 8 come back as Bytes, never as a guess. Every even-length string
// decodes, lone surrogates included (as WTF-8, see Unicode.h), so that it is written back to the same code units.
ValueData decodeValue(std::uint32_t type, std::span<const std::uint8_t> bytes);

// REG_SZ / REG_EXPAND_SZ bytes as WTF-8, without their final NUL; nullopt when their length is odd.
std::optional<std::string> decodeString(std::span<const std::uint8_t> bytes);

// What a value given by a caller is for, which decides the words of the errors and one rule.
enum class ValueRole {
  Written,  // to be stored: "cannot write value ..."
  Expected, // compareAndSetValue's `expected`: "cannot compare value ... with the expected one"; empty REG_MULTI_SZ
            // items are allowed (a typed read returns them when they are stored)
};

// The bytes to store. Bytes data is stored as it is, for any type; otherwise the data's kind must fit the type
// (string for SZ/EXPAND_SZ, string[] for MULTI_SZ, integer for DWORD/DWORD_BIG_ENDIAN/QWORD). Throws
// RegistryError(InvalidArgument) naming the problem; `key` and `valueName` are for that message.
std::vector<std::uint8_t> encodeValue(const RegValue& value, const std::string& key, const std::string& valueName,
                                      ValueRole role = ValueRole::Written);

// compareAndSetValue's notion of equal: whether a stored value (type and bytes) is `expected`, the value a caller
// read and gives back. The type codes must be equal. Bytes data (a raw read, or a typed read of bytes that fit no
// type) must be the stored bytes exactly; typed data must be what a typed read of the stored bytes gives (so a
// REG_SZ matches with or without its final NUL stored, and REG_DWORD -1 matches 4294967295). Either way, a value
// that nobody changed since it was read matches what that read returned. `encoded` is encodeValue(expected,
// ..., ValueRole::Expected), computed once by the caller.
bool storedValueMatches(const RegValue& expected, const std::vector<std::uint8_t>& encoded, std::uint32_t type,
                        std::span<const std::uint8_t> bytes);

} // namespace regbridge
