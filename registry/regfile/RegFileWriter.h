// The text of a .reg file (version 5, "Windows Registry Editor Version 5.00"), byte for byte as Wine's `reg export`
// writes it (wine programs/reg/export.c), which is also the layout of Windows' `reg export` and `regedit /E`.
//
// The text is UTF-8 (WTF-8 where a name or string holds a lone surrogate, see Unicode.h), with CRLF line ends and
// no byte order mark: the caller writes it out, as UTF-16LE with a BOM for a file Windows and Wine read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "registry/Backend.h"
#include "registry/KeyPath.h"

namespace regbridge {

// The first line, with its CRLF.
inline constexpr std::string_view kRegFileHeader = "Windows Registry Editor Version 5.00\r\n";

// One value's line, CRLF included: `"name"=` (or `@=` for the default value) and the data:
//   REG_SZ                  "text" — up to the first NUL, and without the last code unit, which Wine takes for the
//                           terminator whether or not it is one; `\`, `"`, CR and LF escaped as \\ \" \r \n
//   REG_DWORD of 4 bytes    dword:0000abcd
//   everything else         hex: (REG_BINARY) or hex(N): (N the type in lowercase hex), the bytes as two-digit
//                           lowercase hex with commas, wrapped before column 80 with `,\` and a two-space indent
void appendValueLine(std::string& out, std::string_view name, std::uint32_t type, std::span<const std::uint8_t> data);

// A key's section: a blank line, `[FULL\KEY\NAME]` and the values' lines, in the order given.
void appendKeySection(std::string& out, std::string_view keyName, std::span<const NamedRawValue> values);

// The whole file for `key` and its subtree: the header, each key's section, depth first, values and subkeys in the
// order the backend lists them, and a final blank line. Key names are the hive's long name and the path as `key`
// writes it, then each subkey's stored name. Every key is opened in `key.view`. A subkey deleted while the export
// runs is left out, as Wine does with one it cannot open; a missing `key` is ERR_KEY_NOT_FOUND.
std::string exportRegFile(Backend& backend, const KeyPath& key);

} // namespace regbridge
