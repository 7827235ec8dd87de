// The one error type of the core. Every backend throws it; only the binding boundaries (addon, server) catch it.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace regbridge {

// Portable codes; their names (errorCodeName) are what JS sees in `error.code` and what the wire carries in
// `error.data.code`. Keep in step with client-ts/src/errors.ts and protocol/PROTOCOL.md.
enum class ErrorCode {
  KeyNotFound,
  ValueNotFound,
  WrongType,
  InvalidPath,
  InvalidArgument,
  KeyHasSubkeys,
  ValueChanged, // compareAndSetValue: the value is no longer the one the caller expected
  AccessDenied,
  StoreLocked,
  StoreCorrupt,
  Io,
  Internal,
};

std::string_view errorCodeName(ErrorCode code);

class RegistryError : public std::runtime_error {
public:
  RegistryError(ErrorCode code, const std::string& message, std::string key = {},
                std::optional<std::string> valueName = std::nullopt,
                std::optional<std::int64_t> nativeCode = std::nullopt);

  ErrorCode code() const { return code_; }
  // The whole message. what() is a C string and stops at the first NUL, which a quoted key or value name may hold.
  const std::string& message() const { return message_; }
  // The key path as the caller wrote it, empty when the error concerns no key.
  const std::string& key() const { return key_; }
  const std::optional<std::string>& valueName() const { return valueName_; }
  // errno or Win32 error code, when a system call failed.
  const std::optional<std::int64_t>& nativeCode() const { return nativeCode_; }

private:
  ErrorCode code_;
  std::string message_;
  std::string key_;
  std::optional<std::string> valueName_;
  std::optional<std::int64_t> nativeCode_;
};

} // namespace regbridge
