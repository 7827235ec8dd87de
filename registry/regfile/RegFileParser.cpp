#include "registry/regfile/RegFileParser.h"

#include <optional>
#include <string>

#include "registry/Error.h"
#include "registry/KeyPath.h"
#include "registry/Unicode.h"
#include "registry/Value.h"
#include "registry/regfile/AnsiCodePage.h"

namespace regbridge {
namespace {

constexpr std::string_view kHeader5 = "Windows Registry Editor Version 5.00";
constexpr std::string_view kHeader4 = "REGEDIT4";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool isBlank(char c) { return c == ' ' || c == '\t'; }

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isStringType(std::uint32_t type) { return type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ; }

class Parser {
public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::vector<RegEdit> run() {
    if (text_.starts_with(kUtf8Bom)) pos_ = kUtf8Bom.size();
    if (!nextLine()) {
      lineNumber_ = 1;
      fail(0, "the text is empty; expected the header '" + std::string(kHeader5) + "' or 'REGEDIT4'");
    }
    readHeader();
    while (nextLine()) {
      if (hex_) continueHex();
      else readLine();
    }
    if (hex_) finishHex(); // the text ends after a `\`: Wine stores what was read
    return std::move(edits_);
  }

private:
  // A value given in hex, while its lines are read.
  struct HexValue {
    std::string name;
    std::uint32_t type;
    std::vector<std::uint8_t> bytes;
    std::size_t line;
  };

  // ---- lines and errors ----

  // The next line into line_, without its end (CRLF, LF or CR, as Wine's get_line splits); false at the end.
  bool nextLine() {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = text_.find_first_of("\r\n", pos_);
    line_ = text_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
    ++lineNumber_;
    if (end == std::string_view::npos) pos_ = text_.size();
    else pos_ = end + (text_[end] == '\r' && end + 1 < text_.size() && text_[end + 1] == '\n' ? 2 : 1);
    checkCharacters();
    return true;
  }

  // Every line is checked before it is read, so that names and strings taken from it are valid WTF-8.
  void checkCharacters() {
    const auto* begin = reinterpret_cast<const unsigned char*>(line_.data());
    const auto* end = begin + line_.size();
    for (const unsigned char* p = begin; p < end;) {
      if (*p == 0) fail(p - begin, "a NUL character, which a .reg file cannot hold");
      if (*p < 0x80) {
        ++p;
        continue;
      }
      const unsigned char* at = p;
      const std::int32_t c = decodeUtf8Sequence(p, end);
      if (c < 0) fail(at - begin, "bytes that are not UTF-8");
      // A pair written as two three-byte halves is not WTF-8: a pair is one four-byte sequence.
      if (c >= 0xD800 && c <= 0xDBFF && end - p >= 3 && p[0] == 0xED && p[1] >= 0xB0)
        fail(at - begin, "a surrogate pair written as two UTF-8 sequences; it must be one four-byte sequence");
    }
  }

  // The column (counted in code points from 1) of a byte offset in line_.
  std::size_t columnOf(std::size_t offset) const {
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < line_.size(); ++i)
      if ((static_cast<unsigned char>(line_[i]) & 0xC0) != 0x80) ++column;
    return column;
  }

  [[noreturn]] void fail(std::size_t offset, const std::string& what) const {
    throw RegistryError(ErrorCode::InvalidArgument, "invalid .reg text: line " + std::to_string(lineNumber_) +
                                                        ", column " + std::to_string(columnOf(offset)) + ": " + what);
  }

  // The whole character at byte `i` (lines are checked UTF-8), for messages.
  std::string_view codePointAt(std::size_t i) const {
    std::size_t end = i + 1;
    while (end < line_.size() && (static_cast<unsigned char>(line_[end]) & 0xC0) == 0x80) ++end;
    return line_.substr(i, end - i);
  }

  std::size_t skipBlanks(std::size_t i) const {
    while (i < line_.size() && isBlank(line_[i])) ++i;
    return i;
  }

  bool atEndOrComment(std::size_t i) const { return i >= line_.size() || line_[i] == ';'; }

  // Fails unless only blanks and a comment are left from `i`.
  void expectLineEnd(std::size_t i, std::string_view after) const {
    i = skipBlanks(i);
    if (!atEndOrComment(i)) fail(i, "unexpected text after " + std::string(after) + "; only a ';' comment may follow");
  }

  // ---- the header ----

  void readHeader() {
    std::size_t start = skipBlanks(0);
    std::size_t end = line_.size();
    while (end > start && isBlank(line_[end - 1])) --end;
    const std::string_view header = line_.substr(start, end - start);
    if (header == kHeader5) return;
    if (header == kHeader4) {
      ansi_ = true;
      return;
    }
    if (header == "REGEDIT")
      fail(start, "this is a Windows 3.1 registration file (header 'REGEDIT'); only '" + std::string(kHeader5) +
                      "' and 'REGEDIT4' files can be imported");
    fail(start, "expected the header '" + std::string(kHeader5) + "' or 'REGEDIT4'");
  }

  // ---- one line outside a hex continuation ----

  void readLine() {
    std::size_t i = skipBlanks(0);
    if (atEndOrComment(i)) return;
    const std::size_t start = i;
    std::string name;
    switch (line_[i]) {
    case '[': readKeyLine(i); return;
    case '@': ++i; break;
    case '"': i = readQuoted(i + 1, name, "the value name"); break;
    default: fail(i, "expected '[KEY]', '\"name\"=', '@=' or a ';' comment at the start of a line");
    }
    if (!key_)
      fail(start, keyDeleted_ ? "a value after a [-KEY] line needs a [KEY] line of its own before it"
                              : "a value needs a [KEY] line before it");
    try {
      validateValueName(name, *key_);
    } catch (const RegistryError& error) {
      fail(start, error.message());
    }
    i = skipBlanks(i);
    if (i >= line_.size() || line_[i] != '=') fail(i, "expected '=' after the value name");
    readData(skipBlanks(i + 1), std::move(name));
  }

  // `[KEY]` or `[-KEY]`. The name ends at the last `]` of the line, as in Wine: a key name may hold `]`.
  void readKeyLine(std::size_t open) {
    std::size_t start = open + 1;
    if (start < line_.size() && isBlank(line_[start])) fail(start, "expected the key name right after '['");
    const std::size_t close = line_.rfind(']');
    if (close == std::string_view::npos || close < start) fail(line_.size(), "expected ']' after the key name");
    expectLineEnd(close + 1, "']'");
    const bool deletion = start < close && line_[start] == '-';
    if (deletion) ++start;
    const std::string_view name = line_.substr(start, close - start);
    KeyPath path;
    try {
      path = KeyPath::parse(name);
    } catch (const RegistryError& error) {
      fail(start, error.message());
    }
    RegEdit edit;
    edit.key = std::string(name);
    edit.line = lineNumber_;
    if (deletion) {
      if (path.parts.empty())
        fail(start, "cannot delete the hive root '" + edit.key + "'; [-KEY] deletes a key under a hive");
      edit.kind = RegEditKind::DeleteKey;
      key_.reset();
      keyDeleted_ = true;
    } else {
      edit.kind = RegEditKind::CreateKey;
      key_ = edit.key;
    }
    edits_.push_back(std::move(edit));
  }

  // A quoted name or string from `i` (just after its opening quote) into `out`; returns the index after the
  // closing quote.
  std::size_t readQuoted(std::size_t i, std::string& out, std::string_view what) const {
    for (; i < line_.size(); ++i) {
      const char c = line_[i];
      if (c == '"') return i + 1;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++i >= line_.size()) break;
      switch (line_[i]) {
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '0': fail(i - 1, "'\\0' in " + std::string(what) + ": a .reg file cannot hold a NUL in a name or string");
      default:
        fail(i - 1, "unknown escape '\\" + std::string(codePointAt(i)) +
                        "'; a .reg file escapes only \\\\, \\\", \\n and \\r");
      }
    }
    fail(line_.size(), "expected '\"' closing " + std::string(what));
  }

  // The data after `=`, from `i`.
  void readData(std::size_t i, std::string name) {
    const std::string_view rest = line_.substr(std::min(i, line_.size()));
    RegEdit edit;
    edit.key = *key_;
    edit.name = std::move(name);
    edit.line = lineNumber_;
    if (rest.starts_with('-')) {
      expectLineEnd(i + 1, "'=-'");
      edit.kind = RegEditKind::DeleteValue;
    } else if (rest.starts_with('"')) {
      std::string text;
      expectLineEnd(readQuoted(i + 1, text, "the string"), "the string");
      std::optional<std::u16string> units = utf8ToUtf16(text);
      if (!units) fail(i, "the string is not valid UTF-8");
      units->push_back(u'\0');
      std::vector<unsigned char> bytes;
      appendLe(bytes, *units);
      edit.kind = RegEditKind::SetValue;
      edit.type = REG_SZ;
      edit.data.assign(bytes.begin(), bytes.end());
    } else if (rest.starts_with("dword:")) {
      edit.kind = RegEditKind::SetValue;
      edit.type = REG_DWORD;
      std::uint32_t value = readDword(skipBlanks(i + 6));
      edit.data = {std::uint8_t(value), std::uint8_t(value >> 8), std::uint8_t(value >> 16), std::uint8_t(value >> 24)};
    } else if (rest.starts_with("hex:")) {
      startHex(std::move(edit.name), REG_BINARY, i + 4);
      return;
    } else if (rest.starts_with("hex(")) {
      const std::size_t digits = i + 4;
      std::size_t j = digits;
      std::uint32_t type = 0;
      for (; j < line_.size() && hexDigit(line_[j]) >= 0; ++j) {
        if (j - digits == 8) fail(digits, "the type in 'hex(N):' is at most 8 hex digits");
        type = type << 4 | static_cast<std::uint32_t>(hexDigit(line_[j]));
      }
      if (j == digits) fail(digits, "expected the type in hex in 'hex(N):'");
      if (line_.substr(j, 2) != "):") fail(j, "expected '):' after the type in 'hex(N):'");
      startHex(std::move(edit.name), type, j + 2);
      return;
    } else {
      fail(i, "expected the data after '=': \"string\", dword:, hex:, hex(N): or - (to delete the value)");
    }
    edits_.push_back(std::move(edit));
  }

  std::uint32_t readDword(std::size_t i) const {
    std::uint32_t value = 0;
    std::size_t j = i;
    for (; j < line_.size() && hexDigit(line_[j]) >= 0; ++j) {
      if (j - i == 8) fail(i, "a dword is at most 8 hex digits");
      value = value << 4 | static_cast<std::uint32_t>(hexDigit(line_[j]));
    }
    if (j == i) fail(i, "expected 1 to 8 hex digits after 'dword:'");
    expectLineEnd(j, "the dword");
    return value;
  }

  // ---- hex data over one or more lines ----

  void startHex(std::string name, std::uint32_t type, std::size_t i) {
    hex_ = HexValue{std::move(name), type, {}, lineNumber_};
    readHexBytes(i);
  }

  // A line after one that ended with `\`.
  void continueHex() {
    const std::size_t i = skipBlanks(0);
    if (atEndOrComment(i)) return; // blank and comment lines inside a value are skipped, as Wine does
    if (hexDigit(line_[i]) < 0)
      fail(i, "expected more hex bytes: the value of line " + std::to_string(hex_->line) + " goes on after '\\'");
    readHexBytes(i);
  }

  // Bytes from `i`; finishes the value unless the line ends with `\`.
  void readHexBytes(std::size_t i) {
    for (;;) {
      i = skipBlanks(i);
      if (atEndOrComment(i)) break; // also after a final comma, which Wine accepts
      if (line_[i] == '\\') {
        expectLineEnd(i + 1, "the '\\' that continues the value on the next line");
        return;
      }
      std::size_t j = i;
      unsigned byte = 0;
      for (; j < line_.size() && hexDigit(line_[j]) >= 0; ++j) {
        if (j - i == 2) fail(i, "a byte is at most two hex digits");
        byte = byte << 4 | static_cast<unsigned>(hexDigit(line_[j]));
      }
      if (j == i) fail(i, "expected a byte in hex, such as 0a");
      hex_->bytes.push_back(static_cast<std::uint8_t>(byte));
      i = skipBlanks(j);
      if (atEndOrComment(i)) break;
      if (line_[i] != ',') fail(i, "expected ',' between bytes");
      ++i;
    }
    finishHex();
  }

  void finishHex() {
    HexValue value = std::move(*hex_);
    hex_.reset();
    std::vector<std::uint8_t>& bytes = value.bytes;
    // import.c's prepare_hex_string_data: string types get a terminator when they lack one (none is added to
    // empty data). A REGEDIT4 file's are ANSI bytes, terminated first and then widened.
    if (isStringType(value.type) && !bytes.empty()) {
      if (ansi_) {
        if (bytes.back() != 0) bytes.push_back(0);
        std::vector<unsigned char> wide;
        appendLe(wide, windows1252ToUtf16(bytes));
        bytes.assign(wide.begin(), wide.end());
      } else if (bytes.size() % 2 == 0 && (bytes[bytes.size() - 2] != 0 || bytes.back() != 0)) {
        // An odd count is left as it is: it is no UTF-16, and Wine's handling of it reads past the data.
        bytes.push_back(0);
        bytes.push_back(0);
      }
    }
    RegEdit edit;
    edit.kind = RegEditKind::SetValue;
    edit.key = *key_;
    edit.name = std::move(value.name);
    edit.type = value.type;
    edit.data = std::move(bytes);
    edit.line = value.line;
    edits_.push_back(std::move(edit));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string_view line_;
  std::size_t lineNumber_ = 0;
  bool ansi_ = false;              // REGEDIT4
  std::optional<std::string> key_; // the key of the last [KEY] line; none before it and after a [-KEY]
  bool keyDeleted_ = false;
  std::optional<HexValue> hex_; // a value whose line ended with `\`
  std::vector<RegEdit> edits_;
};

} // namespace

std::vector<RegEdit> parseRegFile(std::string_view text) { return Parser(text).run(); }

} // namespace regbridge
