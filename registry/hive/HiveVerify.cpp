// checkRoundTrip: the last word on whether a hive file may be written back. The parser reports the deviations from
// Wine's output it can see cheaply on one line; this compares the whole save with the file, so that whatever else
// Wine reads but never writes (a `\x41` for `A`, a key Wine would leave implicit, a hex line broken elsewhere, blank
// lines, CR LF ends, keys or seconds out of step...) is caught as well, and a file that passes is saved back
// byte for byte.
#include <algorithm>
#include <cstdio>

#include "registry/hive/HiveFormat.h"

namespace regbridge::hive {
namespace {

// The line of `text` that holds `offset` in backquotes, shortened for a message, controls shown as `\ooo`.
std::string lineAround(std::string_view text, std::size_t offset) {
  constexpr std::size_t kShown = 60;
  offset = std::min(offset, text.size());
  const std::size_t lineStart = offset == 0 ? 0 : text.rfind('\n', offset - 1) + 1; // npos + 1 == 0
  std::size_t lineEnd = text.find('\n', offset);
  if (lineEnd == std::string_view::npos) lineEnd = text.size();
  std::string_view line = text.substr(lineStart, lineEnd - lineStart);
  const bool cut = line.size() > kShown;
  if (cut) {
    // Keep the place where the texts part in view.
    const std::size_t column = offset - lineStart;
    const std::size_t from = column > kShown / 2 ? std::min(column - kShown / 2, line.size() - kShown) : 0;
    line = line.substr(from, kShown);
  }
  std::string shown;
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\%03o", unsigned(u));
      shown += escaped;
    } else {
      shown += c;
    }
  }
  if (shown.empty()) return "an empty line";
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on `"`" + shown + "`"`.
  std::string quoted(1, '`');
  quoted += shown;
  if (cut) quoted += "…";
  quoted += '`';
  return quoted;
}

std::optional<ParseIssue> compareWithFile(const Hive& hive, std::string_view text) {
  std::vector<std::string_view> pieces;
  saveHivePieces(hive, pieces, text.size());
  // Where the save and the file first differ.
  std::size_t offset = 0;
  bool differ = false;
  for (std::string_view piece : pieces) {
    const std::size_t common = std::min(piece.size(), text.size() - offset);
    // A piece copied from the file itself (a key the parser found as the writer writes it) at its own place there.
    if (common == piece.size() && piece.data() == text.data() + offset) {
      offset += piece.size();
      continue;
    }
    const auto [a, b] =
        std::mismatch(piece.begin(), piece.begin() + std::ptrdiff_t(common), text.begin() + std::ptrdiff_t(offset));
    if (a != piece.begin() + std::ptrdiff_t(common) || common < piece.size()) {
      offset += std::size_t(a - piece.begin());
      differ = true;
      break;
    }
    offset += piece.size();
  }
  if (!differ && offset == text.size()) return std::nullopt;

  std::string saved;
  for (std::string_view piece : pieces) saved += piece;
  const std::size_t line = std::size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(offset), '\n')) + 1;
  std::string message = "the file is not as Wine writes it here: saving would change ";
  message += lineAround(text, offset);
  if (offset < saved.size()) {
    message += " into ";
    message += lineAround(saved, offset);
  } else {
    message += " (Wine writes nothing from here on)";
  }
  return ParseIssue{line, std::move(message)};
}

} // namespace

std::optional<ParseIssue> checkRoundTrip(const Hive& hive, std::string_view text) {
  if (!hive.savedText && hive.parsedSize == text.size()) return checkRoundTrip(hive, std::string(text));
  return compareWithFile(hive, text);
}

std::optional<ParseIssue> checkRoundTrip(const Hive& hive, std::string&& text) {
  if (!hive.savedText && hive.parsedSize == text.size()) {
    // The keys' SavedLines hold offsets into this text: the parser found their lines there as the writer writes them.
    adoptParsedText(hive, std::move(text));
    return compareWithFile(hive, *hive.savedText);
  }
  return compareWithFile(hive, text);
}

} // namespace regbridge::hive
