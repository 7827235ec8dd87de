#include "protocol/JsonScan.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

namespace regbridge::protocol {

namespace {

// The index just past the string that starts at text[i] == '"' (text.size() when it is never closed).
std::size_t skipString(std::string_view text, std::size_t i) {
  // Jump from quote to quote (memchr speed: a 27 MB base64 string is one jump); a quote after an odd run of
  // backslashes is escaped.
  for (std::size_t from = i + 1;;) {
    std::size_t quote = text.find('"', from);
    if (quote == std::string_view::npos) return text.size();
    std::size_t backslashes = 0;
    while (quote - backslashes > i + 1 && text[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    from = quote + 1;
  }
}

bool isNumberChar(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; }

// A member name as the parser will see it: escapes such as "p\u0061rams" decoded.
std::string decodeKey(std::string_view quoted) {
  if (quoted.find('\\') == std::string_view::npos) return std::string(quoted.substr(1, quoted.size() - 2));
  try {
    return nlohmann::json::parse(quoted).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return {};
  }
}

} // namespace

bool nestsDeeperThan(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '"') {
      i = skipString(text, i);
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return false;
}

OverflowScan replaceOverflowingNumbers(std::string_view text) {
  OverflowScan out;
  out.text.reserve(text.size());
  std::size_t depth = 0;
  bool topIsObject = false;
  std::string lastTopString, topKey; // the current top-level member's name
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      std::size_t end = skipString(text, i);
      if (depth == 1 && topIsObject) lastTopString = decodeKey(text.substr(i, end - i));
      out.text.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t end = i;
      while (end < text.size() && isNumberChar(text[end])) ++end;
      std::string token(text.substr(i, end - i));
      if (std::isinf(std::strtod(token.c_str(), nullptr))) {
        if (out.count++ == 0) out.first = token.size() > 40 ? token.substr(0, 40) + "..." : token;
        if (depth == 1 && topKey == "id") out.inId = true;
        if (depth >= 1 && topKey == "params") out.inParams = true;
        out.text += '0';
      } else {
        out.text += token;
      }
      i = end;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth == 1) topIsObject = c == '{';
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ':' && depth == 1) {
      topKey = lastTopString;
    } else if (c == ',' && depth == 1) {
      topKey.clear();
    }
    out.text += c;
    ++i;
  }
  return out;
}

} // namespace regbridge::protocol
