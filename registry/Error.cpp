#include "registry/Error.h"

namespace regbridge {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
  case ErrorCode::KeyNotFound: return "ERR_KEY_NOT_FOUND";
  case ErrorCode::ValueNotFound: return "ERR_VALUE_NOT_FOUND";
  case ErrorCode::WrongType: return "ERR_WRONG_TYPE";
  case ErrorCode::InvalidPath: return "ERR_INVALID_PATH";
  case ErrorCode::InvalidArgument: return "ERR_INVALID_ARGUMENT";
  case ErrorCode::KeyHasSubkeys: return "ERR_KEY_HAS_SUBKEYS";
  case ErrorCode::ValueChanged: return "ERR_VALUE_CHANGED";
  case ErrorCode::AccessDenied: return "ERR_ACCESS_DENIED";
  case ErrorCode::StoreLocked: return "ERR_STORE_LOCKED";
  case ErrorCode::StoreCorrupt: return "ERR_STORE_CORRUPT";
  case ErrorCode::Io: return "ERR_IO";
  case ErrorCode::Internal: return "ERR_INTERNAL";
  }
  return "ERR_INTERNAL";
}

RegistryError::RegistryError(ErrorCode code, const std::string& message, std::string key,
                             std::optional<std::string> valueName, std::optional<std::int64_t> nativeCode)
    : std::runtime_error(message), code_(code), message_(message), key_(std::move(key)),
      valueName_(std::move(valueName)), nativeCode_(nativeCode) {}

} // namespace regbridge
