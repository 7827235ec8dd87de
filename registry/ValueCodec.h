// Stored bytes <-> typed data, the same for every backend.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "registry/Value.h"

namespace regbridge {

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
