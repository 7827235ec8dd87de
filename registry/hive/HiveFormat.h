// Wine's registry file format (`WINE REGISTRY Version 2`): text -> Hive and Hive -> text.
// The rules are Wine's server/registry.c (load_keys, save_subkeys, dump_value) and server/unicode.c (dump_strW,
// parse_strW); see shared/WINE-REGISTRY-FORMAT.md.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/hive/HiveTree.h"

namespace regbridge::hive {

struct ParseIssue {
  std::size_t line = 0; // 1-based
  std::string message;  // e.g. "unterminated string in value name"
};

struct ParseResult {
  Hive hive; // everything that parsed
  // Every line Wine would reject or skip, and every one it reads but would not write back as it is, as far as one
  // line shows it; checkRoundTrip has the last word on the latter.
  std::vector<ParseIssue> issues;
};

// Never throws on bad content: what does not parse is reported in `issues` (the caller turns the first one into
// `file:line: message`) and skipped, as Wine skips it.
ParseResult parseHive(std::string_view text);

// Wine's output for this tree: the preamble, then every key that Wine would write, in order.
std::string saveHive(const Hive& hive);
// The same text as pieces in file order, without joining them: they point into the hive's preamble, its savedText
// and its keys' formattedLines (SavedLines), so they are valid until the tree next changes. Keys unchanged since the
// last save are not formatted again. Only the tree's single writer may call it (it updates those caches). `sizeHint`:
// the text's likely size (the file's), reserved at the first save.
void saveHivePieces(const Hive& hive, std::vector<std::string_view>& pieces, std::size_t sizeHint = 0);

// Whether saveHive(hive) gives back `text`, the file the tree was parsed from: nullopt when it does, else the first
// line that would change (with what it would become). Only the tree's single writer may call it.
// On a tree fresh from parseHive(text) it adopts the text as the hive's savedText: the keys whose lines the parser
// found exactly as the writer writes them are copied from it rather than formatted, now and at later saves; only
// the others are formatted (and that work is kept for the next save). `text` must then be the very text parsed.
std::optional<ParseIssue> checkRoundTrip(const Hive& hive, std::string_view text);
std::optional<ParseIssue> checkRoundTrip(const Hive& hive, std::string&& text); // the same, without a copy

// What checkRoundTrip does first on a tree fresh from parseHive(text): makes `text` the hive's savedText and marks
// the subtrees whose lines lie there, one after the other, exactly as the writer writes them.
void adoptParsedText(const Hive& hive, std::string&& text);

// Drops what the tree kept of its file and of earlier saves: the next save formats every key, as the first save of
// a tree that never saw a file does. For tests, which compare the two.
void forgetSavedText(const Hive& hive);

// A new, empty hive with Wine's header, e.g. relativeTo `REGISTRY\\Machine`, arch `win64`.
Hive makeEmptyHive(std::string_view relativeTo, std::string_view arch);

} // namespace regbridge::hive
