// HiveFile.h on POSIX: stat, open/read/writev, rename, fsync, readdir.
#include "registry/hive/HiveFile.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "registry/hive/IoError.h"
#include "registry/hive/posix/DeferredClose.h"

namespace regbridge::hive {

namespace {

std::int64_t toNs(const struct timespec& t) { return std::int64_t(t.tv_sec) * 1000000000 + t.tv_nsec; }

FileIdentity identityOf(const struct stat& st) {
#if defined(__APPLE__)
  return {true,
          std::uint64_t(st.st_dev),
          std::uint64_t(st.st_ino),
          std::int64_t(st.st_size),
          toNs(st.st_mtimespec),
          toNs(st.st_ctimespec)};
#else
  return {true,
          std::uint64_t(st.st_dev),
          std::uint64_t(st.st_ino),
          std::int64_t(st.st_size),
          toNs(st.st_mtim),
          toNs(st.st_ctim)};
#endif
}

PathStatus statusOf(const struct stat& st) {
  PathStatus status;
  status.exists = true;
  status.isLink = S_ISLNK(st.st_mode);
  status.identity = identityOf(st);
  status.permissions = std::uint32_t(st.st_mode & 07777);
  status.owner = std::uint32_t(st.st_uid);
  status.group = std::uint32_t(st.st_gid);
  return status;
}

class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

private:
  int fd_;
};

// A descriptor that only keeps the file alive (O_PATH on Linux: it needs no read permission and reads nothing). -1
// when it cannot be opened.
int openToHold(const std::string& path) {
#ifdef O_PATH
  return ::open(path.c_str(), O_PATH | O_CLOEXEC | O_NOFOLLOW);
#else
  return ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
#endif
}

void writeAll(int fd, std::span<const std::string_view> pieces, const std::string& path) {
  std::vector<struct iovec> chunk;
  chunk.reserve(std::min<std::size_t>(pieces.size(), IOV_MAX));
  std::size_t next = 0;
  while (next < pieces.size() || !chunk.empty()) {
    while (chunk.size() < IOV_MAX && next < pieces.size()) {
      if (!pieces[next].empty()) chunk.push_back({const_cast<char*>(pieces[next].data()), pieces[next].size()});
      ++next;
    }
    if (chunk.empty()) break;
    ssize_t n = ::writev(fd, chunk.data(), int(chunk.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      throwSystemError(errno, "cannot write " + path);
    }
    // Drop what was written; a short write leaves the rest of a piece at the front.
    std::size_t written = std::size_t(n), done = 0;
    while (done < chunk.size() && written >= chunk[done].iov_len) written -= chunk[done++].iov_len;
    chunk.erase(chunk.begin(), chunk.begin() + std::ptrdiff_t(done));
    if (!chunk.empty()) {
      chunk.front().iov_base = static_cast<char*>(chunk.front().iov_base) + written;
      chunk.front().iov_len -= written;
    }
  }
}

// getpid() is a system call, and a write names a temporary file with it: ask once per process (again after fork).
pid_t processId() {
  static pid_t pid = ::getpid();
  static const bool resetOnFork = [] {
    ::pthread_atfork(nullptr, nullptr, [] { pid = ::getpid(); });
    return true;
  }();
  (void)resetOnFork;
  return pid;
}

// The file a save must replace: the target of a symlink (Wine rewrites symlinked hives in place to keep the link;
// we keep it by renaming next to the target instead).
std::string replacementTarget(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    char* real = ::realpath(path.c_str(), nullptr);
    if (real) {
      std::string target(real);
      std::free(real);
      return target;
    }
  }
  return path;
}

const char* fileTypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

[[noreturn]] void notARegularFile(const std::string& path, mode_t mode) {
  throw RegistryError(ErrorCode::Io, path + " is " + fileTypeName(mode) +
                                         ", not a regular file: a hive must be a file (remove or rename it)");
}

// Opens a file for reading without ever blocking: a FIFO's open() waits for a writer, and a read of it for data,
// which would hang the store (and, in the helper, every call queued behind it). Anything but a regular file is
// refused with an error naming what it is. -1 with errno set when open() fails.
int openRegularForReading(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) notARegularFile(path, st.st_mode);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return fd;
  // It may have been replaced between the stat and the open.
  if (::fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
    ::close(fd);
    notARegularFile(path, st.st_mode);
  }
  return fd;
}

std::string folderOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

} // namespace

FileIdentity statIdentity(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return {};
    throwSystemError(errno, "cannot stat " + path);
  }
  return identityOf(st);
}

PathStatus lstatPath(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return {};
    throwSystemError(errno, "cannot stat " + path);
  }
  return statusOf(st);
}

std::optional<FileContent> readWholeFile(const std::string& path) {
  Fd fd(openRegularForReading(path));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throwSystemError(errno, "cannot open " + path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throwSystemError(errno, "cannot stat " + path);
  FileContent content{{}, identityOf(st)};
  // One byte more than the file, so that reading to EOF never grows (and copies) a big buffer.
  content.text.resize(std::size_t(st.st_size) + 1);
  std::size_t used = 0;
  while (true) {
    // Read until EOF rather than trusting st_size: a foreign editor may be growing the file right now.
    if (used == content.text.size()) content.text.resize(used + 65536);
    ssize_t n = ::read(fd.get(), content.text.data() + used, content.text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      throwSystemError(errno, "cannot read " + path);
    }
    if (n == 0) break;
    used += std::size_t(n);
  }
  content.text.resize(used);
  return content;
}

FileIdentity replaceFileAtomically(const std::string& path, std::span<const std::string_view> pieces,
                                   const PathStatus* known) {
  static std::atomic<unsigned> counter{0};
  // One lstat tells a plain file's mode and owner; only a symlinked hive needs its target resolved and stat'ed.
  PathStatus old;
  if (known) old = *known;
  else if (struct stat st; ::lstat(path.c_str(), &st) == 0) old = statusOf(st);
  std::string target = path;
  if (old.exists && old.isLink) {
    target = replacementTarget(path);
    struct stat st;
    old = ::stat(target.c_str(), &st) == 0 ? statusOf(st) : PathStatus{};
  }
  const std::string temp = temporaryFileName(target, processId(), counter.fetch_add(1));

  // Created with the old file's mode, which the umask can only narrow: the fstat below tells whether it did.
  const mode_t mode = old.exists ? mode_t(old.permissions) : 0666;
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0) throwSystemError(errno, "cannot create a temporary file beside " + target);
  try {
    if (old.exists) {
      // The hive keeps exactly the mode it had, and the owner when root edits another user's prefix, so that the
      // user can still write it.
      struct stat made;
      if (::fstat(fd.get(), &made) != 0) throwSystemError(errno, "cannot stat " + temp);
      if ((made.st_mode & 07777) != mode && ::fchmod(fd.get(), mode) != 0)
        throwSystemError(errno, "cannot set the mode of " + temp);
      if (made.st_uid != uid_t(old.owner) || made.st_gid != gid_t(old.group)) {
        if (::fchown(fd.get(), uid_t(old.owner), gid_t(old.group)) != 0) { /* not permitted: keep ours, as Wine would */
        }
      }
    }
    writeAll(fd.get(), pieces, temp);
    // Held across the rename, so that the kernel frees the old file when this is closed, off the write's path
    // (DeferredClose.h), not inside the rename. Not held if it cannot be opened: the rename then frees it.
    Fd replaced(old.exists ? openToHold(target) : -1);
    if (::rename(temp.c_str(), target.c_str()) != 0) throwSystemError(errno, "cannot rename " + temp + " to " + target);
    closeLater(replaced.release());
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  // fstat after the rename: rename changes the inode's ctime on Linux, and the identity must match what a later
  // stat() of the path returns, or we would reload our own write.
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return statIdentity(path);
  return identityOf(st);
}

void removeLeftoverTemporaryFiles(const std::string& folder) {
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string_view name(entry->d_name);
    if (isTemporaryFileName(name)) ::unlinkat(::dirfd(dir), entry->d_name, 0);
  }
  ::closedir(dir);
}

void syncFile(const std::string& path) {
  Fd fd(openRegularForReading(replacementTarget(path)));
  if (fd.get() < 0) {
    if (errno == ENOENT) return;
    throwSystemError(errno, "cannot open " + path + " to flush it");
  }
  if (::fsync(fd.get()) != 0) throwSystemError(errno, "cannot flush " + path);
  // The folder of a symlink's target holds the rename that made it.
  std::string target = replacementTarget(path);
  if (target != path) syncFolder(folderOf(target));
}

void syncFolder(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return;
    throwSystemError(errno, "cannot open the folder " + path + " to flush it");
  }
  // Some filesystems refuse fsync on a directory (EINVAL); the renames are then as durable as they can be made.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throwSystemError(errno, "cannot flush the folder " + path);
}

std::string readFileHead(const std::string& path, std::size_t maxBytes) {
  std::optional<Fd> opened;
  try {
    opened.emplace(openRegularForReading(path));
  } catch (const RegistryError&) {
    return {}; // not a regular file
  }
  const Fd& fd = *opened;
  if (fd.get() < 0) return {};
  std::string head(maxBytes, '\0');
  ssize_t n = ::read(fd.get(), head.data(), head.size());
  if (n <= 0) return {};
  head.resize(std::size_t(n));
  return head;
}

PathKind pathKind(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return PathKind::Missing;
  return S_ISDIR(st.st_mode) ? PathKind::Folder : PathKind::Other;
}

} // namespace regbridge::hive
