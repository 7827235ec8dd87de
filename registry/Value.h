// Registry values as the API sees them: a type code and typed data, decoded from and encoded to the stored bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace regbridge {

// Windows' type codes (winnt.h). Include this header before <windows.h>, whose macros have the same names.
inline constexpr std::uint32_t REG_NONE = 0;
inline constexpr std::uint32_t REG_SZ = 1;
inline constexpr std::uint32_t REG_EXPAND_SZ = 2;
inline constexpr std::uint32_t REG_BINARY = 3;
inline constexpr std::uint32_t REG_DWORD = 4;
inline constexpr std::uint32_t REG_DWORD_BIG_ENDIAN = 5;
inline constexpr std::uint32_t REG_LINK = 6;
inline constexpr std::uint32_t REG_MULTI_SZ = 7;
inline constexpr std::uint32_t REG_QWORD = 11;

// A type code. Marshalled as its name ('REG_SZ') when it has one, as the number otherwise.
struct ValueType {
  std::uint32_t code = REG_NONE;
  friend bool operator==(ValueType, ValueType) = default;
};

// The name for known codes (REG_NONE..REG_QWORD), empty otherwise.
std::string_view valueTypeName(std::uint32_t code);
// The code for a name, if it is one of the known names.
std::optional<std::uint32_t> valueTypeFromName(std::string_view name);

// Raw bytes, kept apart from std::string so that the variant below is unambiguous.
struct Bytes {
  std::vector<std::uint8_t> bytes;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

// The typed data of a value:
//   std::string               REG_SZ, REG_EXPAND_SZ (WTF-8: UTF-8 that keeps lone surrogates, see Unicode.h)
//   std::vector<std::string>  REG_MULTI_SZ
//   std::int64_t              REG_DWORD, REG_DWORD_BIG_ENDIAN (a JS number; on write any safe integer, range-checked)
//   std::uint64_t             REG_QWORD (a JS bigint)
//   Bytes                     everything else, strings of an odd number of bytes, and every `raw` read
using ValueData = std::variant<std::string, std::vector<std::string>, std::int64_t, std::uint64_t, Bytes>;

struct RegValue {
  ValueType type;
  ValueData data;
  friend bool operator==(const RegValue&, const RegValue&) = default;
};

struct NamedValue {
  std::string name; // '' is the default value
  ValueType type;
  ValueData data;
  friend bool operator==(const NamedValue&, const NamedValue&) = default;
};

// A Windows FILETIME: 100 ns ticks since 1601-01-01 UTC. Marshalled as a JS Date.
struct Timestamp {
  std::uint64_t fileTime = 0;
  friend bool operator==(Timestamp, Timestamp) = default;
};

inline constexpr std::uint64_t kFileTimeUnixEpoch = 116444736000000000ULL; // 1970-01-01 as a FILETIME

} // namespace regbridge
