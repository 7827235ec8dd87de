// JSON text <-> nlohmann::ordered_json for strings that are WTF-8 (registry/Unicode.h): key names, value names and
// string data may hold lone UTF-16 surrogates, which JSON writes as `\ud800` escapes (JSON.stringify does).
// nlohmann::json refuses those escapes when parsing and cannot write such strings, so messages go through here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace regbridge::protocol {

// json::parse, except that a lone surrogate escape becomes that surrogate's three-byte WTF-8 form in the string it is
// in (in object keys too). Throws what json::parse throws, for the same text and at the same place.
nlohmann::ordered_json parseJsonWtf8(std::string_view text);

// Appends the compact JSON text of `json`, as json::dump() writes it (non-ASCII written as it is, controls escaped),
// except that a lone surrogate in a string is written as its escape (`\ud800`, as JSON.stringify writes it). Bytes that
// are not WTF-8 (which no string of the core holds) are written as U+FFFD.
void appendJsonWtf8(std::string& out, const nlohmann::ordered_json& json);
// One string as appendJsonWtf8 writes it, quotes included.
void appendJsonString(std::string& out, std::string_view text);
// The same as a string: what to use instead of json::dump(), which throws on such strings.
std::string jsonWtf8Text(const nlohmann::ordered_json& json);

} // namespace regbridge::protocol
