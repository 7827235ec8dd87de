// A KeyPath as Win32 calls take it: the predefined root key, the names in UTF-16, the view flag; and the opening
// and creating of such a path.
#pragma once

#include <string>
#include <vector>

#include "registry/KeyPath.h"

#include <windows.h>

namespace regbridge::win {

struct WidePath {
  HKEY root = nullptr;
  std::vector<std::wstring> parts;
  REGSAM view = 0;        // 0, KEY_WOW64_64KEY or KEY_WOW64_32KEY: added to every access mask
  std::wstring canonical; // `HKEY_CURRENT_USER\SOFTWARE\X`, upper-cased: one spelling per key, for caches and locks
};

// KeyPath::parse has checked the names (WTF-8, no NUL, Windows' length limits).
WidePath widePath(const KeyPath& path);

// Windows' own case folding of a name (the registry compares names case-insensitively), for `canonical`.
std::wstring upperCase(std::wstring_view text);

// RegOpenKeyExW / RegCreateKeyExW over the whole path; the Win32 status. `openLink`: the last key, if it is a
// symbolic link, is opened itself (REG_OPTION_OPEN_LINK). `access` gets the view flag added. Creating makes every
// missing key on the way, as `reg add` does.
LONG openKeyPath(const WidePath& path, REGSAM access, bool openLink, HKEY* out);
LONG createKeyPath(const WidePath& path, REGSAM access, HKEY* out);

} // namespace regbridge::win
