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

// The bytes to store. Bytes data is stored as it is, for any type; otherwise the data's kind must fit the type
// (string for SZ/EXPAND_SZ, string[] for MULTI_SZ, integer for DWORD/DWORD_BIG_ENDIAN/QWORD). Throws
// RegistryError(InvalidArgument) naming the problem; `key` and `valueName` are for that message.
std::vector<std::uint8_t> encodeValue(const RegValue& value, const std::string& key, const std::string& valueName);

} // namespace regbridge
