#include "protocol/JsonWtf8.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <vector>

#include "registry/Unicode.h"

namespace regbridge::protocol {

using json = nlohmann::ordered_json;

namespace {

// ---- parsing -------------------------------------------------------------------------------------------------------
//
// nlohmann's lexer decodes every string and refuses a lone surrogate escape, so such an escape is swapped, before
// parsing, for two characters the lexer accepts, and swapped back in the parsed strings. The two characters: the
// marker U+FDD0 (a noncharacter, which no registry name is expected to hold but which is handled exactly anyway),
// then U+E000 + (surrogate - 0xD800), a private-use character. A real U+FDD0 in the text is doubled so that it cannot
// be mistaken for a marker. Texts without lone surrogate escapes, nearly all, are parsed as they are.

constexpr char kMarker[] = "\xEF\xB7\x90"; // U+FDD0 in UTF-8
constexpr std::size_t kMarkerSize = 3;

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the `\uXXXX` escape at `p` (which points at a backslash), or -1 when there is none.
long escapedUnit(const char* p, const char* end) {
  if (end - p < 6 || p[1] != 'u') return -1;
  long unit = 0;
  for (int i = 2; i < 6; ++i) {
    int digit = hexValue(p[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

bool isSurrogate(long unit) { return unit >= 0xD800 && unit <= 0xDFFF; }

// Whether the `\u` escape at `p`, of code unit `unit`, is a lone surrogate. A high surrogate escape followed by a low
// one is a pair, which the lexer decodes itself.
bool isLoneSurrogateEscape(const char* p, const char* end, long unit) {
  if (!isSurrogate(unit)) return false;
  if (unit >= 0xDC00) return true;
  long next = escapedUnit(p + 6, end);
  return !(next >= 0xDC00 && next <= 0xDFFF);
}

// Visits each backslash escape of the text: `visit(p, unit)` with p at the backslash and unit the `\u` escape's code
// unit (-1 for other escapes) returns how many bytes the escape takes. Backslashes appear only in strings (elsewhere
// the text is invalid anyway), so no further lexing is needed.
template <class Visit> void forEachEscape(std::string_view text, Visit visit) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const void* found = std::memchr(p, '\\', static_cast<std::size_t>(end - p));
    if (!found) return;
    p = static_cast<const char*>(found);
    // A backslash that ends the text (bad JSON anyway) must not step past the end.
    p += std::min(visit(p, escapedUnit(p, end)), static_cast<std::size_t>(end - p));
  }
}

bool hasLoneSurrogateEscape(std::string_view text) {
  const char* const end = text.data() + text.size();
  bool found = false;
  forEachEscape(text, [&](const char* p, long unit) -> std::size_t {
    if (isLoneSurrogateEscape(p, end, unit)) {
      found = true;
      return static_cast<std::size_t>(end - p); // done: skip the rest
    }
    return isSurrogate(unit) ? 12 : 2; // a pair whole, else the backslash and the escaped character
  });
  return found;
}

void appendSurrogateStandIn(std::string& out, long unit) {
  const long k = unit - 0xD800; // U+E000 + k in UTF-8: EE, 80 | k >> 6, 80 | k & 3F
  out.append(kMarker, kMarkerSize);
  out.push_back('\xEE');
  out.push_back(static_cast<char>(0x80 | (k >> 6)));
  out.push_back(static_cast<char>(0x80 | (k & 0x3F)));
}

// The text with each lone surrogate escape replaced: by its stand-in, or (for error messages, which should quote the
// text as it was) by `\ufffd`, which has the same length and keeps every position of the text.
std::string replaceLoneSurrogates(std::string_view text, bool standIns) {
  std::string out;
  out.reserve(text.size() + 16);
  const char* const end = text.data() + text.size();
  const char* copied = text.data();
  // Copies the text up to `upTo`, doubling each raw U+FDD0 when writing stand-ins.
  auto copyUpTo = [&](const char* upTo) {
    while (standIns) {
      std::size_t m = std::string_view(copied, static_cast<std::size_t>(upTo - copied)).find(kMarker, 0, kMarkerSize);
      if (m == std::string_view::npos) break;
      out.append(copied, m + kMarkerSize).append(kMarker, kMarkerSize);
      copied += m + kMarkerSize;
    }
    out.append(copied, upTo);
    copied = upTo;
  };
  forEachEscape(text, [&](const char* p, long unit) -> std::size_t {
    if (unit == 0xFDD0 && standIns) {
      copyUpTo(p);
      out.append(kMarker, kMarkerSize).append(kMarker, kMarkerSize);
      copied = p + 6;
      return 6;
    }
    if (!isSurrogate(unit)) return 2;
    if (!isLoneSurrogateEscape(p, end, unit)) return 12;
    copyUpTo(p);
    if (standIns) appendSurrogateStandIn(out, unit);
    else out += "\\ufffd";
    copied = p + 6;
    return 6;
  });
  copyUpTo(end);
  return out;
}

// Swaps the stand-ins in one parsed string back: marker + marker is U+FDD0, marker + U+E000 + k the surrogate
// 0xD800 + k as WTF-8.
void restoreString(std::string& s) {
  std::size_t at = s.find(kMarker, 0, kMarkerSize);
  if (at == std::string::npos) return;
  std::string out(s, 0, at);
  while (at < s.size()) {
    if (s.compare(at, kMarkerSize, kMarker, kMarkerSize) != 0) {
      out.push_back(s[at++]);
      continue;
    }
    // Every marker in a parsed string is followed by a second marker or a stand-in, both three bytes.
    if (s.size() - at < 2 * kMarkerSize) {
      out.append(s, at);
      break;
    }
    const auto* next = reinterpret_cast<const unsigned char*>(s.data() + at + kMarkerSize);
    if (s.compare(at + kMarkerSize, kMarkerSize, kMarker, kMarkerSize) == 0) {
      out.append(kMarker, kMarkerSize);
    } else {
      const unsigned unit = 0xD800 + (((next[1] & 0x3Fu) << 6) | (next[2] & 0x3Fu));
      out.push_back('\xED');
      out.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
    }
    at += 2 * kMarkerSize;
  }
  s = std::move(out);
}

// Every string of the document, object keys included; with an explicit stack, as the document may be deep.
void restoreStrings(json& root) {
  std::vector<json*> stack{&root};
  while (!stack.empty()) {
    json& j = *stack.back();
    stack.pop_back();
    if (j.is_string()) {
      restoreString(j.get_ref<std::string&>());
    } else if (j.is_array()) {
      for (auto& element : j) stack.push_back(&element);
    } else if (j.is_object()) {
      bool keysHaveMarkers = false;
      for (const auto& [key, value] : j.items())
        keysHaveMarkers = keysHaveMarkers || key.find(kMarker, 0, kMarkerSize) != std::string::npos;
      if (keysHaveMarkers) {
        // Keys cannot change in place: rebuild the object, in the same order (the swap is one-to-one, so no two
        // keys become one).
        json rebuilt = json::object();
        for (auto& [key, value] : j.items()) {
          std::string restored = key;
          restoreString(restored);
          rebuilt[restored] = std::move(value);
        }
        j = std::move(rebuilt);
      }
      for (auto& [key, value] : j.items()) stack.push_back(&value);
    }
  }
}

// ---- writing -------------------------------------------------------------------------------------------------------

constexpr char kHex[] = "0123456789abcdef";

void appendUnitEscape(std::string& out, unsigned unit) {
  const char escape[6] = {
      '\\', 'u', kHex[(unit >> 12) & 0xF], kHex[(unit >> 8) & 0xF], kHex[(unit >> 4) & 0xF], kHex[unit & 0xF]};
  out.append(escape, 6);
}

constexpr std::uint64_t kEveryByte = 0x0101010101010101, kHighBits = 0x8080808080808080;

// A high bit in each byte of `word` that may need more than a copy: below 0x20, `"`, `\` or not ASCII. Exact for the
// lowest marked byte, which is all that is used (a borrow can only mark bytes above a true match).
std::uint64_t specialBytes(std::uint64_t word) {
  const auto zero = [](std::uint64_t w) { return (w - kEveryByte) & ~w & kHighBits; };
  return ((word - kEveryByte * 0x20) & ~word & kHighBits) | zero(word ^ (kEveryByte * '"')) |
         zero(word ^ (kEveryByte * '\\')) | (word & kHighBits);
}

bool isPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

void appendString(std::string& out, std::string_view s) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  const unsigned char* run = p; // start of the bytes still to copy as they are
  while (p < end) {
    // Plain ASCII, most of every string (base64 data is all of it): eight bytes at a time.
    while (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      const std::uint64_t stops = specialBytes(word);
      if (stops != 0) {
        if constexpr (std::endian::native == std::endian::little) p += std::countr_zero(stops) / 8;
        break;
      }
      p += 8;
    }
    while (p < end && isPlain(*p)) ++p;
    if (p == end) break;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    const unsigned char c = *p;
    if (c < 0x80) {
      switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: appendUnitEscape(out, c); break;
      }
      ++p;
    } else {
      const unsigned char* sequence = p;
      const std::int32_t codePoint = decodeUtf8Sequence(p, end);
      if (codePoint < 0) {
        out += "\xEF\xBF\xBD"; // U+FFFD for a byte that starts no sequence
        ++p;
      } else if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
        appendUnitEscape(out, static_cast<unsigned>(codePoint));
      } else {
        out.append(reinterpret_cast<const char*>(sequence), static_cast<std::size_t>(p - sequence));
      }
    }
    run = p;
  }
  out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(end - run));
  out.push_back('"');
}

template <class Integer> void appendInteger(std::string& out, Integer value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

} // namespace

json parseJsonWtf8(std::string_view text) {
  if (!hasLoneSurrogateEscape(text)) return json::parse(text);
  json parsed;
  try {
    parsed = json::parse(replaceLoneSurrogates(text, true));
  } catch (const json::parse_error&) {
    // The text is bad elsewhere. Report it as json::parse would, at the same place, but not quoting stand-ins: the
    // text with `\ufffd` for its lone surrogate escapes fails where it does.
    [[maybe_unused]] json unreachable = json::parse(replaceLoneSurrogates(text, false));
    throw;
  }
  restoreStrings(parsed);
  return parsed;
}

void appendJsonWtf8(std::string& out, const json& j) {
  switch (j.type()) {
  case json::value_t::null: out += "null"; return;
  case json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
  case json::value_t::number_integer: appendInteger(out, j.get<std::int64_t>()); return;
  case json::value_t::number_unsigned: appendInteger(out, j.get<std::uint64_t>()); return;
  case json::value_t::string: appendString(out, j.get_ref<const std::string&>()); return;
  case json::value_t::array: {
    out.push_back('[');
    bool first = true;
    for (const auto& element : j) {
      if (!first) out.push_back(',');
      first = false;
      appendJsonWtf8(out, element);
    }
    out.push_back(']');
    return;
  }
  case json::value_t::object: {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, value] : j.items()) {
      if (!first) out.push_back(',');
      first = false;
      appendString(out, key);
      out.push_back(':');
      appendJsonWtf8(out, value);
    }
    out.push_back('}');
    return;
  }
  default:
    // Floating-point numbers (nlohmann's shortest round-trip form), binary and discarded values: nlohmann's own text.
    out += j.dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
}

std::string jsonWtf8Text(const json& j) {
  std::string out;
  appendJsonWtf8(out, j);
  return out;
}

void appendJsonString(std::string& out, std::string_view text) { appendString(out, text); }

} // namespace regbridge::protocol
