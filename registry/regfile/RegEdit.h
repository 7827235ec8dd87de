// One change a .reg file asks for, as the parser (RegFileParser.h) produces it and applyRegEdits
// (RegFileApply.h) carries it out. Kept apart from both so that the parser stays a pure function of the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace regbridge {

enum class RegEditKind {
  CreateKey,   // `[KEY]`: the key is created if missing, and the values that follow belong to it
  DeleteKey,   // `[-KEY]`: the key and its whole subtree go; a missing key is no error (as in Wine and Windows)
  SetValue,    // `"name"=data` or `@=data`
  DeleteValue, // `"name"=-`: a missing value is no error
};

struct RegEdit {
  RegEditKind kind = RegEditKind::CreateKey;
  std::string key;                // the key path as the file writes it (already checked by KeyPath::parse)
  std::string name;               // the value name for SetValue and DeleteValue ('' is the default value, `@`)
  std::uint32_t type = 0;         // SetValue: the type code
  std::vector<std::uint8_t> data; // SetValue: the bytes to store
  std::size_t line = 0;           // the line of the file it comes from (1-based), for messages

  friend bool operator==(const RegEdit&, const RegEdit&) = default;
};

} // namespace regbridge
