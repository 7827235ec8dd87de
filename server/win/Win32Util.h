// Small Win32 helpers the Windows server files share: UTF-8 <-> UTF-16 at the API edge, error text, and a handle
// that closes itself.
#pragma once

#include <string>
#include <string_view>
#include <windows.h>

namespace regbridge::server::win {

std::wstring toUtf16(std::string_view utf8);
std::string toUtf8(std::wstring_view utf16);

// "what: <the system's message> (error N)", for exceptions and log lines.
std::string describeError(std::string_view what, DWORD error);

// A kernel object handle, closed on destruction. Null and INVALID_HANDLE_VALUE both mean "none".
class UniqueHandle {
public:
  UniqueHandle() = default;
  explicit UniqueHandle(HANDLE h) : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  UniqueHandle(UniqueHandle&& other) noexcept : h_(other.release()) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;
  ~UniqueHandle() { reset(); }

  HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }
  HANDLE release() {
    HANDLE h = h_;
    h_ = nullptr;
    return h;
  }
  void reset(HANDLE h = nullptr) {
    if (h_) ::CloseHandle(h_);
    h_ = h == INVALID_HANDLE_VALUE ? nullptr : h;
  }

private:
  HANDLE h_ = nullptr;
};

} // namespace regbridge::server::win
