// The hive store's one table from errno to the portable error codes (STYLE.md: each backend maps native codes in
// exactly one place).
#pragma once

#include <string>

#include "registry/Error.h"

namespace regbridge::hive {

// EACCES, EPERM and EROFS are AccessDenied (the caller can do something about those: permissions, a read-only
// mount); everything else is Io. The errno travels as nativeCode.
ErrorCode errorCodeForErrno(int err);

// `what` says what failed and names the file, e.g. "cannot write /p/user.reg"; the system's text is appended.
[[noreturn]] void throwSystemError(int err, const std::string& what, const std::string& key = {});

} // namespace regbridge::hive
