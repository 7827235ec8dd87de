// The Win32 backend's one table of error codes: each Win32 code becomes the portable code the hive store gives for
// the same case, with the system's text and the number.
#include <gtest/gtest.h>

#include "registry/win/Win32Error.h"

#include <windows.h>

namespace regbridge::win {
namespace {

TEST(Win32ErrorTest, NotFoundIsTheKeyOrTheValueByWhatFailed) {
  const std::string name = "v";
  auto key = win32Error(ERROR_FILE_NOT_FOUND, Action::OpenKey, "HKCU\\x", &name);
  EXPECT_EQ(key.code(), ErrorCode::KeyNotFound);
  EXPECT_EQ(std::string(key.what()), "the key 'HKCU\\x' does not exist");
  EXPECT_FALSE(key.valueName()) << "an error about the key names no value, as in the hive store";
  auto value = win32Error(ERROR_FILE_NOT_FOUND, Action::ReadValue, "HKCU\\x", &name);
  EXPECT_EQ(value.code(), ErrorCode::ValueNotFound);
  EXPECT_EQ(std::string(value.what()), "the value 'v' does not exist in 'HKCU\\x'");
  EXPECT_EQ(value.valueName(), std::optional<std::string>("v"));
  const std::string none;
  EXPECT_EQ(std::string(win32Error(ERROR_FILE_NOT_FOUND, Action::DeleteValue, "HKCU\\x", &none).what()),
            "the key 'HKCU\\x' has no default value");
  auto deleted = win32Error(ERROR_KEY_DELETED, Action::ReadValue, "HKCU\\x", &name);
  EXPECT_EQ(deleted.code(), ErrorCode::KeyNotFound);
  EXPECT_EQ(deleted.nativeCode(), std::optional<std::int64_t>(ERROR_KEY_DELETED));
}

TEST(Win32ErrorTest, AccessAndCorruptionAndTheRest) {
  auto denied = win32Error(ERROR_ACCESS_DENIED, Action::WriteValue, "HKLM\\x");
  EXPECT_EQ(denied.code(), ErrorCode::AccessDenied);
  EXPECT_EQ(std::string(denied.what()).rfind("cannot change 'HKLM\\x': ", 0), 0u) << denied.what();
  EXPECT_EQ(win32Error(ERROR_PRIVILEGE_NOT_HELD, Action::DeleteKey, "k").code(), ErrorCode::AccessDenied);
  EXPECT_EQ(win32Error(ERROR_BADDB, Action::ReadKey, "k").code(), ErrorCode::StoreCorrupt);
  EXPECT_EQ(win32Error(ERROR_REGISTRY_CORRUPT, Action::ReadKey, "k").code(), ErrorCode::StoreCorrupt);
  auto other = win32Error(ERROR_INVALID_PARAMETER, Action::ReadKey, "HKCU\\x");
  EXPECT_EQ(other.code(), ErrorCode::Io);
  EXPECT_EQ(other.nativeCode(), std::optional<std::int64_t>(87));
  const std::string message = other.what();
  EXPECT_EQ(message.rfind("cannot read 'HKCU\\x': ", 0), 0u) << message;
  EXPECT_NE(message.find("(Windows error 87)"), std::string::npos) << message;
  // The system's own words come first; no trailing period or line break before the number.
  EXPECT_EQ(message.find(". (Windows"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(win32Error(ERROR_OUTOFMEMORY, Action::Flush, "").code(), ErrorCode::Io);
}

TEST(Win32ErrorTest, UnknownCodesStillSayTheirNumber) {
  EXPECT_NE(systemMessage(0x7FFFFFF0).find("(Windows error 2147483632)"), std::string::npos);
}

} // namespace
} // namespace regbridge::win
