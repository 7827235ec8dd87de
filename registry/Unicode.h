// UTF-8 <-> UTF-16 conversions. The core speaks UTF-8; the registry stores UTF-16 code units.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace regbridge {

// Strict: nullopt when the input is not well-formed UTF-8 (overlong forms and encoded surrogates included).
std::optional<std::u16string> utf8ToUtf16(std::string_view utf8);

// The same check as utf8ToUtf16, without building the result.
bool isValidUtf8(std::string_view utf8);

// Lossy: a lone surrogate becomes U+FFFD. Use isWellFormedUtf16 first where that matters.
std::string utf16ToUtf8(std::u16string_view utf16);

bool isWellFormedUtf16(std::u16string_view utf16);

// Well-formed UTF-16LE bytes straight to UTF-8 (one allocation, the result); false when they are not well-formed.
bool utf8FromUtf16Le(std::string& out, const unsigned char* data, std::size_t byteCount);

// UTF-16LE bytes <-> code units.
std::u16string codeUnitsFromLe(const unsigned char* data, std::size_t byteCount);
void appendLe(std::vector<unsigned char>& out, std::u16string_view units);

} // namespace regbridge
