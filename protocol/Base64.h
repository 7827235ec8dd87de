// RFC 4648 base64 (standard alphabet, with padding): the wire form of raw bytes, as Node's Buffer writes it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regbridge::protocol {

std::string encodeBase64(const std::vector<std::uint8_t>& bytes);
// The same text appended to `out`.
void appendBase64(std::string& out, std::span<const std::uint8_t> bytes);

// Strict: nullopt unless the text is canonical padded base64 (length a multiple of 4, only the alphabet, '=' only
// at the end, unused bits zero), so that every byte string has exactly one spelling on the wire.
std::optional<std::vector<std::uint8_t>> decodeBase64(std::string_view text);

} // namespace regbridge::protocol
