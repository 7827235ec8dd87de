#include "bench/floor/FileFloor.h"

#include <windows.h>

namespace regbridge::bench {

namespace {

std::wstring wide(const std::string& utf8) {
  int length = ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(length), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), length);
  return out;
}

} // namespace

bool writeAndRename(const std::string& dir, std::size_t size) {
  std::string content(size, 'x');
  return writeAndRename(dir, content.data(), content.size());
}

bool writeAndRename(const std::string& dir, const char* bytes, std::size_t size) {
  std::wstring temporary = wide(dir + "/floor.reg.tmp"), target = wide(dir + "/floor.reg");
  HANDLE file =
      ::CreateFileW(temporary.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return false;
  DWORD written = 0;
  bool ok = ::WriteFile(file, bytes, static_cast<DWORD>(size), &written, nullptr) && written == size;
  ::CloseHandle(file);
  return ok && ::MoveFileExW(temporary.c_str(), target.c_str(), MOVEFILE_REPLACE_EXISTING);
}

bool evict(const std::string&) {
  // Windows has no per-file "drop cached pages" an unprivileged process may call (the standby list is purged only
  // whole, with a privilege), so a cold start cannot be staged here.
  return false;
}

} // namespace regbridge::bench
