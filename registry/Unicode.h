// UTF-8 <-> UTF-16, the one place that converts between the core's strings and the code units Windows names and
// string data are made of (the hive files, the Node-API edge and, on Windows, the Win32 calls all go through here).
//
// Windows names and REG_SZ data are arbitrary sequences of 16-bit code units: a lone surrogate (U+D800..U+DFFF
// without its partner) is legal there, and Wine writes it into its files as `\xd800`. JavaScript strings are the same
// kind of sequence. So that every such string survives the trip through the core unchanged, the core's "UTF-8" is
// WTF-8 (https://simonsapin.github.io/wtf-8/): UTF-8 in which a lone surrogate is written as its own three-byte
// sequence (ED A0 80..ED BF BF). A valid pair is always one four-byte sequence, never two three-byte halves, so each
// UTF-16 string has exactly one WTF-8 form and `n\uD800` and `n\uDFFF` stay different names. Text without lone
// surrogates is plain UTF-8, byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace regbridge {

// Strict WTF-8 -> UTF-16: nullopt when the input is not WTF-8 (bad or overlong sequences, values past U+10FFFF, or a
// high and a low surrogate written as two three-byte sequences, which must be one four-byte sequence).
std::optional<std::u16string> utf8ToUtf16(std::string_view wtf8);

// The same check as utf8ToUtf16, without building the result.
bool isValidUtf8(std::string_view wtf8);

// UTF-16 -> WTF-8, lossless: a valid pair becomes one four-byte sequence, a lone surrogate its three-byte form.
std::string utf16ToUtf8(std::u16string_view utf16);
// The same, into `out` (replacing its content, reusing its capacity).
void utf16ToUtf8(std::string& out, std::u16string_view utf16);

// UTF-16LE bytes (an even count) straight to WTF-8, as utf16ToUtf8: one allocation, the result.
void utf8FromUtf16Le(std::string& out, const unsigned char* data, std::size_t byteCount);

// True when the WTF-8 text holds a lone surrogate, so it is not plain UTF-8 (what JSON writers and V8's UTF-8 reader
// accept). A scan for the byte 0xED, fast for the common case.
bool hasLoneSurrogate(std::string_view wtf8);

// The code point of the WTF-8 sequence at `p` (a byte >= 0x80 before `end`), advancing `p` past it; -1, with `p`
// unchanged, when the bytes there are no sequence. A surrogate is returned as the code point it encodes.
std::int32_t decodeUtf8Sequence(const unsigned char*& p, const unsigned char* end);

// The code unit of the three-byte surrogate sequence at `p` (p[0] == 0xED, p[1] >= 0xA0; caller checked).
inline char16_t surrogateAt(const unsigned char* p) {
  return static_cast<char16_t>(0xD000 | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
}

// UTF-16LE bytes <-> code units.
std::u16string codeUnitsFromLe(const unsigned char* data, std::size_t byteCount);
void appendLe(std::vector<unsigned char>& out, std::u16string_view units);

} // namespace regbridge
