// Two linear scans over a message body's raw JSON text, for what nlohmann's parser cannot be told to do: refuse
// nesting deeper than we are willing to recurse into, and read past a number too large for a double (it stops the
// whole parse there, so the request's id and the rest of its members would be lost with it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regbridge::protocol {

// Nesting deeper than this is refused before parsing: copying, printing and destroying a parsed value recurse once
// per level, so without a cap a small body of brackets ('[[[[...') would overflow a worker thread's stack. The
// deepest params are four levels down (params.value.data[i]).
inline constexpr std::size_t kMaxJsonDepth = 128;

// True when some array or object in `text` (brackets outside strings) nests deeper than `limit`. Safe on any bytes.
bool nestsDeeperThan(std::string_view text, std::size_t limit);

// Where numbers that overflow a double were found by replaceOverflowingNumbers.
struct OverflowScan {
  std::string text;      // the body with each such number replaced by 0
  std::string first;     // the first such number as written (cut to 40 characters)
  bool inId = false;     // one was the top-level member "id"
  bool inParams = false; // one was inside the top-level member "params"
  std::size_t count = 0;
};

// Finds every number token (outside strings) whose magnitude overflows a double, such as 1e400, -1e400 or a
// 400-digit integer, and replaces it with 0 so the text parses. Safe on any bytes; the result only means something
// when `text` is otherwise valid JSON.
OverflowScan replaceOverflowingNumbers(std::string_view text);

} // namespace regbridge::protocol
