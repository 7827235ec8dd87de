#include "registry/win/KeyDelete.h"

#include <string>

namespace regbridge::win {

namespace {

using NtDeleteKeyFn = LONG(WINAPI*)(HANDLE);
using RtlNtStatusToDosErrorFn = ULONG(WINAPI*)(LONG);

struct NtFunctions {
  NtDeleteKeyFn deleteKey = nullptr;
  RtlNtStatusToDosErrorFn toDosError = nullptr;
};

// ntdll is in every process; its registry functions have no import library in every toolchain, so they are looked
// up once.
const NtFunctions& ntFunctions() {
  static const NtFunctions functions = [] {
    NtFunctions f;
    if (HMODULE ntdll = GetModuleHandleW(L"ntdll.dll")) {
      f.deleteKey = reinterpret_cast<NtDeleteKeyFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "NtDeleteKey")));
      f.toDosError = reinterpret_cast<RtlNtStatusToDosErrorFn>(
          reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlNtStatusToDosError")));
    }
    return f;
  }();
  return functions;
}

} // namespace

LONG deleteOpenedKey(HKEY key) {
  const NtFunctions& nt = ntFunctions();
  if (!nt.deleteKey || !nt.toDosError) return ERROR_PROC_NOT_FOUND;
  return static_cast<LONG>(nt.toDosError(nt.deleteKey(key)));
}

LONG deleteSubkeys(HKEY key, REGSAM view) {
  std::wstring name(256, L'\0');
  while (true) {
    // Always the first subkey: each one found is deleted before the next look.
    DWORD length = static_cast<DWORD>(name.size());
    LONG status = RegEnumKeyExW(key, 0, name.data(), &length, nullptr, nullptr, nullptr, nullptr);
    if (status == ERROR_NO_MORE_ITEMS) return ERROR_SUCCESS;
    if (status == ERROR_MORE_DATA) {
      name.resize(name.size() * 2);
      continue;
    }
    if (status != ERROR_SUCCESS) return status;
    HKEY child = nullptr;
    status = RegOpenKeyExW(key, std::wstring(name.data(), length).c_str(), REG_OPTION_OPEN_LINK, kDeleteAccess | view,
                           &child);
    if (status != ERROR_SUCCESS) return status;
    status = deleteSubkeys(child, view);
    if (status == ERROR_SUCCESS) status = deleteOpenedKey(child);
    RegCloseKey(child);
    if (status != ERROR_SUCCESS) return status;
  }
}

} // namespace regbridge::win
