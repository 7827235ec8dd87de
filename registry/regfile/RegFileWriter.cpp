#include "registry/regfile/RegFileWriter.h"

#include <algorithm>
#include <charconv>

#include "registry/Error.h"
#include "registry/Unicode.h"
#include "registry/Value.h"

namespace regbridge {
namespace {

// export.c's MAX_HEX_CHARS: once a line holds this many characters (counted as Wine counts them, in UTF-16 code
// units) after a byte's comma, the line breaks; so no line is longer than 79 characters plus the `\`.
constexpr std::size_t kMaxHexChars = 77;

// Escapes as export.c's escape_string: only `\`, `"`, CR and LF. The text ends at its first NUL, as a C string does
// there.
void appendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
    case '\0': return;
    case '\r': out += "\\r"; break;
    case '\n': out += "\\n"; break;
    case '\\': out += "\\\\"; break;
    case '"': out += "\\\""; break;
    default: out += c;
    }
  }
}

// Writes `"name"=` or `@=` and returns its length in UTF-16 code units, where the hex wrapping starts counting.
std::size_t appendName(std::string& out, std::string_view name) {
  const std::size_t start = out.size();
  out += '"';
  appendEscaped(out, name);
  if (out.size() == start + 1) { // empty, or starting with a NUL: Wine's test is `name && *name`
    out.resize(start);
    out += "@=";
    return 2;
  }
  out += "\"=";
  return utf16Length(std::string_view(out).substr(start));
}

// export.c's export_string_data: the data is taken as UTF-16 with a terminator, so its last code unit is dropped
// unread (a string stored without its NUL loses its last character, in Wine's export as here), and it ends at the
// first NUL. A single stray byte counts as no character.
void appendStringData(std::string& out, std::span<const std::uint8_t> data) {
  std::size_t units = data.size() / 2;
  units = units == 0 ? 0 : units - 1;
  std::u16string text = codeUnitsFromLe(data.data(), units * 2);
  text.resize(std::min(text.size(), text.find(u'\0')));
  out += '"';
  appendEscaped(out, utf16ToUtf8(text));
  out += '"';
}

void appendHexByte(std::string& out, std::uint8_t byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0xF];
}

// export.c's export_hex_data, wrapping included.
void appendHexData(std::string& out, std::size_t lineLength, std::uint32_t type, std::span<const std::uint8_t> data) {
  const std::size_t tagStart = out.size();
  if (type == REG_BINARY) {
    out += "hex:";
  } else {
    char digits[8];
    const auto end = std::to_chars(digits, digits + sizeof digits, type, 16).ptr; // lowercase, as %x
    out += "hex(";
    out.append(digits, end);
    out += "):";
  }
  lineLength += out.size() - tagStart;
  for (std::size_t i = 0; i < data.size(); ++i) {
    appendHexByte(out, data[i]);
    if (i + 1 == data.size()) break;
    out += ',';
    lineLength += 3;
    if (lineLength >= kMaxHexChars) {
      out += "\\\r\n  ";
      lineLength = 2;
    }
  }
}

void appendDword(std::string& out, std::span<const std::uint8_t> data) {
  const std::uint32_t value = data[0] | (data[1] << 8) | (data[2] << 16) | (std::uint32_t{data[3]} << 24);
  out += "dword:";
  for (int shift = 28; shift >= 0; shift -= 4) {
    constexpr char kDigits[] = "0123456789abcdef";
    out += kDigits[(value >> shift) & 0xF];
  }
}

void exportKey(std::string& out, Backend& backend, const std::string& keyName, RegistryView view) {
  KeyPath path = KeyPath::parse(keyName);
  path.view = view;
  appendKeySection(out, keyName, backend.listValues(path, {}));
  for (const std::string& subkey : backend.listSubkeys(path, {})) {
    const std::string subkeyName = keyName + '\\' + subkey;
    try {
      exportKey(out, backend, subkeyName, view);
    } catch (const RegistryError& error) {
      // Gone between the listing and the visit (another writer): skipped, as export.c skips a subkey that
      // RegOpenKeyEx refuses. Any other error stops the export.
      if (error.code() != ErrorCode::KeyNotFound) throw;
      KeyPath subkeyPath = KeyPath::parse(subkeyName);
      subkeyPath.view = view;
      if (backend.keyExists(subkeyPath)) throw;
    }
  }
}

} // namespace

void appendValueLine(std::string& out, std::string_view name, std::uint32_t type, std::span<const std::uint8_t> data) {
  const std::size_t lineLength = appendName(out, name);
  if (type == REG_SZ) {
    appendStringData(out, data);
  } else if (type == REG_DWORD && data.size() == 4) {
    appendDword(out, data);
  } else {
    // A REG_DWORD of another size is written as hex(4): so that its bytes survive. (Wine writes hex(4): for an
    // empty one, as here, but reads four bytes for any other size: garbage for fewer, a loss for more.)
    appendHexData(out, lineLength, type, data);
  }
  out += "\r\n";
}

void appendKeySection(std::string& out, std::string_view keyName, std::span<const NamedRawValue> values) {
  out += "\r\n[";
  out += keyName;
  out += "]\r\n";
  for (const NamedRawValue& value : values) appendValueLine(out, value.name, value.type, value.data);
}

std::string exportRegFile(Backend& backend, const KeyPath& key) {
  std::string out(kRegFileHeader);
  exportKey(out, backend, key.toString(), key.view);
  out += "\r\n";
  return out;
}

} // namespace regbridge
