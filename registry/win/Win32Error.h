// The Win32 backend's one table from Win32 error codes to the portable error codes, with the hive store's wording
// for the errors both backends give (STYLE.md: each backend maps native codes in exactly one place).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "registry/Error.h"

namespace regbridge::win {

// What the failed call was doing. It decides the words of the message and what ERROR_FILE_NOT_FOUND means: the key
// (it did not open) or the value (the key opened, the value is not there).
enum class Action {
  OpenKey,   // opening a key to read it: not found is ERR_KEY_NOT_FOUND
  ReadKey,   // reading an open key (enumerating, its info)
  ReadValue, // not found is ERR_VALUE_NOT_FOUND
  ChangeKey, // opening or creating a key to change it
  WriteValue,
  DeleteValue, // not found is ERR_VALUE_NOT_FOUND
  DeleteKey,
  Flush,
};

// The error for `status` (a Win32 error code, as registry functions return it), naming `key` (the caller's path)
// and, when given, the value. ERROR_FILE_NOT_FOUND and ERROR_KEY_DELETED: ERR_KEY_NOT_FOUND or ERR_VALUE_NOT_FOUND
// (as the hive store words them); ERROR_ACCESS_DENIED and kin: ERR_ACCESS_DENIED; a corrupt hive:
// ERR_STORE_CORRUPT; everything else ERR_IO. All but the not-found ones carry the system's text and the code
// (nativeCode too).
RegistryError win32Error(std::int64_t status, Action action, std::string_view key,
                         const std::string* valueName = nullptr);

// FormatMessage's text for a Win32 error code, without its final period and line break, and the number:
// "The parameter is incorrect (Windows error 87)".
std::string systemMessage(std::int64_t status);

} // namespace regbridge::win
