#include "registry/KeyPath.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "registry/Error.h"
#include "registry/Unicode.h"

namespace regbridge {

namespace {

struct HiveSpelling {
  std::string_view full;
  std::string_view shortName;
  Hive hive;
};

constexpr std::array<HiveSpelling, 5> kHives{{
    {"HKEY_LOCAL_MACHINE", "HKLM", Hive::LocalMachine},
    {"HKEY_CURRENT_USER", "HKCU", Hive::CurrentUser},
    {"HKEY_CLASSES_ROOT", "HKCR", Hive::ClassesRoot},
    {"HKEY_USERS", "HKU", Hive::Users},
    {"HKEY_CURRENT_CONFIG", "HKCC", Hive::CurrentConfig},
}};

// Hive names are ASCII; libc's tolower would consult the locale for every character.
char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// `b` is upper-case ASCII.
bool equalsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  return true;
}

[[noreturn]] void invalid(std::string_view text, const std::string& why) {
  // what() is read as a C string: a NUL in the quoted path would cut the message short.
  std::string shown;
  for (char c : text) c == '\0' ? shown += "\\0" : shown += c;
  throw RegistryError(ErrorCode::InvalidPath, "invalid key path '" + shown + "': " + why, std::string(text));
}

// The first `count` code points, never cutting a UTF-8 sequence in half (a cut one would show as U+FFFD in JS).
std::string_view leadingCodePoints(std::string_view utf8, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t seen = 0; end < utf8.size(); ++end) {
    if ((static_cast<unsigned char>(utf8[end]) & 0xC0) != 0x80 && seen++ == count) break;
  }
  return utf8.substr(0, end);
}

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowBits = 0x7F7F7F7F7F7F7F7FULL;

std::uint64_t load8(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

// The high bit of each byte of `word` that is zero, and no other bit (exact, unlike the shorter test).
std::uint64_t zeroBytes(std::uint64_t word) { return ~(((word & kLowBits) + kLowBits) | word | kLowBits); }

// std::string_view::find('\\') without a call to memchr: parts are a few bytes long, and the call was a tenth of a
// path parse.
std::size_t findBackslash(std::string_view text, std::size_t from) {
  std::size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    if (const std::uint64_t hits = zeroBytes(load8(text.data() + i) ^ 0x5C5C5C5C5C5C5C5CULL))
      return i +
             std::size_t(std::endian::native == std::endian::little ? std::countr_zero(hits) : std::countl_zero(hits)) /
                 8;
  }
  for (; i < text.size(); ++i)
    if (text[i] == '\\') return i;
  return std::string_view::npos;
}

} // namespace

PathParts& PathParts::operator=(const PathParts& other) {
  if (this == &other) return *this;
  size_ = other.size_;
  overflow_ = other.overflow_;
  std::copy(other.inline_, other.inline_ + kInline, inline_);
  return *this;
}

void PathParts::push_back(std::string_view part) {
  if (size_ < kInline) {
    inline_[size_++] = part;
    return;
  }
  if (size_ == kInline) overflow_.assign(inline_, inline_ + kInline);
  overflow_.push_back(part);
  ++size_;
}

std::size_t utf16Length(std::string_view utf8) {
  std::size_t units = 0;
  // ASCII (nearly every name) has as many units as bytes: count eight bytes at a time until the first non-ASCII.
  std::size_t i = 0;
  for (; i + 8 <= utf8.size(); i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, utf8.data() + i, 8);
    if (chunk & 0x8080808080808080ULL) break;
  }
  units = i;
  utf8.remove_prefix(i);
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++units; // a lead byte starts a code point
    if ((c & 0xF8) == 0xF0) ++units; // four-byte sequences are surrogate pairs
  }
  return units;
}

KeyPath KeyPath::parse(std::string_view text) {
  if (text.empty()) invalid(text, "the path is empty; it must start with a hive such as HKCU or HKEY_LOCAL_MACHINE");

  // One pass finds the backslashes and notes whether anything is not ASCII; only then are the slower UTF-8 checks
  // needed. This runs on every call, so it matters at the scale of a few nanoseconds.
  // Eight bytes at a time: a NUL or a byte past ASCII in any of them sends that word to the byte loop.
  bool ascii = true;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    const std::uint64_t word = load8(text.data() + i);
    if ((word & kHighBits) || zeroBytes(word)) break;
  }
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    if (c == '\0') invalid(text, "the path contains a NUL character");
  }
  if (!ascii && !isValidUtf8(text)) invalid(text, "the path is not valid UTF-8");
  const std::size_t slash = findBackslash(text, 0);

  std::string_view hiveText = text.substr(0, slash);
  const HiveSpelling* hive = nullptr;
  for (const auto& h : kHives) {
    if (equalsAsciiNoCase(hiveText, h.shortName) || equalsAsciiNoCase(hiveText, h.full)) {
      hive = &h;
      break;
    }
  }
  if (!hive)
    invalid(text, "unknown hive '" + std::string(hiveText) +
                      "' (expected HKEY_LOCAL_MACHINE/HKLM, HKEY_CURRENT_USER/HKCU, HKEY_CLASSES_ROOT/HKCR, "
                      "HKEY_USERS/HKU or HKEY_CURRENT_CONFIG/HKCC)");

  KeyPath path{hive->hive, {}, text};
  if (slash == std::string_view::npos) return path;

  std::string_view rest = text.substr(slash + 1);
  // A single trailing backslash after the hive ("HKCU\") is common in copied paths and means the hive itself.
  if (rest.empty()) return path;
  std::size_t start = 0;
  while (true) {
    std::size_t end = findBackslash(rest, start);
    std::string_view part = rest.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty())
      invalid(text, end == std::string_view::npos ? "it ends with a backslash"
                                                  : "it has an empty key name (two backslashes in a row)");
    std::size_t length = ascii ? part.size() : utf16Length(part);
    if (length > kMaxKeyNameLength)
      invalid(text, "the key name '" + std::string(leadingCodePoints(part, 40)) + "...' is " + std::to_string(length) +
                        " characters long; the limit is " + std::to_string(kMaxKeyNameLength));
    path.parts.push_back(part);
    if (path.parts.size() > kMaxKeyDepth)
      invalid(text, "it is more than " + std::to_string(kMaxKeyDepth) + " levels deep");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return path;
}

std::string_view hiveName(Hive hive) {
  for (const auto& h : kHives)
    if (h.hive == hive) return h.full;
  return "";
}

std::string KeyPath::toString() const {
  std::string out(hiveName(hive));
  for (const auto& part : parts) {
    out += '\\';
    out += part;
  }
  return out;
}

void validateValueName(std::string_view name, std::string_view key) {
  bool valid = isValidUtf8(name);
  // A name never has more UTF-16 units than UTF-8 bytes, so short names need no counting.
  if (valid && name.size() <= kMaxValueNameLength) return;
  if (!valid)
    throw RegistryError(ErrorCode::InvalidArgument, "the value name is not valid UTF-8", std::string(key),
                        std::string(name));
  std::size_t length = utf16Length(name);
  if (length > kMaxValueNameLength)
    throw RegistryError(ErrorCode::InvalidArgument,
                        "the value name is " + std::to_string(length) + " characters long; the limit is " +
                            std::to_string(kMaxValueNameLength),
                        std::string(key), std::string(name.substr(0, 64)));
}

} // namespace regbridge
