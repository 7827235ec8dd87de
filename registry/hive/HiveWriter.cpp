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

class Writer {
public:
  explicit Writer(std::string& out) : out_(out) {}

  void writeBranch(const HiveKey& base) { writeKey(base, true); }

private:
  // save_subkeys. `path_` holds the escaped path of `key` relative to the base, as dump_path writes it.
  void writeKey(const HiveKey& key, bool isBase) {
    if (key.isVolatile) return;
    // Keys with subkeys and nothing else of their own are written implicitly, by their subkeys' paths.
    if (!key.values().empty() || key.subkeys().empty() || key.className || key.isLink) {
      out_ += "\n[";
      out_ += path_;
      // The seconds are computed in signed 64 bits and truncated, as Wine does, even for times before 1970.
      const std::int64_t seconds = (std::int64_t(key.modified) - kTicks1601To1970) / kTicksPerSecond;
      out_ += "] ";
      appendDecimal(out_, std::uint32_t(seconds));
      out_ += "\n#time=";
      appendHex(out_, std::uint32_t(key.modified >> 32), 1);
      appendHex(out_, std::uint32_t(key.modified), 8);
      out_ += '\n';
      if (key.className) {
        out_ += "#class=\"";
        appendEscaped(out_, *key.className, '"', '"');
        out_ += "\"\n";
      }
      if (key.isLink) out_ += "#link\n";
      for (const HiveValue& value : key.values()) writeValue(value);
    }
    const std::size_t pathLength = path_.size();
    for (const auto& subkey : key.subkeys()) {
      if (!isBase) path_ += "\\\\";
      appendEscaped(path_, subkey->name(), '[', ']');
      writeKey(*subkey, false);
      path_.resize(pathLength);
    }
  }

  // dump_value.
  void writeValue(const HiveValue& value) {
    const std::size_t lineStart = out_.size();
    if (!value.name.empty()) {
      out_ += '"';
      appendEscaped(out_, value.name, '"', '"');
      out_ += "\"=";
    } else {
      out_ += "@=";
    }
    const std::vector<std::uint8_t>& data = value.data;
    switch (value.type) {
    case kRegSz:
    case kRegExpandSz:
    case kRegMultiSz:
      // Only a string that ends in a NUL code unit is written as a string: anything else would not read back.
      if (data.size() >= 2 && data.size() % 2 == 0 && data[data.size() - 2] == 0 && data[data.size() - 1] == 0) {
        if (value.type != kRegSz) {
          out_ += "str(";
          appendHex(out_, value.type, 1);
          out_ += "):";
        }
        out_ += '"';
        units_.resize(data.size() / 2 - 1);
        for (std::size_t i = 0; i < units_.size(); ++i) units_[i] = char16_t(data[2 * i] | (data[2 * i + 1] << 8));
        appendEscaped(out_, units_, '"', '"');
        out_ += "\"\n";
        return;
      }
      break;
    case kRegDword:
      if (data.size() == 4) {
        out_ += "dword:";
        appendHex(out_, std::uint32_t(data[0] | data[1] << 8 | data[2] << 16 | std::uint32_t(data[3]) << 24), 8);
        out_ += '\n';
        return;
      }
      break;
    }
    if (value.type == kRegBinary) {
      out_ += "hex:";
    } else {
      out_ += "hex(";
      appendHex(out_, value.type, 1);
      out_ += "):";
    }
    std::size_t count = out_.size() - lineStart;
    for (std::size_t i = 0; i < data.size(); ++i) {
      out_ += kHexDigits[data[i] >> 4];
      out_ += kHexDigits[data[i] & 0xF];
      count += 2;
      if (i + 1 < data.size()) {
        out_ += ',';
        if (++count > kHexLineLimit) {
          out_ += "\\\n  ";
          count = 2;
        }
      }
    }
    out_ += '\n';
  }

  std::string& out_;
  std::string path_;
  std::u16string units_;
};

// An upper bound of the text's size. Reserving it once saves the copies of a growing string, and the pages of
// the bound that stay unused are never touched.
std::size_t sizeBound(const HiveKey& key, std::size_t pathBound) {
  // An escape is at most 6 characters (`\x` and 4 digits) per code unit.
  std::size_t size = 64 + pathBound;
  if (key.className) size += 12 + 6 * key.className->size();
  for (const HiveValue& value : key.values()) {
    size += 24 + 6 * value.name.size() + 3 * value.data.size() + 4 * (value.data.size() / 24 + 1);
  }
  for (const auto& subkey : key.subkeys()) size += sizeBound(*subkey, pathBound + 2 + 6 * subkey->name().size());
  return size;
}

std::u16string utf16OrBytes(std::string_view text) {
  if (auto units = utf8ToUtf16(text)) return *std::move(units);
  return std::u16string(text.begin(), text.end());
}

} // namespace

std::string saveHive(const Hive& hive) {
  std::string out;
  out.reserve(hive.preamble.size() + sizeBound(hive.root, 0));
  out += hive.preamble;
  Writer(out).writeBranch(hive.root);
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
  hive.root.modified = std::uint64_t(since1970.count() / 100 + kTicks1601To1970);
  return hive;
}

} // namespace regbridge::hive
