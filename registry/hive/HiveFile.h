// One hive file on disk: reading it with the identity of what was read, replacing it atomically, making it durable.
// The declarations are portable; the system calls behind them live in registry/hive/posix/HiveFile.cpp (CMake picks
// the folder), so the parser, the writer and the cache never see a platform header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace regbridge::hive {

// What tells one version of a file from the next. A regbridge save is a rename, so the inode changes; in-place
// editors change size or the nanosecond mtime/ctime.
struct FileIdentity {
  bool exists = false;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtimeNs = 0;
  std::int64_t ctimeNs = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// exists = false when the file is missing (ENOENT, ENOTDIR); other failures throw (AccessDenied / Io).
FileIdentity statIdentity(const std::string& path);

// lstat() of a hive's path. A writer takes it under the store lock to see whether the file changed, and the save
// that follows reuses it (mode, owner, symlink or not) instead of asking again: each system call costs µs.
struct PathStatus {
  bool exists = false;
  bool isLink = false;   // a symbolic link: the fields below then describe the link, not its target
  FileIdentity identity; // of the path itself, not followed
  // What a save keeps of the file it replaces: the permission bits and the owning user and group (POSIX mode & 07777,
  // uid, gid).
  std::uint32_t permissions = 0;
  std::uint32_t owner = 0;
  std::uint32_t group = 0;
};
PathStatus lstatPath(const std::string& path); // throws as statIdentity
// The identity statIdentity(path) would return (a second call only for a symlink).
FileIdentity identityAt(const std::string& path, const PathStatus& status);

struct FileContent {
  std::string text;
  FileIdentity identity; // of the very file the text came from (fstat of the open descriptor)
};
// nullopt when the file is missing.
std::optional<FileContent> readWholeFile(const std::string& path);

// Replaces `path` with `content`: a temporary file in the same folder, then rename(2), so that readers and crashes
// see either the old file or the new one, never a torn one. No fsync here (flush() does that, as RegFlushKey): a
// process crash loses nothing acknowledged; a power loss before flush() may lose the newest writes. The file keeps
// its mode (new files get 0666 less the umask, as with Wine's fopen) and, when we may, its owner. A symlinked
// hive is replaced at the symlink's target, so the link survives. Returns the identity of the new file. The content
// may come in pieces (a saved hive's keys), written with writev without joining them first.
// `known`, when given, is the path's lstat taken under the same store lock.
FileIdentity replaceFileAtomically(const std::string& path, std::span<const std::string_view> pieces,
                                   const PathStatus* known = nullptr);
FileIdentity replaceFileAtomically(const std::string& path, std::string_view content);

// Temporary files are named `<file>.<pid>.<n>.regbridge-tmp`; only a writer holding the store lock writes one, so
// under that lock any such file is a leftover of a crashed writer.
bool isTemporaryFileName(std::string_view name);
std::string temporaryFileName(const std::string& target, long processId, unsigned serial);
void removeLeftoverTemporaryFiles(const std::string& folder);

// fsync of a file (skipped when it is missing) and of a folder, for flush().
void syncFile(const std::string& path);
void syncFolder(const std::string& path);

// The `#arch=` line of a hive file's header, read without parsing the whole file; empty when missing or none.
std::string peekArch(const std::string& path);
// Up to `maxBytes` from the start of a regular file, in one read; empty when it is missing, unreadable or not a
// regular file (a FIFO is never opened for reading, which would block).
std::string readFileHead(const std::string& path, std::size_t maxBytes);

// What a path names, following symlinks. Missing also when it cannot be stat'ed at all (a folder on the way refuses
// search): the callers then go on as for a missing one and meet the real error at the open that follows.
enum class PathKind { Missing, Folder, Other };
PathKind pathKind(const std::string& path);

} // namespace regbridge::hive
