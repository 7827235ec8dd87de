// The string escapes of Wine's registry files: dump_strW and parse_strW of wine's server/unicode.c.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regbridge::hive {

// Appends `units` as dump_strW writes them: `\` and the two delimiters of the context (`[` `]` in key names, `"` in
// names, data and classes) behind a backslash, controls as C or octal escapes, everything above 127 as `\x`.
// The output is ASCII, so its length is what Wine counts for hex wrapping.
void appendEscaped(std::string& out, std::u16string_view units, char delimiter1, char delimiter2);

// Reads an escaped string as parse_strW does, appending the code units to `out`, up to the first unescaped
// `endChar`. Returns the bytes consumed including `endChar`, or npos when it is missing (the text ends, or holds a
// NUL byte, first); `out` then holds what was read so far.
std::size_t parseEscaped(std::string_view text, char endChar, std::u16string& out);

// The same, noting whether the text read is exactly what appendEscaped(out, units, open, endChar) writes for the units
// it read, as far as that shows at no cost: printable ASCII (127 included) without `open`, and no escape but `\\\\`
// and `\\` before `endChar`. Most strings of a file are; false says only that a closer look is needed.
std::size_t parseEscaped(std::string_view text, char open, char endChar, std::u16string& out, bool& asWritten);

// The same over the whole text with no delimiter (the `;; All keys relative to` header line).
void parseEscapedToEnd(std::string_view text, std::u16string& out);

} // namespace regbridge::hive
