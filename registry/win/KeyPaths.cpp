#include "registry/win/KeyPaths.h"

#include <algorithm>

#include "registry/win/WideText.h"

namespace regbridge::win {

namespace {

// "A registry tree can be 512 levels deep. You can create up to 32 levels at a time through a single registry API
// call" (Windows' "Structure of the Registry"). A path is also one counted UNICODE_STRING in the kernel, at most
// 32,767 code units, while KeyPath allows 512 names of 255. So paths are opened and created 32 names at a time,
// each step relative to the key the last one opened: every path KeyPath accepts can be reached.
constexpr std::size_t kNamesPerCall = 32;

HKEY rootKeyOf(Hive hive) {
  switch (hive) {
  case Hive::LocalMachine: return HKEY_LOCAL_MACHINE;
  case Hive::CurrentUser: return HKEY_CURRENT_USER;
  case Hive::ClassesRoot: return HKEY_CLASSES_ROOT;
  case Hive::Users: return HKEY_USERS;
  case Hive::CurrentConfig: return HKEY_CURRENT_CONFIG;
  }
  return HKEY_LOCAL_MACHINE;
}

REGSAM viewFlag(RegistryView view) {
  switch (view) {
  case RegistryView::Default: return 0;
  case RegistryView::Bits64: return KEY_WOW64_64KEY;
  case RegistryView::Bits32: return KEY_WOW64_32KEY;
  }
  return 0;
}

std::wstring joined(const WidePath& path, std::size_t begin, std::size_t end) {
  std::wstring text;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) text += L'\\';
    text += path.parts[i];
  }
  return text;
}

// Opens or creates the path step by step. Keys on the way are opened with `stepAccess` only (enough to go on from
// them), the last with `access`; only the last gets `lastOptions` (REG_OPTION_OPEN_LINK applies to the key named).
template <class Step> LONG walk(const WidePath& path, REGSAM stepAccess, REGSAM access, HKEY* out, Step step) {
  HKEY current = path.root;
  std::size_t begin = 0;
  do {
    const std::size_t end = std::min(path.parts.size(), begin + kNamesPerCall);
    const bool last = end == path.parts.size();
    HKEY next = nullptr;
    // An empty name opens a new handle to the root itself, which (unlike the predefined HKEY) is ours to cache and
    // close, and is opened in the asked view.
    const LONG status = step(current, joined(path, begin, end), (last ? access : stepAccess) | path.view, last, &next);
    if (current != path.root) RegCloseKey(current);
    if (status != ERROR_SUCCESS) return status;
    current = next;
    begin = end;
  } while (begin < path.parts.size());
  *out = current;
  return ERROR_SUCCESS;
}

} // namespace

std::wstring upperCase(std::wstring_view text) {
  std::wstring out(text);
  bool ascii = true;
  for (wchar_t& c : out) {
    if (c >= L'a' && c <= L'z') c = static_cast<wchar_t>(c - L'a' + L'A');
    else if (c >= 0x80) ascii = false;
  }
  if (ascii || out.empty()) return out;
  // The invariant locale's upper case is the system table the registry's own comparisons use. Should it refuse
  // the text (it need not accept lone surrogates), the ASCII folding above still gives one spelling per input.
  std::wstring mapped(out.size(), L'\0');
  const int length = LCMapStringEx(LOCALE_NAME_INVARIANT, LCMAP_UPPERCASE, out.data(), static_cast<int>(out.size()),
                                   mapped.data(), static_cast<int>(mapped.size()), nullptr, nullptr, 0);
  if (length == static_cast<int>(mapped.size())) return mapped;
  return out;
}

WidePath widePath(const KeyPath& path) {
  WidePath wide;
  wide.root = rootKeyOf(path.hive);
  wide.view = viewFlag(path.view);
  wide.parts.reserve(path.parts.size());
  std::wstring text(hiveName(path.hive).begin(), hiveName(path.hive).end());
  for (std::string_view part : path.parts) {
    wide.parts.push_back(wideFromUtf8(part).value_or(std::wstring()));
    text += L'\\';
    text += wide.parts.back();
  }
  wide.canonical = upperCase(text);
  return wide;
}

LONG openKeyPath(const WidePath& path, REGSAM access, bool openLink, HKEY* out) {
  return walk(path, KEY_ENUMERATE_SUB_KEYS, access, out,
              [&](HKEY from, const std::wstring& names, REGSAM mask, bool last, HKEY* next) {
                const DWORD options = last && openLink ? REG_OPTION_OPEN_LINK : 0;
                return RegOpenKeyExW(from, names.c_str(), options, mask, next);
              });
}

LONG createKeyPath(const WidePath& path, REGSAM access, HKEY* out) {
  return walk(
      path, KEY_CREATE_SUB_KEY, access, out, [](HKEY from, const std::wstring& names, REGSAM mask, bool, HKEY* next) {
        return RegCreateKeyExW(from, names.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE, mask, nullptr, next, nullptr);
      });
}

} // namespace regbridge::win
