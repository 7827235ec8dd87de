// A parsed, validated `HIVE\sub\key` path.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regbridge {

enum class Hive { LocalMachine, CurrentUser, ClassesRoot, Users, CurrentConfig };

// Which of 64-bit Windows' two registry views a path is opened in (KEY_WOW64_64KEY / KEY_WOW64_32KEY): a 32-bit
// program's HKLM\Software is HKLM\Software\Wow6432Node of the 64-bit view. `Default` is the calling process's own
// view; the hive store stands for a 64-bit Windows, so there it is the 64-bit one.
enum class RegistryView : unsigned char { Default, Bits64, Bits32 };

// Windows' limits (RegCreateKeyEx documentation).
inline constexpr std::size_t kMaxKeyNameLength = 255;     // UTF-16 code units per key name
inline constexpr std::size_t kMaxValueNameLength = 16383; // UTF-16 code units per value name
inline constexpr std::size_t kMaxKeyDepth = 512;

// The parts of a path, kept inline up to a depth that covers nearly every real key, so that parsing a path
// allocates nothing: parsing sits on the hot path of every in-process call.
class PathParts {
public:
  PathParts() = default;
  PathParts(const PathParts& other) { *this = other; }
  PathParts& operator=(const PathParts& other);

  void push_back(std::string_view part);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::string_view* begin() const { return data(); }
  const std::string_view* end() const { return data() + size_; }
  const std::string_view& operator[](std::size_t i) const { return data()[i]; }
  const std::string_view& front() const { return data()[0]; }
  const std::string_view& back() const { return data()[size_ - 1]; }
  operator std::span<const std::string_view>() const { return {data(), size_}; }

private:
  static constexpr std::size_t kInline = 16;
  const std::string_view* data() const { return size_ <= kInline ? inline_ : overflow_.data(); }
  std::string_view inline_[kInline];
  std::vector<std::string_view> overflow_; // all parts, once there are more than kInline
  std::size_t size_ = 0;
};

// Views into the text it was parsed from: that text must outlive the KeyPath (operations parse their params'
// strings, which live for the whole call).
struct KeyPath {
  Hive hive;
  PathParts parts;                           // UTF-8, case as written; never empty strings
  std::string_view original;                 // the caller's text, for error messages
  RegistryView view = RegistryView::Default; // from the call's options; parse() leaves it Default

  // Throws RegistryError(InvalidPath) naming what is wrong. Accepts full and short hive names, any case; empty
  // parts from doubled or trailing backslashes are an error (Windows rejects them too), `/` is an ordinary character.
  static KeyPath parse(std::string_view text);

  // `HKEY_CURRENT_USER\Software\X`: the canonical full hive name and the parts as written.
  std::string toString() const;
};

std::string_view hiveName(Hive hive);

// Throws RegistryError(InvalidArgument) when a value name is longer than Windows allows.
void validateValueName(std::string_view name, std::string_view key);

// Number of UTF-16 code units the UTF-8 text takes (Windows' limits count those).
std::size_t utf16Length(std::string_view utf8);

} // namespace regbridge
