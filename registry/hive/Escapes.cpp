#include "registry/hive/Escapes.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace regbridge::hive {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

bool isAsciiHexDigit(unsigned c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

unsigned hexValue(unsigned char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// `\x%x`: no leading zeros, at least one digit.
void appendHexEscape(std::string& out, unsigned value, bool padToFour) {
  out += "\\x";
  int digits = 1;
  while (digits < 4 && (value >> (4 * digits)) != 0) ++digits;
  if (padToFour) digits = 4;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out.push_back(kHexDigits[(value >> shift) & 0xF]);
}

// What parse_strW does with the bytes of one UTF-8 sequence, invalid ones included: a bad lead byte is dropped
// alone, a sequence cut short is dropped up to the byte that broke it, overlong forms and values above U+10FFFF are
// dropped whole, and encoded surrogates are kept as code units.
const char* decodeUtf8(const char* p, const char* end, std::u16string& out) {
  const unsigned char lead = static_cast<unsigned char>(*p++);
  int extra = 0;
  if (lead >= 0xC2 && lead <= 0xDF) extra = 1;
  else if (lead >= 0xE0 && lead <= 0xEF) extra = 2;
  else if (lead >= 0xF0 && lead <= 0xF4) extra = 3;
  else return p;
  static constexpr unsigned char leadMask[4] = {0x7F, 0x1F, 0x0F, 0x07};
  static constexpr std::uint32_t minValue[4] = {0x0, 0x80, 0x800, 0x10000};
  std::uint32_t value = lead & leadMask[extra];
  for (int i = 0; i < extra; ++i) {
    // parse_strW reads the NUL that ends its C string here; our views end instead.
    if (p == end) return p;
    const unsigned char next = static_cast<unsigned char>(*p) ^ 0x80;
    if (next >= 0x40) return p;
    value = (value << 6) | next;
    ++p;
  }
  if (value < minValue[extra] || value > 0x10FFFF) return p;
  if (value <= 0xFFFF) {
    out.push_back(static_cast<char16_t>(value));
  } else {
    value -= 0x10000;
    out.push_back(static_cast<char16_t>(0xD800 | (value >> 10)));
    out.push_back(static_cast<char16_t>(0xDC00 | (value & 0x3FF)));
  }
  return p;
}

constexpr std::uint64_t kEveryByte = 0x0101010101010101, kHighBits = 0x8080808080808080;

// A high bit in each byte of `word` that may be zero: exact for the lowest zero byte, which is all that matters
// here (a borrow can only mark bytes above a true zero).
std::uint64_t zeroBytes(std::uint64_t word) { return (word - kEveryByte) & ~word & kHighBits; }

// A high bit in each byte of `word` below 0x20 (NUL included) or at or above 0x80, exact for the lowest such byte as
// zeroBytes is.
std::uint64_t controlOrHighBytes(std::uint64_t word) {
  return ((word - kEveryByte * 0x20) & ~word & kHighBits) | (word & kHighBits);
}

// Skips plain printable ASCII (no control, no byte >= 0x80, `\`, nor either delimiter) eight bytes at a time, up to the
// first other byte when it is in a whole word (little-endian: the lowest marked byte); the byte loop in parse() does
// the rest.
const char* skipPlainWords(const char* p, const char* end, std::uint64_t delimiterWord, std::uint64_t openWord) {
  constexpr std::uint64_t backslashes = kEveryByte * '\\';
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t stops = controlOrHighBytes(word) | zeroBytes(word ^ backslashes) |
                                zeroBytes(word ^ delimiterWord) | zeroBytes(word ^ openWord);
    if (stops != 0) {
      if constexpr (std::endian::native == std::endian::little) p += std::countr_zero(stops) / 8;
      break;
    }
    p += 8;
  }
  return p;
}

// endChar < 0: no delimiter, the end of the text is a normal end.
// `open`: the context's other delimiter, or -1. `asWritten`, when given, is cleared when the text is not exactly what
// appendEscaped writes for the units read: a control or byte above 127 as it is, the other delimiter unescaped, or
// any escape but `\\\\` and `\\` before the end delimiter.
std::size_t parse(std::string_view text, int endChar, std::u16string& out, int open = -1, bool* asWritten = nullptr) {
  const char* p = text.data();
  const char* const end = p + text.size();
  // Without a delimiter, `\\` stands in: it stops the word scan anyway.
  const std::uint64_t delimiterWord = kEveryByte * std::uint64_t(endChar < 0 ? '\\' : endChar);
  const std::uint64_t openWord = open < 0 ? delimiterWord : kEveryByte * std::uint64_t(open);
  while (p < end) {
    // Plain printable ASCII is most of every file: copy it without the checks below.
    const char* plain = skipPlainWords(p, end, delimiterWord, openWord);
    while (plain < end && unsigned(static_cast<unsigned char>(*plain)) - 32 <= 127 - 32 && *plain != '\\' &&
           int(static_cast<unsigned char>(*plain)) != endChar && int(static_cast<unsigned char>(*plain)) != open) {
      ++plain;
    }
    if (plain != p) {
      const std::size_t at = out.size();
      out.resize(at + std::size_t(plain - p));
      for (char16_t* d = out.data() + at; p < plain; ++p, ++d) *d = static_cast<char16_t>(*p);
      if (p == end) break;
    }
    const unsigned char c = static_cast<unsigned char>(*p);
    if (int(c) == endChar) return std::size_t(p + 1 - text.data());
    if (c == 0) return std::string_view::npos;
    if (c == '\\') {
      ++p;
      if (p == end || *p == '\0') return std::string_view::npos;
      if (asWritten && *p != '\\' && int(static_cast<unsigned char>(*p)) != endChar) *asWritten = false;
      switch (*p) {
      case 'a':
        out.push_back(u'\a');
        ++p;
        continue;
      case 'b':
        out.push_back(u'\b');
        ++p;
        continue;
      case 'e':
        out.push_back(u'\x1b');
        ++p;
        continue;
      case 'f':
        out.push_back(u'\f');
        ++p;
        continue;
      case 'n':
        out.push_back(u'\n');
        ++p;
        continue;
      case 'r':
        out.push_back(u'\r');
        ++p;
        continue;
      case 't':
        out.push_back(u'\t');
        ++p;
        continue;
      case 'v':
        out.push_back(u'\v');
        ++p;
        continue;
      case 'x': {
        ++p;
        if (p == end || !isAsciiHexDigit(static_cast<unsigned char>(*p))) {
          out.push_back(u'x');
          continue;
        }
        unsigned value = 0;
        for (int i = 0; i < 4 && p < end && isAsciiHexDigit(static_cast<unsigned char>(*p)); ++i, ++p) {
          value = value * 16 + hexValue(static_cast<unsigned char>(*p));
        }
        out.push_back(static_cast<char16_t>(value));
        continue;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        unsigned value = unsigned(*p++ - '0');
        for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; ++i, ++p) value = value * 8 + unsigned(*p - '0');
        out.push_back(static_cast<char16_t>(value));
        continue;
      }
      default: break; // any other escaped character stands for itself
      }
    }
    // A control, a byte above 127 or the other delimiter, as it stands (or the character an escape stood for).
    if (asWritten && c != '\\') *asWritten = false;
    if (static_cast<unsigned char>(*p) < 0x80) {
      out.push_back(static_cast<char16_t>(*p++));
    } else {
      p = decodeUtf8(p, end, out);
    }
  }
  return endChar < 0 ? text.size() : std::string_view::npos;
}

} // namespace

void appendEscaped(std::string& out, std::u16string_view units, char delimiter1, char delimiter2) {
  // dump_strW's C escapes for 7-13 and 27; the other controls are octal.
  static constexpr char cEscapes[33] = ".......abtnvfr.............e....";
  const std::size_t n = units.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Plain printable ASCII is most of every name and string: copy a run of it at once.
    std::size_t plainEnd = i;
    while (plainEnd < n && units[plainEnd] >= 32 && units[plainEnd] <= 127 && units[plainEnd] != u'\\' &&
           units[plainEnd] != char16_t(delimiter1) && units[plainEnd] != char16_t(delimiter2))
      ++plainEnd;
    if (plainEnd != i) {
      const std::size_t at = out.size();
      out.resize(at + (plainEnd - i));
      for (char* d = out.data() + at; i < plainEnd; ++i, ++d) *d = static_cast<char>(units[i]);
      if (i == n) break;
    }
    const char16_t c = units[i];
    if (c > 127) {
      const bool nextIsHex = i + 1 < n && units[i + 1] < 128 && isAsciiHexDigit(units[i + 1]);
      appendHexEscape(out, c, nextIsHex);
      continue;
    }
    if (c < 32) {
      out.push_back('\\');
      if (cEscapes[c] != '.') {
        out.push_back(cEscapes[c]);
      } else if (i + 1 < n && units[i + 1] >= u'0' && units[i + 1] <= u'7') {
        // `\%03o`: three digits, so the next digit is not read as part of the escape.
        out.push_back('0');
        out.push_back(char('0' + (c >> 3)));
        out.push_back(char('0' + (c & 7)));
      } else {
        if (c >= 8) out.push_back(char('0' + (c >> 3)));
        out.push_back(char('0' + (c & 7)));
      }
      continue;
    }
    const char ascii = static_cast<char>(c);
    if (ascii == '\\' || ascii == delimiter1 || ascii == delimiter2) out.push_back('\\');
    out.push_back(ascii);
  }
}

std::size_t parseEscaped(std::string_view text, char endChar, std::u16string& out) {
  return parse(text, static_cast<unsigned char>(endChar), out);
}

std::size_t parseEscaped(std::string_view text, char open, char endChar, std::u16string& out, bool& asWritten) {
  asWritten = true;
  return parse(text, static_cast<unsigned char>(endChar), out, static_cast<unsigned char>(open), &asWritten);
}

void parseEscapedToEnd(std::string_view text, std::u16string& out) { parse(text, -1, out); }

} // namespace regbridge::hive
