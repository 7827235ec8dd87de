#include "registry/win/Win32Error.h"

#include "registry/win/WideText.h"

// After the core's headers: <windows.h> defines macros named like registry/Value.h's constants.
#include <windows.h>

namespace regbridge::win {

namespace {

bool concernsValue(Action action) { return action == Action::ReadValue || action == Action::DeleteValue; }

std::string verbFor(Action action, const std::string& key) {
  switch (action) {
  case Action::OpenKey:
  case Action::ReadKey:
  case Action::ReadValue: return "cannot read '" + key + "'";
  case Action::ChangeKey:
  case Action::WriteValue:
  case Action::DeleteValue: return "cannot change '" + key + "'";
  case Action::DeleteKey: return "cannot delete '" + key + "'";
  case Action::Flush: return "cannot flush the registry";
  }
  return "cannot use '" + key + "'";
}

// The hive store's words (HiveStore.cpp keyNotFound / valueNotFound), so that callers see one message per case
// whichever backend serves them.
std::string keyNotFoundMessage(const std::string& key) { return "the key '" + key + "' does not exist"; }

std::string valueNotFoundMessage(const std::string& key, const std::string& name) {
  return name.empty() ? "the key '" + key + "' has no default value"
                      : "the value '" + name + "' does not exist in '" + key + "'";
}

} // namespace

std::string systemMessage(std::int64_t status) {
  wchar_t* text = nullptr;
  const DWORD length =
      FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                     nullptr, static_cast<DWORD>(status), 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  std::string message;
  if (length && text) {
    std::wstring_view view(text, length);
    while (!view.empty() &&
           (view.back() == L'\r' || view.back() == L'\n' || view.back() == L' ' || view.back() == L'.'))
      view.remove_suffix(1);
    message = utf8FromWide(view);
  }
  if (text) LocalFree(text);
  if (message.empty()) message = "unknown error";
  return message + " (Windows error " + std::to_string(status) + ")";
}

RegistryError win32Error(std::int64_t status, Action action, std::string_view keyView, const std::string* valueName) {
  const std::string key(keyView);
  // As in the hive store, an error about the key names no value; one that came after the key opened names it.
  const bool afterOpen = action == Action::ReadValue || action == Action::WriteValue || action == Action::DeleteValue;
  std::optional<std::string> name = valueName && afterOpen ? std::optional(*valueName) : std::nullopt;
  switch (status) {
  case ERROR_FILE_NOT_FOUND:
  case ERROR_PATH_NOT_FOUND:
    if (concernsValue(action) && valueName)
      return RegistryError(ErrorCode::ValueNotFound, valueNotFoundMessage(key, *valueName), key, name, status);
    return RegistryError(ErrorCode::KeyNotFound, keyNotFoundMessage(key), key, std::nullopt, status);
  case ERROR_KEY_DELETED:
    // Another program deleted the key while this one had it open; the backend has dropped its handle already, so
    // the next call opens the key afresh.
    return RegistryError(ErrorCode::KeyNotFound,
                         keyNotFoundMessage(key) + ": it was deleted (by another program?) while in use", key,
                         std::nullopt, status);
  case ERROR_ACCESS_DENIED:
  case ERROR_PRIVILEGE_NOT_HELD:
  case ERROR_WRITE_PROTECT:
    return RegistryError(ErrorCode::AccessDenied, verbFor(action, key) + ": " + systemMessage(status), key, name,
                         status);
  case ERROR_BADDB:
  case ERROR_BADKEY:
  case ERROR_REGISTRY_CORRUPT:
    return RegistryError(ErrorCode::StoreCorrupt, verbFor(action, key) + ": " + systemMessage(status), key, name,
                         status);
  default: return RegistryError(ErrorCode::Io, verbFor(action, key) + ": " + systemMessage(status), key, name, status);
  }
}

} // namespace regbridge::win
