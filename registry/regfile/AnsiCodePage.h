// The ANSI code page of REGEDIT4 files. Their hex(1), hex(2) and hex(7) data are bytes of the code page of the
// machine that wrote them; Wine's reg import turns them into UTF-16 with MultiByteToWideChar(CP_ACP). A text
// handed to the parser carries no code page, so this is Windows-1252: the ANSI code page of Western-language
// Windows and of Wine under an English or Western European locale. A REGEDIT4 file from another code page reads
// its non-ASCII string bytes wrongly here, as it would on such a Windows.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace regbridge {

// Windows-1252 bytes -> UTF-16 code units, one unit per byte (the bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D, which
// have no character, map to U+0081..., as MultiByteToWideChar maps them).
std::u16string windows1252ToUtf16(std::span<const std::uint8_t> bytes);

} // namespace regbridge
