// FILETIME <-> ISO 8601 UTC text with milliseconds ("2026-11-25T06:05:50.123Z"): what JavaScript's
// Date.prototype.toISOString writes and `new Date(text)` reads, so the client needs no date code of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regbridge::protocol {

// Sub-millisecond ticks are dropped (a JS Date holds milliseconds). Years after 9999 use JS's expanded form
// "+010000-01-01T00:00:00.000Z".
std::string fileTimeToIso(std::uint64_t fileTime);

// Accepts that form with 0 to 7 fraction digits; nullopt when malformed or outside FILETIME's range.
std::optional<std::uint64_t> isoToFileTime(std::string_view text);

} // namespace regbridge::protocol
