#include "registry/hive/IoError.h"

#include <cerrno>
#include <system_error>

namespace regbridge::hive {

ErrorCode errorCodeForErrno(int err) {
  switch (err) {
  case EACCES:
  case EPERM:
  case EROFS: return ErrorCode::AccessDenied;
  default: return ErrorCode::Io;
  }
}

void throwSystemError(int err, const std::string& what, const std::string& key) {
  // std::system_category().message is thread-safe (strerror_r underneath), unlike strerror.
  throw RegistryError(errorCodeForErrno(err), what + ": " + std::system_category().message(err), key, std::nullopt,
                      err);
}

} // namespace regbridge::hive
