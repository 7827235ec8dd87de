// saveHive and makeEmptyHive: Wine's save_all_subkeys, save_subkeys, dump_path and dump_value
// (server/registry.c), character for character.
#include <algorithm>
#include <chrono>
#include <cstdint>

#include "registry/Unicode.h"
#include "registry/hive/Escapes.h"
#include "registry/hive/HiveFormat.h"

namespace regbridge::hive {
namespace {

constexpr std::uint32_t kRegSz = 1, kRegExpandSz = 2, kRegBinary = 3, kRegDword = 4, kRegMultiSz = 7;
constexpr std::int64_t kTicksPerSecond = 10'000'000;
constexpr std::int64_t kTicks1601To1970 = 86400LL * (369 * 365 + 89) * kTicksPerSecond;
// dump_value breaks a hex line once it has passed this many characters.
constexpr std::size_t kHexLineLimit = 76;
constexpr char kHexDigits[] = "0123456789abcdef";

// printf's %x (minDigits 1) and %08x.
void appendHex(std::string& out, std::uint32_t value, int minDigits) {
  int digits = 1;
  while (digits < 8 && (value >> (4 * digits)) != 0) ++digits;
  if (digits < minDigits) digits = minDigits;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out.push_back(kHexDigits[(value >> shift) & 0xF]);
}

void appendDecimal(std::string& out, std::uint32_t value) {
  char buffer[10];
  int n = 0;
  do {
    buffer[n++] = char('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out.push_back(buffer[--n]);
}

// The key line's end and the time line: `] <seconds>\n#time=<FILETIME as %x%08x>\n`.
void appendKeyTimes(std::string& out, std::uint64_t modified) {
  // The seconds are computed in signed 64 bits and truncated, as Wine does, even for times before 1970. The
  // subtraction wraps in unsigned arithmetic, as it does in Wine's C on every machine it runs on: a `#time=` of 2^63
  // or more must not overflow a signed subtraction here (that is undefined behaviour in C++).
  const auto sinceEpoch = std::int64_t(modified - std::uint64_t(kTicks1601To1970));
  const std::int64_t seconds = sinceEpoch / kTicksPerSecond;
  out += "] ";
  appendDecimal(out, std::uint32_t(seconds));
  out += "\n#time=";
  appendHex(out, std::uint32_t(modified >> 32), 1);
  appendHex(out, std::uint32_t(modified), 8);
  out += '\n';
}

// Keys whose own lines are in the file: all but volatile keys (with their subtrees) and implicit ones.
bool writesOwnLines(const HiveKey& key) {
  return !key.values().empty() || key.subkeys().empty() || key.className() || key.isLink();
}

// save_subkeys, as a list of pieces in file order: each written key's own lines come from the hive's savedText (or
// the key's formattedLines), formatted again only when the key changed since the last save. Its path is built only
// then, from the chain of keys above it.
class Writer {
public:
  // `fresh`: the first save of a tree formats every key straight into this one text instead (see saveHivePieces).
  // `saved`: the hive's savedText otherwise, which unchanged keys and subtrees are copied from.
  Writer(std::vector<std::string_view>& pieces, std::string* fresh, const std::string* saved)
      : pieces_(pieces), fresh_(fresh), saved_(saved) {}

  void writeBranch(const HiveKey& base) {
    chain_.clear();
    pathEnds_.assign(1, 0);
    builtDepth_ = 0;
    path_.clear();
    writeKey(base, 0);
  }

private:
  void writeKey(const HiveKey& key, std::size_t depth) {
    if (key.isVolatile()) return;
    if (const SavedLines& saved = key.savedLines(); !fresh_ && saved.subtreeValid) {
      addPiece(std::string_view(*saved_).substr(saved.begin, saved.end - saved.begin));
      return;
    }
    if (builtDepth_ >= depth && depth > 0) {
      builtDepth_ = depth - 1;
      path_.resize(pathEnds_[builtDepth_]);
    }
    chain_.resize(depth + 1);
    chain_[depth] = &key;
    // Keys with subkeys and nothing else of their own are written implicitly, by their subkeys' paths.
    if (writesOwnLines(key)) {
      const std::string_view lines = ownLines(key, depth);
      if (!fresh_) addPiece(lines);
    }
    for (const auto& subkey : key.subkeys()) writeKey(*subkey, depth + 1);
  }

  // Lines that lie right after the previous piece in memory (neighbours in the joined text) extend it.
  void addPiece(std::string_view piece) {
    std::string_view& last = pieces_.back();
    if (last.data() + last.size() == piece.data()) last = std::string_view(last.data(), last.size() + piece.size());
    else pieces_.push_back(piece);
  }

  std::string_view ownLines(const HiveKey& key, std::size_t depth) {
    SavedLines& saved = key.savedLines();
    std::unique_ptr<std::string>& formatted = key.formattedLines();
    if (fresh_) {
      // Straight into the one text; pointInto then records where (the text may still move as it grows).
      formatted.reset();
      const std::size_t at = fresh_->size();
      formatOwnLines(*fresh_, key, pathOf(depth));
      const std::size_t length = fresh_->size() - at;
      if (length > UINT32_MAX) formatted = std::make_unique<std::string>(fresh_->substr(at)); // see pointInto
      else saved.ownLength = std::uint32_t(length);
      return {};
    }
    if (formatted) return *formatted;
    if (saved.ownValid) return std::string_view(*saved_).substr(saved.begin, saved.ownLength);
    formatted = std::make_unique<std::string>();
    formatOwnLines(*formatted, key, pathOf(depth));
    return *formatted;
  }

  // dump_path: the escaped names from the base's child down to chain_[depth], joined by `\\`.
  const std::string& pathOf(std::size_t depth) {
    if (pathEnds_.size() < depth + 1) pathEnds_.resize(depth + 1);
    for (std::size_t level = builtDepth_ + 1; level <= depth; ++level) {
      if (level > 1) path_ += "\\\\";
      appendEscaped(path_, chain_[level]->name(), '[', ']');
      pathEnds_[level] = path_.size();
    }
    builtDepth_ = depth;
    return path_;
  }

  void formatOwnLines(std::string& out, const HiveKey& key, std::string_view path) {
    out += "\n[";
    out += path;
    appendKeyTimes(out, key.modified());
    if (key.className()) {
      out += "#class=\"";
      appendEscaped(out, *key.className(), '"', '"');
      out += "\"\n";
    }
    if (key.isLink()) out += "#link\n";
    for (const HiveValue& value : key.values()) formatValue(out, value);
  }

  // dump_value.
  void formatValue(std::string& out, const HiveValue& value) {
    const std::size_t lineStart = out.size();
    if (!value.name.empty()) {
      out += '"';
      appendEscaped(out, value.name, '"', '"');
      out += "\"=";
    } else {
      out += "@=";
    }
    const ValueBytes& data = value.data;
    switch (value.type) {
    case kRegSz:
    case kRegExpandSz:
    case kRegMultiSz:
      // Only a string that ends in a NUL code unit is written as a string: anything else would not read back.
      if (data.size() >= 2 && data.size() % 2 == 0 && data[data.size() - 2] == 0 && data[data.size() - 1] == 0) {
        if (value.type != kRegSz) {
          out += "str(";
          appendHex(out, value.type, 1);
          out += "):";
        }
        out += '"';
        units_.resize(data.size() / 2 - 1);
        for (std::size_t i = 0; i < units_.size(); ++i) units_[i] = char16_t(data[2 * i] | (data[2 * i + 1] << 8));
        appendEscaped(out, units_, '"', '"');
        out += "\"\n";
        return;
      }
      break;
    case kRegDword:
      if (data.size() == 4) {
        out += "dword:";
        appendHex(out, std::uint32_t(data[0] | data[1] << 8 | data[2] << 16 | std::uint32_t(data[3]) << 24), 8);
        out += '\n';
        return;
      }
      break;
    }
    if (value.type == kRegBinary) {
      out += "hex:";
    } else {
      out += "hex(";
      appendHex(out, value.type, 1);
      out += "):";
    }
    std::size_t count = out.size() - lineStart;
    // Room for the worst case (3 characters a byte and a 4-character break every 25 bytes), trimmed after.
    const std::size_t start = out.size();
    out.resize(start + 3 * data.size() + 4 * (data.size() / 24 + 1) + 1);
    char* d = out.data() + start;
    for (std::size_t i = 0; i < data.size(); ++i) {
      *d++ = kHexDigits[data[i] >> 4];
      *d++ = kHexDigits[data[i] & 0xF];
      count += 2;
      if (i + 1 < data.size()) {
        *d++ = ',';
        if (++count > kHexLineLimit) {
          *d++ = '\\';
          *d++ = '\n';
          *d++ = ' ';
          *d++ = ' ';
          count = 2;
        }
      }
    }
    *d++ = '\n';
    out.resize(std::size_t(d - out.data()));
  }

  std::vector<std::string_view>& pieces_;
  std::string* fresh_;
  const std::string* saved_;
  std::vector<const HiveKey*> chain_; // chain_[d]: the key being written at depth d (0: the base)
  std::string path_;                  // the path of chain_[builtDepth_]
  std::vector<std::size_t> pathEnds_; // pathEnds_[d]: path_'s length at depth d
  std::size_t builtDepth_ = 0;
  std::u16string units_;
};

// Beyond this many pieces, a save joins them into the hive's savedText (one copy of the file) and points every key
// there, so that the next saves are a few pieces again. A write that changes one key makes four.
constexpr std::size_t kPiecesBeforeJoining = 64;

// Drops what a key and its descendants kept of earlier saves: it points into the text being replaced.
void forgetSaved(const HiveKey& key) {
  key.savedLines() = {};
  key.formattedLines().reset();
  for (const auto& subkey : key.subkeys()) forgetSaved(*subkey);
}

// Points the keys' SavedLines into `joined`, where the Writer's pieces lie in the order it emitted them; returns the
// offset after them. Everything that pointed into the previous savedText points into this one after.
std::size_t pointInto(const HiveKey& key, std::size_t offset) {
  SavedLines& saved = key.savedLines();
  const std::size_t begin = offset;
  if (key.isVolatile()) {
    // Saved as nothing: an empty subtree, valid so that a change to it (it stops being volatile) clears its
    // ancestors' too. What lies below it is formatted afresh then.
    forgetSaved(key);
    saved.begin = saved.end = offset;
    saved.subtreeValid = true;
    return offset;
  }
  std::unique_ptr<std::string>& formatted = key.formattedLines();
  if (writesOwnLines(key)) {
    const std::size_t length = formatted ? formatted->size() : saved.ownLength;
    offset += length;
    // Lines too long to record (SavedLines::ownLength) are formatted again when needed.
    saved.ownValid = length <= UINT32_MAX;
    saved.ownLength = std::uint32_t(length);
  } else {
    // Implicit now: lines it had once are out of date.
    saved.ownLength = 0;
    saved.ownValid = false;
  }
  formatted.reset();
  for (const auto& subkey : key.subkeys()) offset = pointInto(*subkey, offset);
  saved.begin = begin;
  saved.end = offset;
  saved.subtreeValid = true;
  return offset;
}

// Where a subtree's lines lie in the parsed file, as far as the parser found them as the writer writes them: a
// subtree is copied whole from the file only when every key in it that the writer writes has its own lines there,
// none that it leaves implicit does, and they follow one another with nothing between. (What lies before the
// first or after the last, checkRoundTrip's comparison with the file sees.)
struct FileSpan {
  std::size_t begin = std::string::npos; // npos: no lines at all
  std::size_t end = std::string::npos;
  bool valid = true;
};

FileSpan markFileSubtrees(const HiveKey& key) {
  SavedLines& saved = key.savedLines();
  FileSpan span;
  if (writesOwnLines(key) != saved.ownValid) span.valid = false;
  if (saved.ownValid) {
    span.begin = saved.begin;
    span.end = saved.begin + saved.ownLength;
  }
  for (const auto& subkey : key.subkeys()) {
    const FileSpan sub = markFileSubtrees(*subkey);
    span.valid = span.valid && sub.valid;
    if (sub.begin == std::string::npos) {
      span.valid = false;
      continue;
    }
    if (span.end == std::string::npos) span.begin = sub.begin;
    else if (sub.begin != span.end) span.valid = false;
    span.end = sub.end;
  }
  if (span.begin == std::string::npos) span.valid = false;
  if (span.valid) {
    saved.begin = span.begin;
    saved.end = span.end;
    saved.subtreeValid = true;
  }
  return span;
}

std::u16string utf16OrBytes(std::string_view text) {
  if (auto units = utf8ToUtf16(text)) return *std::move(units);
  return std::u16string(text.begin(), text.end());
}

} // namespace

void saveHivePieces(const Hive& hive, std::vector<std::string_view>& pieces, std::size_t sizeHint) {
  pieces.clear();
  pieces.push_back(hive.preamble);
  if (!hive.savedText) {
    // The first save of a tree formats every key: straight into one text, which the keys then point into.
    auto text = std::make_unique<std::string>();
    text->reserve(sizeHint);
    Writer(pieces, text.get(), nullptr).writeBranch(hive.root);
    pointInto(hive.root, 0);
    hive.savedText = std::move(text);
    hive.parsedSize = std::string::npos; // the keys point into the new text, not the file's
  } else {
    Writer(pieces, nullptr, hive.savedText.get()).writeBranch(hive.root);
    if (pieces.size() <= kPiecesBeforeJoining) return;
    std::size_t size = 0;
    for (std::size_t i = 1; i < pieces.size(); ++i) size += pieces[i].size();
    auto joined = std::make_unique<std::string>();
    joined->reserve(size);
    for (std::size_t i = 1; i < pieces.size(); ++i) joined->append(pieces[i]);
    pointInto(hive.root, 0);
    hive.savedText = std::move(joined);
  }
  pieces.resize(1);
  if (!hive.savedText->empty()) pieces.push_back(*hive.savedText);
}

void adoptParsedText(const Hive& hive, std::string&& text) {
  hive.savedText = std::make_unique<std::string>(std::move(text));
  hive.parsedSize = std::string::npos;
  markFileSubtrees(hive.root);
}

void forgetSavedText(const Hive& hive) {
  forgetSaved(hive.root);
  hive.savedText.reset();
  hive.parsedSize = std::string::npos;
}

std::string saveHive(const Hive& hive) {
  std::vector<std::string_view> pieces;
  saveHivePieces(hive, pieces);
  std::size_t size = 0;
  for (auto piece : pieces) size += piece.size();
  std::string out;
  out.reserve(size);
  for (auto piece : pieces) out += piece;
  return out;
}

Hive makeEmptyHive(std::string_view relativeTo, std::string_view arch) {
  Hive hive;
  // save_all_subkeys: the header path is written by dump_path, each part escaped as a key name.
  std::string header = "WINE REGISTRY Version 2\n;; All keys relative to ";
  const std::u16string path = utf16OrBytes(relativeTo);
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(path.find(u'\\', start), path.size());
    appendEscaped(header, std::u16string_view(path).substr(start, end - start), '[', ']');
    if (end == path.size()) break;
    header += "\\\\";
    start = end + 1;
  }
  header += '\n';
  if (!arch.empty()) {
    header += "\n#arch=";
    header += arch;
    header += '\n';
  }
  hive.preamble = std::move(header);
  hive.relativeTo = relativeTo;
  hive.arch = arch;
  // Wine writes the base key itself while it has no subkeys, so it needs a time.
  const auto since1970 =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
  hive.root.setModified(std::uint64_t(since1970.count() / 100 + kTicks1601To1970));
  return hive;
}

} // namespace regbridge::hive
