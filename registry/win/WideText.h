// The core's WTF-8 strings <-> the wchar_t strings of Win32 calls. Only a thin layer over registry/Unicode.h, the
// project's one converter, so that a lone surrogate in a registry name or string survives the trip both ways.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regbridge::win {

// mingw and MSVC alike: wchar_t is one UTF-16 code unit on Windows.
static_assert(sizeof(wchar_t) == sizeof(char16_t), "wchar_t must be a UTF-16 code unit");

// nullopt when `utf8` is not WTF-8.
std::optional<std::wstring> wideFromUtf8(std::string_view utf8);

std::string utf8FromWide(std::wstring_view wide);

} // namespace regbridge::win
