#include "registry/win/WideText.h"

#include "registry/Unicode.h"

namespace regbridge::win {

std::optional<std::wstring> wideFromUtf8(std::string_view utf8) {
  auto units = utf8ToUtf16(utf8);
  if (!units) return std::nullopt;
  return std::wstring(units->begin(), units->end());
}

std::string utf8FromWide(std::wstring_view wide) {
  // Same size and representation (checked in the header): the code units are read in place.
  return utf16ToUtf8(std::u16string_view(reinterpret_cast<const char16_t*>(wide.data()), wide.size()));
}

} // namespace regbridge::win
