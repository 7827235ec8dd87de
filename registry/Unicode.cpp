#include "registry/Unicode.h"

#include <cstdint>
#include <cstring>

namespace regbridge {

namespace {

bool isHighSurrogate(std::uint32_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool isLowSurrogate(std::uint32_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// Decodes the multi-byte sequence whose lead byte `lead` was just read (p points past it); advances p. Overlong forms
// and values past U+10FFFF are errors (-1); surrogates are values like any other here (WTF-8), the callers check
// that a high one is not followed by a low one.
std::int32_t decodeSequence(std::uint32_t lead, const unsigned char*& p, const unsigned char* end) {
  int extra;
  std::uint32_t min, c;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, min = 0x80, c = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, min = 0x800, c = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, min = 0x10000, c = lead & 0x07;
  } else {
    return -1;
  }
  if (end - p < extra) return -1;
  for (int i = 0; i < extra; ++i) {
    if ((p[i] & 0xC0) != 0x80) return -1;
    c = (c << 6) | (p[i] & 0x3F);
  }
  p += extra;
  if (c < min || c > 0x10FFFF) return -1;
  return static_cast<std::int32_t>(c);
}

// Writes one code point (a lone surrogate included) at `o`; returns the end.
char* putUtf8(char* o, std::uint32_t c) {
  if (c < 0x80) {
    *o++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *o++ = static_cast<char>(0xC0 | (c >> 6));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (c >> 12));
    *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (c >> 18));
    *o++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return o;
}

// UTF-16 code units, read by `unit(i)`, to WTF-8 in `out`. Registry strings are mostly ASCII: the result is sized for
// that and such units are copied without decoding; the rest is written into room for the worst case (three bytes a
// unit; a pair takes four for two) and trimmed.
template <class Unit> void wtf8FromUnits(std::string& out, std::size_t count, Unit unit) {
  out.resize(count);
  char* o = out.data();
  std::size_t i = 0;
  // Blocks of 16 units with no early exit inside, which the compiler vectorises (long REG_SZ data, JS strings).
  constexpr std::size_t kBlock = 16;
  for (; i + kBlock <= count; i += kBlock) {
    char16_t all = 0;
    for (std::size_t j = 0; j < kBlock; ++j) all |= unit(i + j);
    if (all >= 0x80) break;
    for (std::size_t j = 0; j < kBlock; ++j) o[i + j] = static_cast<char>(unit(i + j));
  }
  for (; i < count; ++i) {
    const char16_t c = unit(i);
    if (c >= 0x80) break;
    o[i] = static_cast<char>(c);
  }
  if (i == count) return;
  out.resize(i + 3 * (count - i));
  char* const begin = out.data();
  o = begin + i;
  for (; i < count; ++i) {
    std::uint32_t c = unit(i);
    if (isHighSurrogate(c) && i + 1 < count && isLowSurrogate(unit(i + 1))) {
      c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 1) - 0xDC00);
      ++i;
    }
    o = putUtf8(o, c);
  }
  out.resize(static_cast<std::size_t>(o - begin));
}

} // namespace

bool isValidUtf8(std::string_view wtf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(wtf8.data());
  const auto* end = p + wtf8.size();
  bool afterHigh = false; // the last code point was a high surrogate: a low one may not follow
  while (p < end) {
    // Key paths and value names are nearly always ASCII: skip it eight bytes at a time.
    while (end - p >= 8) {
      std::uint64_t chunk;
      std::memcpy(&chunk, p, 8);
      if (chunk & 0x8080808080808080ULL) break;
      p += 8;
      afterHigh = false;
    }
    if (p == end) break;
    std::uint32_t lead = *p++;
    if (lead < 0x80) {
      afterHigh = false;
      continue;
    }
    std::int32_t c = decodeSequence(lead, p, end);
    if (c < 0 || (afterHigh && isLowSurrogate(static_cast<std::uint32_t>(c)))) return false;
    afterHigh = isHighSurrogate(static_cast<std::uint32_t>(c));
  }
  return true;
}

std::optional<std::u16string> utf8ToUtf16(std::string_view wtf8) {
  std::u16string out;
  out.reserve(wtf8.size());
  const auto* p = reinterpret_cast<const unsigned char*>(wtf8.data());
  const auto* end = p + wtf8.size();
  bool afterHigh = false;
  while (p < end) {
    std::uint32_t lead = *p++;
    if (lead < 0x80) {
      out.push_back(static_cast<char16_t>(lead));
      afterHigh = false;
      continue;
    }
    std::int32_t decoded = decodeSequence(lead, p, end);
    if (decoded < 0) return std::nullopt;
    auto c = static_cast<std::uint32_t>(decoded);
    if (afterHigh && isLowSurrogate(c)) return std::nullopt;
    afterHigh = isHighSurrogate(c);
    if (c >= 0x10000) {
      c -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (c >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
  }
  return out;
}

void utf16ToUtf8(std::string& out, std::u16string_view s) {
  wtf8FromUnits(out, s.size(), [s](std::size_t i) { return s[i]; });
}

std::string utf16ToUtf8(std::u16string_view s) {
  std::string out;
  utf16ToUtf8(out, s);
  return out;
}

void utf8FromUtf16Le(std::string& out, const unsigned char* data, std::size_t byteCount) {
  wtf8FromUnits(out, byteCount / 2,
                [data](std::size_t i) { return static_cast<char16_t>(data[2 * i] | (data[2 * i + 1] << 8)); });
}

std::int32_t decodeUtf8Sequence(const unsigned char*& p, const unsigned char* end) {
  const unsigned char* q = p + 1;
  std::int32_t c = decodeSequence(*p, q, end);
  if (c >= 0) p = q;
  return c;
}

bool hasLoneSurrogate(std::string_view wtf8) {
  // In UTF-8, 0xED leads U+D000..U+DFFF; a second byte from 0xA0 on is the upper half, the surrogates.
  if (wtf8.empty()) return false;
  const char* p = wtf8.data();
  const char* const end = p + wtf8.size();
  while (const void* found = std::memchr(p, 0xED, static_cast<std::size_t>(end - p))) {
    p = static_cast<const char*>(found) + 1;
    if (p != end && static_cast<unsigned char>(*p) >= 0xA0) return true;
  }
  return false;
}

std::u16string codeUnitsFromLe(const unsigned char* data, std::size_t byteCount) {
  std::u16string out(byteCount / 2, u'\0');
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char16_t>(data[2 * i] | (data[2 * i + 1] << 8));
  return out;
}

void appendLe(std::vector<unsigned char>& out, std::u16string_view units) {
  for (char16_t u : units) {
    out.push_back(static_cast<unsigned char>(u & 0xFF));
    out.push_back(static_cast<unsigned char>(u >> 8));
  }
}

} // namespace regbridge
