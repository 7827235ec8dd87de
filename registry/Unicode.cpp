#include "registry/Unicode.h"

#include <cstdint>
#include <cstring>

namespace regbridge {

namespace {

// Decodes the multi-byte sequence whose lead byte `lead` was just read (p points past it); advances p. Strict:
// overlong forms, surrogates and values past U+10FFFF are errors (-1).
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
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
  return static_cast<std::int32_t>(c);
}

} // namespace

bool isValidUtf8(std::string_view utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    // Key paths and value names are nearly always ASCII: skip it eight bytes at a time.
    while (end - p >= 8) {
      std::uint64_t chunk;
      std::memcpy(&chunk, p, 8);
      if (chunk & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p == end) break;
    std::uint32_t lead = *p++;
    if (lead >= 0x80 && decodeSequence(lead, p, end) < 0) return false;
  }
  return true;
}

std::optional<std::u16string> utf8ToUtf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    std::uint32_t lead = *p++;
    if (lead < 0x80) {
      out.push_back(static_cast<char16_t>(lead));
      continue;
    }
    std::int32_t decoded = decodeSequence(lead, p, end);
    if (decoded < 0) return std::nullopt;
    auto c = static_cast<std::uint32_t>(decoded);
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

static void appendUtf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string utf16ToUtf8(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    appendUtf8(out, c);
  }
  return out;
}

bool isWellFormedUtf16(std::u16string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char16_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 >= s.size() || s[i + 1] < 0xDC00 || s[i + 1] > 0xDFFF) return false;
      ++i;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      return false;
    }
  }
  return true;
}

bool utf8FromUtf16Le(std::string& out, const unsigned char* data, std::size_t byteCount) {
  const std::size_t units = byteCount / 2;
  // Registry strings are mostly ASCII: size the result for that and copy such units without decoding.
  out.resize(units);
  char* o = out.data();
  std::size_t i = 0;
  for (; i < units; ++i) {
    unsigned char low = data[2 * i], high = data[2 * i + 1];
    if (high != 0 || low >= 0x80) break;
    o[i] = static_cast<char>(low);
  }
  if (i == units) return true;
  out.resize(i);
  out.reserve(i + 3 * (units - i));
  for (; i < units; ++i) {
    std::uint32_t c = data[2 * i] | (data[2 * i + 1] << 8);
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 >= units) return false;
      std::uint32_t low = data[2 * i + 2] | (data[2 * i + 3] << 8);
      if (low < 0xDC00 || low > 0xDFFF) return false;
      c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
      ++i;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      return false;
    }
    appendUtf8(out, c);
  }
  return true;
}

std::u16string codeUnitsFromLe(const unsigned char* data, std::size_t byteCount) {
  std::u16string out(byteCount / 2, u'\0');
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char16_t>(data[2 * i] | (data[2 * i + 1] << 8));
  return out;
}

void appendLe(std::vector<unsigned char>& out, std::u16string_view units) {
  for (char16_t u : units) {
    out.push_back(static_cast<unsigned char>(u & 0xFF));
    out.push_back(static_cast<unsigned char>(u >> 8));
  }
}

} // namespace regbridge
