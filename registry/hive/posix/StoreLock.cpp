// StoreLock.h on POSIX: flock() on the lock file, its first page mapped shared with mmap().
#include "registry/hive/StoreLock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include "registry/hive/IoError.h"

namespace regbridge::hive {

namespace {

void flockRetrying(int fd, int operation, const std::string& path) {
  while (::flock(fd, operation) != 0) {
    if (errno == EINTR) continue;
    throwSystemError(errno, "cannot lock " + path);
  }
}

std::string describe(int err) { return std::system_category().message(err); }

} // namespace

std::unique_ptr<StoreLock> StoreLock::open(const std::string& prefix, bool mayCreate, std::string& why) {
  std::string path = prefix + "/" + std::string(kLockFileName);
  Access access = Access::ReadWrite;
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | (mayCreate ? O_CREAT : 0), 0644);
  if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
    // A read-only prefix may still hold a lock file that writers elsewhere keep up to date: read its counters.
    int err = errno;
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      why = "its lock file " + path + " cannot be created (" + describe(err) + ")";
      return nullptr;
    }
    access = Access::ReadOnly;
  }
  if (fd < 0) {
    why = "its lock file " + path + " cannot be opened (" + describe(errno) + ")";
    return nullptr;
  }

  try {
    struct stat st;
    if (access == Access::ReadWrite) {
      // Two processes may create the file at once: size and magic are set under the lock, before anyone maps it
      // (a mapping beyond the end of a file faults).
      flockRetrying(fd, LOCK_EX, path);
      bool ok = ::fstat(fd, &st) == 0;
      if (ok && st.st_size < std::int64_t(kMapSize)) {
        char page[kMapSize] = {};
        if (st.st_size > 0 && ::pread(fd, page, std::size_t(st.st_size), 0) < 0) ok = false;
        std::memcpy(page, kMagic, sizeof kMagic);
        ok = ok && ::pwrite(fd, page, kMapSize, 0) == ssize_t(kMapSize);
      }
      int err = errno;
      ::flock(fd, LOCK_UN);
      if (!ok) throwSystemError(err, "cannot initialise " + path);
    } else if (::fstat(fd, &st) != 0 || st.st_size < std::int64_t(kMapSize)) {
      why = "its lock file " + path + " is read-only and not initialised";
      ::close(fd);
      return nullptr;
    }
    int protection = access == Access::ReadWrite ? PROT_READ | PROT_WRITE : PROT_READ;
    void* map = ::mmap(nullptr, kMapSize, protection, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) throwSystemError(errno, "cannot map " + path);
    if (std::memcmp(map, kMagic, sizeof kMagic) != 0) {
      ::munmap(map, kMapSize);
      why = "its lock file " + path + " is not a regbridge lock file";
      ::close(fd);
      return nullptr;
    }
    return std::unique_ptr<StoreLock>(new StoreLock(std::move(path), fd, map, access));
  } catch (...) {
    ::close(fd);
    throw;
  }
}

StoreLock::StoreLock(std::string path, std::intptr_t file, void* map, Access access)
    : path_(std::move(path)), file_(file), map_(map), access_(access) {}

StoreLock::~StoreLock() {
  ::munmap(map_, kMapSize);
  ::close(int(file_));
}

StoreLock::Guard StoreLock::lockExclusive() {
  flockRetrying(int(file_), LOCK_EX, path_);
  return Guard(*this);
}

void StoreLock::unlockExclusive() noexcept { ::flock(int(file_), LOCK_UN); }

} // namespace regbridge::hive
