// A fast parse for the JSON that clients actually send, beside nlohmann's parser for everything else. Requests are
// small objects of ASCII strings and integers; nlohmann's lexer spends more time on them than the registry does
// answering the read. This parser handles only that plain subset and gives up on anything else (non-ASCII bytes,
// `\u` escapes, fractions and exponents, integers of more than 18 digits, "-0", deep nesting, any error), so that
// the caller can hand the text to the full parser, whose rules and error messages stay the only ones.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace regbridge::protocol {

// Exactly what json::parse(text) gives, types included (a non-negative integer is number_unsigned, a negative one
// number_integer; a repeated key keeps its first place and its last value), or nullopt when the text is outside the
// plain subset or is not JSON at all. Nesting deeper than kMaxJsonDepth (JsonScan.h) is outside the subset.
std::optional<nlohmann::ordered_json> parsePlainJson(std::string_view text);

} // namespace regbridge::protocol
