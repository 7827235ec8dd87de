// A parsed, validated `HIVE\sub\key` path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace regbridge {

enum class Hive { LocalMachine, CurrentUser, ClassesRoot, Users, CurrentConfig };

// Windows' limits (RegCreateKeyEx documentation).
inline constexpr std::size_t kMaxKeyNameLength = 255;     // UTF-16 code units per key name
inline constexpr std::size_t kMaxValueNameLength = 16383; // UTF-16 code units per value name
inline constexpr std::size_t kMaxKeyDepth = 512;

struct KeyPath {
  Hive hive;
  std::vector<std::string> parts; // UTF-8, case as written; never empty strings
  std::string original;           // the caller's text, for error messages

  // Throws RegistryError(InvalidPath) naming what is wrong. Accepts full and short hive names, any case; empty
  // parts from doubled or trailing backslashes are an error (Windows rejects them too), `/` is an ordinary character.
  static KeyPath parse(std::string_view text);

  // `HKEY_CURRENT_USER\Software\X`: the canonical full hive name and the parts as written.
  std::string toString() const;
};

std::string_view hiveName(Hive hive);

// Throws RegistryError(InvalidArgument) when a value name is longer than Windows allows.
void validateValueName(std::string_view name, const std::string& key);

// Number of UTF-16 code units the UTF-8 text takes (Windows' limits count those).
std::size_t utf16Length(std::string_view utf8);

} // namespace regbridge
