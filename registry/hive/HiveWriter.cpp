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

// save_subkeys, as a list of pieces in file order: each written key's own lines come from its SavedKeyText, formatted
// again only when the key changed since the last save. Its path is built only then, from the chain of keys above it.
class Writer {
public:
  // `fresh`: the first save of a tree formats every key straight into this one text instead (see saveHivePieces).
  // `saved`: the hive's savedText otherwise, which unchanged subtrees are copied from.
  Writer(std::vector<std::string_view>& pieces, std::string* fresh, const std::string* saved)
      : pieces_(pieces), fresh_(fresh), saved_(saved) {}

  // Keys whose own lines are in the file: all but volatile keys (with their subtrees) and implicit ones.
  static bool writesOwnLines(const HiveKey& key) {
    return !key.values().empty() || key.subkeys().empty() || key.className() || key.isLink();
  }

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
    if (const SavedSubtree& subtree = key.savedSubtree(); !fresh_ && subtree.valid) {
      addPiece(std::string_view(*saved_).substr(subtree.begin, subtree.end - subtree.begin));
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
    std::unique_ptr<SavedKeyText>& saved = key.savedText();
    if (!fresh_ && saved && saved->valid) return saved->text;
    if (!saved) saved = std::make_unique<SavedKeyText>();
    if (fresh_) {
      // Only the length counts until pointInto points it at the finished text (which may still move as it grows).
      std::string().swap(saved->own);
      const std::size_t at = fresh_->size();
      formatOwnLines(*fresh_, key, pathOf(depth));
      saved->text = std::string_view(fresh_->data() + at, fresh_->size() - at);
    } else {
      saved->own.clear();
      formatOwnLines(saved->own, key, pathOf(depth));
      saved->text = saved->own;
    }
    saved->valid = true;
    return saved->text;
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
    // The seconds are computed in signed 64 bits and truncated, as Wine does, even for times before 1970. The
    // subtraction wraps in unsigned arithmetic, as it does in Wine's C on every machine it runs on: a `#time=` of 2^63
    // or more must not overflow a signed subtraction here (that is undefined behaviour in C++).
    const auto sinceEpoch = std::int64_t(key.modified() - std::uint64_t(kTicks1601To1970));
    const std::int64_t seconds = sinceEpoch / kTicksPerSecond;
    out += "] ";
    appendDecimal(out, std::uint32_t(seconds));
    out += "\n#time=";
    appendHex(out, std::uint32_t(key.modified() >> 32), 1);
    appendHex(out, std::uint32_t(key.modified()), 8);
    out += '\n';
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
    const std::vector<std::uint8_t>& data = value.data;
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
  key.savedText().reset();
  key.savedSubtree() = {};
  for (const auto& subkey : key.subkeys()) forgetSaved(*subkey);
}

// Points the keys' SavedKeyText, and their SavedSubtree, into `joined`, in the order the Writer emitted them;
// returns the offset after them. Everything that pointed into the previous joined text points into this one after.
std::size_t pointInto(const HiveKey& key, const std::string& joined, std::size_t offset) {
  const std::size_t begin = offset;
  if (key.isVolatile()) {
    // Saved as nothing. What lies below it is formatted afresh should it stop being volatile.
    forgetSaved(key);
  } else {
    std::unique_ptr<SavedKeyText>& saved = key.savedText();
    if (Writer::writesOwnLines(key)) {
      saved->text = std::string_view(joined).substr(offset, saved->text.size());
      offset += saved->text.size();
      std::string().swap(saved->own);
    } else {
      saved.reset(); // implicit now: lines it had once are out of date and point into the old text
    }
    for (const auto& subkey : key.subkeys()) offset = pointInto(*subkey, joined, offset);
  }
  key.savedSubtree() = {begin, offset, true};
  return offset;
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
    pointInto(hive.root, *text, 0);
    hive.savedText = std::move(text);
  } else {
    Writer(pieces, nullptr, hive.savedText.get()).writeBranch(hive.root);
    if (pieces.size() <= kPiecesBeforeJoining) return;
    std::size_t size = 0;
    for (std::size_t i = 1; i < pieces.size(); ++i) size += pieces[i].size();
    auto joined = std::make_unique<std::string>();
    joined->reserve(size);
    for (std::size_t i = 1; i < pieces.size(); ++i) joined->append(pieces[i]);
    pointInto(hive.root, *joined, 0);
    hive.savedText = std::move(joined);
  }
  pieces.resize(1);
  if (!hive.savedText->empty()) pieces.push_back(*hive.savedText);
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
