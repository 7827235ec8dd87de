// parseHive: Wine's load_keys, load_key, load_value and load_key_option (server/registry.c), with the same
// tolerance, except that what Wine skips with a message on stderr becomes a ParseIssue. So does what Wine reads
// without a word but never writes (a dword of 3 digits, text after a closing quote, a value given twice, `\q`, a
// last line without its end...): saving would not give that text back, so the hive must not be written over.
// The cheap checks live here; checkRoundTrip (HiveVerify.cpp) catches the rest when a hive is first written.
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
// dump_value breaks a hex line once it has passed this many characters.
constexpr std::size_t kHexLineLimit = 76;

// C's isspace in the C locale, which is what Wine's loader uses.
bool isCSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
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
bool isLowerHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
// For a character already known to be a hex digit: one compare instead of two ranges (hex data is most of a file).
bool isNotUpperHex(char c) { return unsigned(c - 'A') > 5u; }
unsigned hexValue(char c) { return unsigned(kHexValues[static_cast<unsigned char>(c)]); }

// The escapes dump_strW writes, plus the delimiters of both contexts. parse_strW reads any other `\c` as `c`, and
// saving would drop the backslash.
bool isKnownEscape(char c) {
  switch (c) {
  case '\\':
  case '"':
  case '[':
  case ']':
  case 'a':
  case 'b':
  case 't':
  case 'n':
  case 'v':
  case 'f':
  case 'r':
  case 'e':
  case 'x':
  case '0':
  case '1':
  case '2':
  case '3':
  case '4':
  case '5':
  case '6':
  case '7': return true;
  default: return false;
  }
}

// The first escape in `raw` (text as it stands in the file, up to and with its closing delimiter) that Wine never
// writes; npos when none. `units`: the code units it read as, which show at no cost that plain text (most of every
// file: one unit a byte) holds no escape at all.
std::size_t unknownEscapeAt(std::string_view raw, std::size_t units) {
  if (units + 1 == raw.size()) return std::string_view::npos;
  for (std::size_t i = raw.find('\\'); i != std::string_view::npos && i + 1 < raw.size(); i = raw.find('\\', i + 2)) {
    if (!isKnownEscape(raw[i + 1])) return i;
  }
  return std::string_view::npos;
}

// What Wine writes for a 32-bit number: printf's %08x.
bool isLowerHex8(std::string_view s) {
  if (s.size() != 8) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

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

// dump_value writes a string type ending in a NUL code unit as a string, and a 4-byte REG_DWORD as `dword:`; all
// else in hex: `hex:` for REG_BINARY, `hex(%x):` for other types. True when `tag` is the hex form it would choose.
bool isWineHexForm(std::string_view tag, std::uint32_t type, const std::vector<std::uint8_t>& data) {
  const std::size_t n = data.size();
  if ((type == kRegSz || type == kRegExpandSz || type == kRegMultiSz) && n >= 2 && n % 2 == 0 && data[n - 2] == 0 &&
      data[n - 1] == 0)
    return false;
  if (type == kRegDword && n == 4) return false;
  if (type == kRegBinary) return tag == "hex:";
  // `hex(%x):`
  if (tag.size() < 7 || tag.size() > 14) return false;
  const std::string_view digits = tag.substr(4, tag.size() - 6);
  if (digits.size() > 1 && digits[0] == '0') return false;
  for (char c : digits)
    if (!isLowerHexDigit(c)) return false;
  return true; // dataTag read these digits as `type`
}

// Whether `raw`, an escaped string as it stands in the file (without its closing delimiter `close`), is exactly what
// appendEscaped writes for the `units` it read as (`open`, `close`: the context's delimiters; a key path's separators
// are `\\` units, which the writer escapes alike). `asWritten`: what parseEscaped saw of it at no cost.
bool isCanonicalEscaped(bool asWritten, std::string_view raw, std::u16string_view units, char open, char close,
                        std::string& scratch) {
  if (asWritten) return true;
  scratch.clear();
  appendEscaped(scratch, units, open, close);
  return scratch == raw;
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
        if (current_) {
          flushValues();
          updateKeyTime(*current_, modif_);
          seedOwnLines();
        }
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
        // The preamble is kept as it is; a comment among the keys would be dropped by a save.
        if (seenKey_) report("comment line among the keys (Wine writes none there; saving would drop it)");
        break;
      default: report("unrecognized line"); break;
      }
    }
    if (current_) {
      flushValues();
      updateKeyTime(*current_, modif_);
    }
    // Wine ends every line it writes: a file that stops mid-line was most likely cut short (a full disk, a crash of
    // some other editor), and whatever followed is lost. Its keys can be read; writing it back would make the loss
    // permanent.
    if (!text_.empty() && text_.back() != '\n')
      report("the last line has no line end: the file looks cut short (Wine ends every line it writes)");
    if (current_) seedOwnLines();
    result_.hive.parsedSize = text_.size();

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

  void report(std::string message) {
    own_.exact = false;
    result_.issues.push_back({lineNumber_, std::move(message)});
  }

  // Whether the line just read ends in a bare `\n`, with no `\r` or NUL cut from it.
  bool lineIsClean() const { return pos_ == lineStart_ + line_.size() + 1 && text_[pos_ - 1] == '\n'; }

  // One more line of the current key's: it must follow the key's previous line directly, unindented.
  void continueOwnLines(std::string_view p, int stage, bool allowed) {
    own_.exact = own_.exact && allowed && lineStart_ == own_.end && p.size() == line_.size() && lineIsClean();
    own_.stage = stage;
  }

  // The current key's lines are complete: where they are exactly what the writer writes for it (after the key's
  // time is known, which may come from the key line after it), the key's SavedLines point at them in the file, and
  // the first save copies them instead of formatting them again (checkRoundTrip adopts the text).
  void seedOwnLines() {
    if (!own_.exact || own_.stage == 0 || own_.end - own_.begin > UINT32_MAX) return;
    // The key line's seconds and the #time line are in the writer's form (else they were reported); their values
    // must be the ones it derives from the key's time (which may have come from elsewhere: a key given twice).
    const std::uint64_t modified = current_->modified();
    const auto seconds = std::uint32_t(std::int64_t(modified - std::uint64_t(kTicks1601To1970)) / kTicksPerSecond);
    if (own_.time != modified || own_.seconds != seconds) return;
    SavedLines& saved = current_->savedLines();
    saved.begin = own_.begin;
    saved.ownLength = std::uint32_t(own_.end - own_.begin);
    saved.ownValid = true;
  }
  void reportEscape(char c) {
    report(std::string("unknown escape `\\") + c + "` (Wine reads it as `" + c + "`; saving would drop the backslash)");
  }

  // update_key_time: a key keeps the first time it gets; its implicit parents take the same one.
  static void updateKeyTime(HiveKey& key, std::int64_t modif) {
    for (HiveKey* k = &key; k && k->modified() == 0; k = k->parent()) k->setModified(std::uint64_t(modif));
  }

  void keyLine(std::string_view afterBracket) {
    current_ = nullptr;
    // The writer starts a key's lines with the blank line before it: `\n[path] <seconds>\n#time=...`.
    own_ = {};
    own_.exact = afterBracket.data() == line_.data() + 1 && lineIsClean();
    own_.begin = lineStart_ - 1;
    own_.end = pos_;
    scratch_.clear();
    bool asWritten;
    const std::size_t used = parseEscaped(afterBracket, '[', ']', scratch_, asWritten);
    if (used == std::string_view::npos) {
      report("unterminated key name");
      return;
    }
    own_.exact =
        own_.exact && isCanonicalEscaped(asWritten, afterBracket.substr(0, used - 1), scratch_, '[', ']', scratchText_);
    const std::string_view afterName = afterBracket.substr(used);
    const ULong seconds = parseULong(afterName, 10);
    // `] %u`: one space and the digits, nothing else.
    if (afterName.size() < 2 || afterName[0] != ' ' || seconds.end != afterName.size() || !isDigit(afterName[1]) ||
        (afterName[1] == '0' && afterName.size() > 2))
      report("the key line does not end in `] <seconds>` as Wine writes it");
    own_.seconds = seconds.value;
    if (const std::size_t at =
            asWritten ? std::string_view::npos : unknownEscapeAt(afterBracket.substr(0, used), scratch_.size());
        at != std::string_view::npos)
      reportEscape(afterBracket[at + 1]);
    modif_ = seconds.end ? std::int64_t(std::uint32_t(seconds.value)) * kTicksPerSecond + kTicks1601To1970
                         : std::int64_t(fileTimeNow());

    HiveKey* key = &result_.hive.root;
    const bool first = !seenKeyLine_;
    seenKeyLine_ = true;
    // load_key tests the first unit of the C string: an empty name, or one starting with a NUL, is the root.
    if (scratch_.empty() || scratch_[0] == u'\0') {
      // Wine writes the root first, if at all.
      if (!first) report("key out of Wine's order, or given twice (saving would move or merge it)");
      pathKeys_.clear();
      previousPath_.clear();
    } else {
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
      // Wine writes keys depth first, siblings in its order: the first element where this path leaves the previous
      // one must sort after the previous key's there, and a path that stops at or above the previous one's key (an
      // ancestor, or the same key again) is out of order.
      const HiveKey* previousThere = reused < pathKeys_.size() ? pathKeys_[reused].key : nullptr;
      pathKeys_.resize(reused);
      for (const PathKey& shared : pathKeys_) own_.exact = own_.exact && shared.spelledAsNamed;
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
            pathKeys_.clear();
            previousPath_.clear();
            return;
          }
          const std::u16string_view element = path.substr(start, end - start);
          key = &key->addSubkey(element);
          // A key named before with other cases keeps that name: these lines do not spell it as a save does.
          const bool spelledAsNamed = key->name() == element;
          own_.exact = own_.exact && spelledAsNamed;
          pathKeys_.push_back({end, key, spelledAsNamed});
        } else {
          report("empty key name in the path (a doubled, leading or trailing `\\\\`)");
        }
        start = end + 1;
      }
      if (!first) {
        const bool descends = pathKeys_.size() > reused;
        if (!descends || (previousThere && compareNames(previousThere->name(), pathKeys_[reused].key->name()) >= 0))
          report("key out of Wine's order, or given twice (saving would move or merge it)");
      }
    }
    // A key given before (not always reported: the order is checked against the previous key line only) may hold
    // values, a class or a link from there: these lines are not all it saves as.
    if (!key->values().empty() || key->className() || key->isLink()) own_.exact = false;
    current_ = key;
  }

  void keyOption(std::string_view p) {
    if (p.size() != line_.size()) report("indented key option (Wine writes none)");
    const int stage = own_.stage;
    if (p.starts_with("#time=")) {
      continueOwnLines(p, 1, stage == 0);
      std::uint64_t modif = 0;
      std::size_t i = 6;
      bool lower = true;
      for (; i < p.size() && isHexDigit(p[i]); ++i) {
        modif = (modif << 4) | hexValue(p[i]);
        lower &= isNotUpperHex(p[i]);
      }
      // `%x%08x`: lower case, no leading zero but the ones of the low half.
      if (i != p.size() || p.size() < 6 + 9 || p.size() > 6 + 16 || (p.size() > 6 + 9 && p[6] == '0') || !lower)
        report("#time= is not written as Wine writes it (lower-case hex, %x%08x)");
      own_.time = modif;
      updateKeyTime(*current_, std::int64_t(modif));
    } else if (p.starts_with("#class=")) {
      continueOwnLines(p, 2, stage == 1);
      if (p.size() < 8 || p[7] != '"') {
        report("#class without a quoted string");
        return;
      }
      scratch_.clear();
      bool asWritten;
      const std::size_t used = parseEscaped(p.substr(8), '"', '"', scratch_, asWritten);
      if (used == std::string_view::npos) {
        report("unterminated string in class");
        return;
      }
      if (8 + used != p.size()) report("text after the closing quote of the class (saving would drop it)");
      if (const std::size_t at = unknownEscapeAt(p.substr(8, used), scratch_.size()); at != std::string_view::npos)
        reportEscape(p[8 + at + 1]);
      own_.exact = own_.exact && isCanonicalEscaped(asWritten, p.substr(8, used - 1), scratch_, '"', '"', scratchText_);
      current_->setClassName(scratch_);
    } else if (p.starts_with("#link")) {
      continueOwnLines(p, 3, stage == 1 || stage == 2);
      if (p.size() != 5) report("text after #link (saving would drop it)");
      current_->setLink(true);
    } else {
      // Wine ignores other options, and so never writes them back.
      report("unknown key option (Wine ignores it; saving would drop it)");
    }
    own_.end = pos_;
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
    continueOwnLines(p, 4, own_.stage >= 1);
    valueLineParts(p);
    own_.end = pos_;
  }

  void valueLineParts(std::string_view p) {
    name_.clear();
    std::size_t i = 1;
    if (p[0] == '"') {
      bool asWritten;
      const std::size_t used = parseEscaped(p.substr(1), '"', '"', name_, asWritten);
      if (used == std::string_view::npos) {
        report("unterminated string in value name");
        return;
      }
      if (const std::size_t at = asWritten ? std::string_view::npos : unknownEscapeAt(p.substr(1, used), name_.size());
          at != std::string_view::npos)
        reportEscape(p[1 + at + 1]);
      // Wine writes `@=` for the default value only, never `""=`.
      if (used == 1) report("the default value written as `\"\"=` (Wine writes `@=`)");
      own_.exact = own_.exact && isCanonicalEscaped(asWritten, p.substr(1, used - 1), name_, '"', '"', scratchText_);
      i += used;
    }
    const std::size_t equals = i;
    i = skipSpaces(p, i);
    if (i >= p.size() || p[i] != '=') {
      report("missing `=` after the value name");
      return;
    }
    i = skipSpaces(p, i + 1);
    if (p.size() != line_.size() || i != equals + 1) report("white space in the value line (Wine writes none)");

    // From here on Wine has already created the value: on bad data it is left empty, of type REG_NONE.
    const std::string_view rest = p.substr(i);
    const DataTag tag = dataTag(rest);
    if (tag.length == 0) return badValue("unknown value type");
    const std::string_view data = rest.substr(tag.length);
    // Built in a buffer kept from value to value; the value takes a block of exactly its size, if any (ValueBytes).
    std::vector<std::uint8_t>& bytes = bytes_;
    bytes.clear();
    switch (tag.syntax) {
    case DataSyntax::String: {
      scratch_.clear();
      bool asWritten;
      const std::size_t used = parseEscaped(data, '"', '"', scratch_, asWritten);
      if (used == std::string_view::npos) {
        return badValue("unterminated string in value data");
      }
      if (used != data.size()) report("text after the closing quote of the value data (saving would drop it)");
      if (const std::size_t at =
              asWritten ? std::string_view::npos : unknownEscapeAt(data.substr(0, used), scratch_.size());
          at != std::string_view::npos)
        reportEscape(data[at + 1]);
      if (tag.length == 5) report("the old `str:` form of a string (Wine writes `\"...\"`)");
      own_.exact =
          own_.exact && isCanonicalEscaped(asWritten, data.substr(0, used - 1), scratch_, '"', '"', scratchText_);
      scratch_.push_back(u'\0');
      appendUtf16Le(bytes, scratch_);
      break;
    }
    case DataSyntax::Dword: {
      // strtoul with no check at all: `dword:` and `dword:zz` are 0, as in Wine.
      const std::uint32_t dword = std::uint32_t(parseULong(data, 16).value);
      if (!isLowerHex8(data)) report("dword data is not 8 lower-case hex digits (the line may be cut short)");
      bytes = {std::uint8_t(dword), std::uint8_t(dword >> 8), std::uint8_t(dword >> 16), std::uint8_t(dword >> 24)};
      break;
    }
    case DataSyntax::Hex:
      if (!parseHex(data, bytes)) return;
      if (!isWineHexForm(rest.substr(0, tag.length), tag.type, bytes))
        report("the value's type or form is not written as Wine writes it (saving would change it)");
      break;
    }
    setValue(tag.type, ValueBytes(std::span<const std::uint8_t>(bytes)));
  }

  void badValue(std::string message) {
    report(std::move(message));
    // Already reported: one issue a line is enough.
    addValue(kRegNone, {});
  }

  // A key's values mostly come all in one go, in Wine's order: gathered here, the key takes them at once, in a vector
  // of just their number, instead of growing its own by doubling (which left a sixth of the slots empty).
  HiveKey::SetResult addValue(std::uint32_t type, ValueBytes bytes) {
    if (current_->values().empty() && (pending_.empty() || compareNames(pending_.back().name, name_) < 0)) {
      pending_.push_back(HiveValue{std::u16string(name_), type, std::move(bytes)});
      return HiveKey::SetResult::Appended;
    }
    flushValues();
    return current_->setValue(name_, type, std::move(bytes));
  }

  void flushValues() {
    if (pending_.empty()) return;
    std::vector<HiveValue> values;
    values.reserve(pending_.size());
    for (HiveValue& value : pending_) values.push_back(std::move(value));
    pending_.clear();
    current_->setParsedValues(std::move(values));
  }

  void setValue(std::uint32_t type, ValueBytes bytes) {
    // Wine writes each key's values once each, in its order: a repeated name would lose the earlier value on saving,
    // and one out of order would move.
    switch (addValue(type, std::move(bytes))) {
    case HiveKey::SetResult::Appended: break;
    case HiveKey::SetResult::Replaced:
      report("value name given twice (the later one counts; saving drops the first)");
      break;
    case HiveKey::SetResult::Inserted: report("value out of Wine's order (saving would move it)"); break;
    }
  }

  // parse_hex plus load_value's continuation loop: a `\` after the bytes continues on the next line, and anything
  // after that `\` is ignored.
  // Also tells whether the text is exactly what dump_value writes: `xx,` in lower case, the last byte without a comma,
  // a line broken right after a comma by `\`, a newline and two spaces (where the break falls is left to
  // checkRoundTrip).
  bool parseHex(std::string_view s, std::vector<std::uint8_t>& out) {
    out.reserve(out.size() + s.size() / 3 + 1);
    bool canonical = true;
    // Whether the lines also break where dump_value breaks them, which is not reported (checkRoundTrip has the last
    // word) but decides whether the key's lines can be copied from the file: it counts the characters of the line
    // so far, one more after each comma, and breaks once that passes kHexLineLimit.
    std::size_t column = std::size_t(s.data() - line_.data());
    bool breakDue = false;
    bool breaksExact = true;
    for (;;) {
      std::size_t i = 0;
      const std::size_t n = s.size();
      while (i < n && isHexDigit(s[i])) {
        breaksExact &= !breakDue;
        // What Wine writes, `xx,`: no 0x prefix, no overflow, no space before the comma.
        if (i + 2 < n && s[i + 2] == ',' && isHexDigit(s[i + 1])) {
          out.push_back(std::uint8_t(hexValue(s[i]) << 4 | hexValue(s[i + 1])));
          canonical &= isNotUpperHex(s[i]) & isNotUpperHex(s[i + 1]);
          i += 3;
          column += 3;
          breakDue = column > kHexLineLimit;
          if (i < n && isCSpace(s[i])) {
            canonical = false;
            i = skipSpaces(s, i);
          }
          continue;
        }
        canonical &= i + 2 == n && isLowerHexDigit(s[i]) && isLowerHexDigit(s[i + 1]);
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
      if (i == n) {
        if (!canonical || (n > 0 && s[n - 1] == ','))
          report("hex data not as Wine writes it (lower-case `xx,` bytes, no comma after the last)");
        if (!breaksExact) own_.exact = false;
        return true;
      }
      if (s[i] != '\\') {
        badValue("unexpected character in hex value data");
        return false;
      }
      canonical &= i + 1 == n && i > 0 && s[i - 1] == ',';
      breaksExact &= breakDue;
      if (!nextLine()) {
        badValue("hex value data continues past the end of the file");
        return false;
      }
      canonical &= line_.size() > 2 && line_[0] == ' ' && line_[1] == ' ' && !isCSpace(line_[2]);
      breaksExact &= lineIsClean();
      column = 2;
      breakDue = false;
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
  bool seenKeyLine_ = false; // a key line (even a malformed one) was read: the next is checked for Wine's order
  std::size_t preambleEnd_ = 0;
  ParseResult result_;
  HiveKey* current_ = nullptr;
  std::int64_t modif_ = std::int64_t(fileTimeNow());
  std::u16string scratch_;
  std::u16string name_;
  std::vector<std::uint8_t> bytes_;
  std::vector<HiveValue> pending_; // the current key's values, not given to it yet (addValue)
  std::string scratchText_;
  // The current key's lines in the file, while they may still be exactly what the writer writes for it.
  struct OwnLines {
    std::size_t begin = 0;     // the `\n` that ends the blank line before the key line
    std::size_t end = 0;       // after the key's last line so far
    std::uint64_t seconds = 0; // on the key line
    std::uint64_t time = 0;    // on the #time line
    int stage = 0;             // the last line read: 0 key line, 1 #time, 2 #class, 3 #link, 4 a value
    bool exact = false;
  } own_;
  struct PathKey {
    std::size_t end; // where the element ends in previousPath_
    HiveKey* key;
    bool spelledAsNamed; // the element is the key's name exactly, not in other cases
  };
  std::u16string previousPath_;   // the last key line's path, unescaped
  std::vector<PathKey> pathKeys_; // its non-empty elements and their keys
};

} // namespace

ParseResult parseHive(std::string_view text) { return Parser(text).run(); }

} // namespace regbridge::hive
