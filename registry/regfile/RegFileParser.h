// .reg text -> the edits it asks for, as Wine's `reg import` reads it (wine programs/reg/import.c), but strict:
// where Wine skips a line it cannot read, this stops with an error naming the line, the column and what was
// expected, so that a damaged file changes nothing (the edits are applied only once the whole text has parsed).
//
// Accepted: the header `Windows Registry Editor Version 5.00` or `REGEDIT4` on the first line (a UTF-8 byte order
// mark, spaces and tabs around it allowed); line ends CRLF, LF or CR; blank lines, `;` comments (on a line of their
// own or after a key line or a value); `[KEY]` (long or short hive name), `[-KEY]`; `"name"=` and `@=` with the data
// `"string"`, `dword:` and 1 to 8 hex digits, `hex:` or `hex(N):` and comma-separated bytes continued over lines by
// a final `\` (blank and comment lines may come between), and `-` to delete the value. Names and strings escape
// `\\`, `\"`, `\n` and `\r`. Spaces and tabs may stand at the start of a line and around `=`, `,` and the data.
// String types written as hex (hex(1), hex(2), hex(7)) get a UTF-16 NUL added when their last code unit is not
// one, as Wine adds it; in a REGEDIT4 file their bytes are in the ANSI code page (AnsiCodePage.h) and become
// UTF-16 here.
//
// A pure function of the text, so that it can be fuzzed: it never touches a backend.
#pragma once

#include <string_view>
#include <vector>

#include "registry/regfile/RegEdit.h"

namespace regbridge {

// `text` is UTF-8 (WTF-8 allowed: lone surrogates, see Unicode.h). Throws RegistryError(InvalidArgument)
// "invalid .reg text: line L, column C: ..." (columns count code points from 1) for any text it does not accept.
std::vector<RegEdit> parseRegFile(std::string_view text);

} // namespace regbridge
