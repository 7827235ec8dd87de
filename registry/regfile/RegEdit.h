// One change a .reg file asks for, as the parser (RegFileParser.h) produces it and applyRegEdits
// (RegFileApply.h) carries it out: a Backend Edit that owns its key path and data. Kept apart from both so that the
// parser stays a pure function of the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "registry/Backend.h"

namespace regbridge {

// `[KEY]` CreateKey, `[-KEY]` DeleteKey (the key and its subtree), `"name"=data` or `@=data` SetValue, `"name"=-`
// DeleteValue: the kinds of the backend's edits (Backend.h), which carry them out.
using RegEditKind = Edit::Kind;

struct RegEdit {
  RegEditKind kind = RegEditKind::CreateKey;
  std::string key;                // the key path as the file writes it (already checked by KeyPath::parse)
  std::string name;               // the value name for SetValue and DeleteValue ('' is the default value, `@`)
  std::uint32_t type = 0;         // SetValue: the type code
  std::vector<std::uint8_t> data; // SetValue: the bytes to store
  std::size_t line = 0;           // the line of the file it comes from (1-based), for callers to show

  friend bool operator==(const RegEdit&, const RegEdit&) = default;
};

} // namespace regbridge
