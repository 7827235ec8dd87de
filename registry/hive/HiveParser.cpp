// parseHive: Wine's load_keys, load_key, load_value and load_key_option (server/registry.c), with the same
// tolerance, except that what Wine skips with a message on stderr becomes a ParseIssue.
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "registry/Unicode.h"
#include "registry/hive/Escapes.h"
#include "registry/hive/HiveFormat.h"

namespace regbridge::hive {
namespace {

constexpr std::uint32_t kRegNone = 0, kRegSz = 1, kRegExpandSz = 2, kRegBinary = 3, kRegDword = 4, kRegMultiSz = 7;
constexpr std::int64_t kTicksPerSecond = 10'000'000;
constexpr std::int64_t kTicks1601To1970 = 86400LL * (369 * 365 + 89) * kTicksPerSecond;
// MAX_NAME_LEN: key_lookup_name refuses longer path elements, so load_key fails on them.
constexpr std::size_t kMaxKeyNameLength = 256;
constexpr std::string_view kHeader = "WINE REGISTRY Version 2";
constexpr std::string_view kRelativeTo = ";; All keys relative to ";

// C's isspace in the C locale, which is what Wine's loader uses.
bool isCSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// Hex digits by table: most of a hive's bytes are the hex data of values.
constexpr auto kHexValues = [] {
  std::array<std::int8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = c >= '0' && c <= '9'                     ? std::int8_t(c - '0')
               : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? std::int8_t((c | 0x20) - 'a' + 10)
                                                        : std::int8_t(-1);
  }
  return table;
}();
bool isHexDigit(char c) { return kHexValues[static_cast<unsigned char>(c)] >= 0; }
unsigned hexValue(char c) { return unsigned(kHexValues[static_cast<unsigned char>(c)]); }

std::size_t skipSpaces(std::string_view s, std::size_t i) {
  while (i < s.size() && isCSpace(s[i])) ++i;
  return i;
}

struct ULong {
  std::uint64_t value = 0;
  std::size_t end = 0; // index after the number; 0 when there are no digits, as strtoul's end == start
};

// glibc's strtoul on a 64-bit unsigned long (and sscanf's %u, which uses it): white space, a sign, for base 16 an
// optional 0x when a hex digit follows, saturation at ULONG_MAX, and a minus sign negating the result.
ULong parseULong(std::string_view s, int base) {
  std::size_t i = skipSpaces(s, 0);
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (base == 16 && i + 2 < s.size() && s[i] == '0' && (s[i + 1] | 0x20) == 'x' && isHexDigit(s[i + 2])) i += 2;
  const std::size_t start = i;
  std::uint64_t value = 0;
  bool overflow = false;
  for (; i < s.size(); ++i) {
    unsigned digit;
    if (base == 16 && isHexDigit(s[i])) digit = hexValue(s[i]);
    else if (base == 10 && s[i] >= '0' && s[i] <= '9') digit = unsigned(s[i] - '0');
    else break;
    if (value > (UINT64_MAX - digit) / unsigned(base)) overflow = true;
    value = value * unsigned(base) + digit;
  }
  if (i == start) return {};
  if (overflow) return {UINT64_MAX, i};
  return {negative ? 0 - value : value, i};
}

std::uint64_t fileTimeNow() {
  const auto since1970 =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
  return std::uint64_t(since1970.count() / 100 + kTicks1601To1970);
}

void appendUtf16Le(std::vector<std::uint8_t>& out, std::u16string_view units) {
  if constexpr (std::endian::native == std::endian::little) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(units.data());
    out.insert(out.end(), bytes, bytes + 2 * units.size());
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + 2 * units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    out[at + 2 * i] = std::uint8_t(units[i] & 0xFF);
    out[at + 2 * i + 1] = std::uint8_t(units[i] >> 8);
  }
}

enum class DataSyntax { String, Dword, Hex };

struct DataTag {
  std::size_t length = 0; // 0: no known tag
  std::uint32_t type = 0;
  DataSyntax syntax = DataSyntax::Hex;
};

// get_data_type: the tags are tried in this order.
DataTag dataTag(std::string_view s) {
  struct Known {
    std::string_view tag;
    std::uint32_t type;
    DataSyntax syntax;
  };
  static constexpr Known known[] = {
      {"\"", kRegSz, DataSyntax::String},
      {"str:\"", kRegSz, DataSyntax::String},
      {"str(2):\"", kRegExpandSz, DataSyntax::String},
      {"str(7):\"", kRegMultiSz, DataSyntax::String},
      {"hex:", kRegBinary, DataSyntax::Hex},
      {"dword:", kRegDword, DataSyntax::Dword},
  };
  for (const Known& k : known) {
    if (s.starts_with(k.tag)) return {k.tag.size(), k.type, k.syntax};
  }
  if (!s.starts_with("hex(")) return {};
  // strtoul with no digits leaves its end at the start, so `hex():` is type 0, as in Wine.
  const ULong code = parseULong(s.substr(4), 16);
  const std::size_t end = 4 + code.end;
  if (s.substr(end, 2) != "):") return {};
  return {end + 2, std::uint32_t(code.value), DataSyntax::Hex};
}

class Parser {
public:
  // Wine's files hold no NUL byte: one scan of the whole text spares one per line.
  explicit Parser(std::string_view text)
      : text_(text), hasNul_(std::memchr(text.data(), '\0', text.size()) != nullptr) {}

  ParseResult run() {
    if (!nextLine() || line_ != kHeader)
      result_.issues.push_back({1, "the first line is not `WINE REGISTRY Version 2`"});
    while (nextLine()) {
      const std::string_view p = line_.substr(skipSpaces(line_, 0));
      if (p.empty()) continue;
      switch (p[0]) {
      case '[':
        if (!seenKey_) {
          seenKey_ = true;
          preambleEnd_ = lineStart_;
        }
        if (current_) updateKeyTime(*current_, modif_);
        keyLine(p.substr(1));
        break;
      case '@':
      case '"':
        if (current_) valueLine(p);
        else report("value without a key");
        break;
      case '#':
        if (current_) keyOption(p);
        else globalOption(p);
        break;
      case ';':
        if (!seenKey_ && p.starts_with(kRelativeTo)) {
          std::u16string path;
          parseEscapedToEnd(p.substr(kRelativeTo.size()), path);
          result_.hive.relativeTo = utf16ToUtf8(path);
        }
        break;
      default: report("unrecognized line"); break;
      }
    }
    if (current_) updateKeyTime(*current_, modif_);

    std::string_view preamble = text_.substr(0, seenKey_ ? preambleEnd_ : text_.size());
    // The writer puts a blank line before every key, the first one included.
    if (seenKey_ && preamble.ends_with("\n\n")) preamble.remove_suffix(1);
    result_.hive.preamble.assign(preamble);
    return std::move(result_);
  }

private:
  // read_next_line: one '\n' and then one '\r' stripped; a NUL byte ends the line as it ends Wine's C string.
  bool nextLine() {
    if (pos_ >= text_.size()) return false;
    ++lineNumber_;
    lineStart_ = pos_;
    const char* begin = text_.data() + pos_;
    const std::size_t left = text_.size() - pos_;
    const void* newline = std::memchr(begin, '\n', left);
    std::size_t length;
    if (newline) {
      length = std::size_t(static_cast<const char*>(newline) - begin);
      pos_ += length + 1;
      if (length > 0 && begin[length - 1] == '\r') --length;
    } else {
      length = left;
      pos_ = text_.size();
    }
    if (hasNul_) {
      if (const void* nul = std::memchr(begin, '\0', length))
        length = std::size_t(static_cast<const char*>(nul) - begin);
    }
    line_ = std::string_view(begin, length);
    return true;
  }

  void report(std::string message) { result_.issues.push_back({lineNumber_, std::move(message)}); }

  // update_key_time: a key keeps the first time it gets; its implicit parents take the same one.
  static void updateKeyTime(HiveKey& key, std::int64_t modif) {
    for (HiveKey* k = &key; k && k->modified() == 0; k = k->parent()) k->setModified(std::uint64_t(modif));
  }

  void keyLine(std::string_view afterBracket) {
    current_ = nullptr;
    scratch_.clear();
    const std::size_t used = parseEscaped(afterBracket, ']', scratch_);
    if (used == std::string_view::npos) {
      report("unterminated key name");
      return;
    }
    const ULong seconds = parseULong(afterBracket.substr(used), 10);
    modif_ = seconds.end ? std::int64_t(std::uint32_t(seconds.value)) * kTicksPerSecond + kTicks1601To1970
                         : std::int64_t(fileTimeNow());

    HiveKey* key = &result_.hive.root;
    // load_key tests the first unit of the C string: an empty name, or one starting with a NUL, is the root.
    if (!scratch_.empty() && scratch_[0] != u'\0') {
      const std::u16string_view path = scratch_;
      // Wine writes keys in order, so a key line mostly repeats the leading elements of the one before: the keys of
      // the whole elements they share are taken from pathKeys_ instead of being looked up again (the same code
      // units name the same key, and the parser never removes one).
      std::size_t reused = 0;
      for (std::size_t same = 0; reused < pathKeys_.size(); ++reused) {
        const std::size_t end = pathKeys_[reused].end;
        if (end > path.size() || (end < path.size() && path[end] != u'\\') ||
            std::memcmp(path.data() + same, previousPath_.data() + same, 2 * (end - same)) != 0)
          break;
        same = end;
      }
      pathKeys_.resize(reused);
      previousPath_.assign(path);
      std::size_t start = 0;
      if (reused > 0) {
        key = pathKeys_.back().key;
        start = pathKeys_.back().end + 1;
      }
      // create_key_recursive: empty path elements (doubled, leading or trailing separators) name no key.
      while (start <= path.size()) {
        std::size_t end = path.find(u'\\', start);
        if (end == std::u16string_view::npos) end = path.size();
        if (end > start) {
          if (end - start > kMaxKeyNameLength) {
            report("key name longer than 256 characters");
            return;
          }
          key = &key->addSubkey(path.substr(start, end - start));
          pathKeys_.push_back({end, key});
        }
        start = end + 1;
      }
    }
    current_ = key;
  }

  void keyOption(std::string_view p) {
    if (p.starts_with("#time=")) {
      std::uint64_t modif = 0;
      for (std::size_t i = 6; i < p.size() && isHexDigit(p[i]); ++i) modif = (modif << 4) | hexValue(p[i]);
      updateKeyTime(*current_, std::int64_t(modif));
    } else if (p.starts_with("#class=")) {
      if (p.size() < 8 || p[7] != '"') {
        report("#class without a quoted string");
        return;
      }
      scratch_.clear();
      if (parseEscaped(p.substr(8), '"', scratch_) == std::string_view::npos) {
        report("unterminated string in class");
        return;
      }
      current_->setClassName(scratch_);
    } else if (p.starts_with("#link")) {
      current_->setLink(true);
    }
    // Wine ignores other options.
  }

  void globalOption(std::string_view p) {
    if (!p.starts_with("#arch=")) return;
    const std::string_view arch = p.substr(6);
    if (arch != "win32" && arch != "win64") {
      report("unknown architecture `" + std::string(arch) + "`");
    } else if (!result_.hive.arch.empty() && result_.hive.arch != arch) {
      report("mismatched architecture `" + std::string(arch) + "`");
    } else {
      result_.hive.arch = arch;
    }
  }

  void valueLine(std::string_view p) {
    name_.clear();
    std::size_t i = 1;
    if (p[0] == '"') {
      const std::size_t used = parseEscaped(p.substr(1), '"', name_);
      if (used == std::string_view::npos) {
        report("unterminated string in value name");
        return;
      }
      i += used;
    }
    i = skipSpaces(p, i);
    if (i >= p.size() || p[i] != '=') {
      report("missing `=` after the value name");
      return;
    }
    i = skipSpaces(p, i + 1);

    // From here on Wine has already created the value: on bad data it is left empty, of type REG_NONE.
    const std::string_view rest = p.substr(i);
    const DataTag tag = dataTag(rest);
    if (tag.length == 0) return badValue("unknown value type");
    const std::string_view data = rest.substr(tag.length);
    std::vector<std::uint8_t> bytes;
    switch (tag.syntax) {
    case DataSyntax::String: {
      scratch_.clear();
      if (parseEscaped(data, '"', scratch_) == std::string_view::npos) {
        return badValue("unterminated string in value data");
      }
      scratch_.push_back(u'\0');
      appendUtf16Le(bytes, scratch_);
      break;
    }
    case DataSyntax::Dword: {
      // strtoul with no check at all: `dword:` and `dword:zz` are 0, as in Wine.
      const std::uint32_t dword = std::uint32_t(parseULong(data, 16).value);
      bytes = {std::uint8_t(dword), std::uint8_t(dword >> 8), std::uint8_t(dword >> 16), std::uint8_t(dword >> 24)};
      break;
    }
    case DataSyntax::Hex:
      if (!parseHex(data, bytes)) return;
      break;
    }
    current_->setValue(name_, tag.type, std::move(bytes));
  }

  void badValue(std::string message) {
    report(std::move(message));
    current_->setValue(name_, kRegNone, {});
  }

  // parse_hex plus load_value's continuation loop: a `\` after the bytes continues on the next line, and anything
  // after that `\` is ignored.
  bool parseHex(std::string_view s, std::vector<std::uint8_t>& out) {
    out.reserve(s.size() / 3 + 1);
    for (;;) {
      std::size_t i = 0;
      const std::size_t n = s.size();
      while (i < n && isHexDigit(s[i])) {
        // What Wine writes, `xx,`: no 0x prefix, no overflow, no space before the comma.
        if (i + 2 < n && s[i + 2] == ',' && isHexDigit(s[i + 1])) {
          out.push_back(std::uint8_t(hexValue(s[i]) << 4 | hexValue(s[i + 1])));
          i = skipSpaces(s, i + 3);
          continue;
        }
        // strtoul takes a 0x prefix when a hex digit follows it.
        if (s[i] == '0' && i + 2 < n && (s[i + 1] | 0x20) == 'x' && isHexDigit(s[i + 2])) i += 2;
        unsigned value = 0;
        for (; i < n && isHexDigit(s[i]); ++i) {
          value = value * 16 + hexValue(s[i]);
          if (value > 0xFF) {
            badValue("hex byte above ff in value data");
            return false;
          }
        }
        out.push_back(std::uint8_t(value));
        i = skipSpaces(s, i);
        if (i < n && s[i] == ',') ++i;
        i = skipSpaces(s, i);
      }
      if (i == n) return true;
      if (s[i] != '\\') {
        badValue("unexpected character in hex value data");
        return false;
      }
      if (!nextLine()) {
        badValue("hex value data continues past the end of the file");
        return false;
      }
      s = line_.substr(skipSpaces(line_, 0));
    }
  }

  std::string_view text_;
  bool hasNul_;
  std::size_t pos_ = 0;
  std::size_t lineStart_ = 0;
  std::size_t lineNumber_ = 0;
  std::string_view line_;
  bool seenKey_ = false;
  std::size_t preambleEnd_ = 0;
  ParseResult result_;
  HiveKey* current_ = nullptr;
  std::int64_t modif_ = std::int64_t(fileTimeNow());
  std::u16string scratch_;
  std::u16string name_;
  struct PathKey {
    std::size_t end; // where the element ends in previousPath_
    HiveKey* key;
  };
  std::u16string previousPath_;   // the last key line's path, unescaped
  std::vector<PathKey> pathKeys_; // its non-empty elements and their keys
};

} // namespace

ParseResult parseHive(std::string_view text) { return Parser(text).run(); }

} // namespace regbridge::hive
