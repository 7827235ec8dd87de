#include "bench/floor/FileFloor.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace regbridge::bench {

bool writeAndRename(const std::string& dir, std::size_t size) {
  std::string content(size, 'x');
  return writeAndRename(dir, content.data(), content.size());
}

bool writeAndRename(const std::string& dir, const char* bytes, std::size_t size) {
  std::string temporary = dir + "/floor.reg.tmp", target = dir + "/floor.reg";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && ::write(fd, bytes, size) == static_cast<ssize_t>(size);
  if (fd >= 0) ::close(fd);
  return ok && std::rename(temporary.c_str(), target.c_str()) == 0;
}

bool evict(const std::string& file) {
  // posix_fadvise DONTNEED; pages mapped by a running process stay.
  bool ok = false;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ok = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
    ::close(fd);
  }
  return ok;
}

} // namespace regbridge::bench
