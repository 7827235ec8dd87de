// The store's lock file, `.regbridge.lock` in the prefix. flock() on it serialises writers across processes (and
// across store instances in one process: each has its own open file description). Its first page, mapped shared,
// holds one generation counter per hive that every regbridge writer bumps after its rename, under the lock: a
// reader learns of another process's write with one atomic load instead of a stat() per read.
//
// Layout (little or native endian, one page): bytes 0-7 the magic "RBLOCK\0\1", 8-15 reserved, 16-39 three
// 64-bit generations (system.reg, user.reg, userdef.reg).
//
// Opening, locking and mapping are per platform (registry/hive/posix/StoreLock.cpp); the counters are plain memory.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "registry/hive/PrefixLayout.h"

namespace regbridge::hive {

inline constexpr std::string_view kLockFileName = ".regbridge.lock";

class StoreLock {
public:
  enum class Access { ReadWrite, ReadOnly };

  // Opens (creating it when `mayCreate` and the folder is writable) and maps the lock file. nullptr when there is
  // none to be had: the folder is missing, or read-only with no lock file in it; `why` then says why.
  static std::unique_ptr<StoreLock> open(const std::string& prefix, bool mayCreate, std::string& why);

  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

  Access access() const { return access_; }
  const std::string& path() const { return path_; }

  // One atomic load; cheap enough for every read.
  std::uint64_t generation(HiveFileId file) const {
    return std::atomic_ref<std::uint64_t>(*slot(file)).load(std::memory_order_acquire);
  }
  // Only while holding lockExclusive() and with ReadWrite access.
  void setGeneration(HiveFileId file, std::uint64_t value) {
    std::atomic_ref<std::uint64_t>(*slot(file)).store(value, std::memory_order_release);
  }

  // Holds the exclusive lock until destroyed. It must not outlive its StoreLock.
  class Guard {
  public:
    Guard(Guard&& other) noexcept : lock_(other.lock_) { other.lock_ = nullptr; }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (lock_) lock_->unlockExclusive();
    }

  private:
    friend class StoreLock; // only lockExclusive() makes one, holding the lock
    explicit Guard(StoreLock& lock) : lock_(&lock) {}
    StoreLock* lock_;
  };
  // Blocks until this store instance is the only writer of the prefix.
  Guard lockExclusive();

private:
  static constexpr std::size_t kMapSize = 4096;
  static constexpr char kMagic[8] = {'R', 'B', 'L', 'O', 'C', 'K', '\0', '\1'};
  static constexpr std::size_t kGenerationOffset = 16;

  StoreLock(std::string path, std::intptr_t file, void* map, Access access);
  std::uint64_t* slot(HiveFileId file) const {
    return reinterpret_cast<std::uint64_t*>(static_cast<char*>(map_) + kGenerationOffset) + indexOf(file);
  }
  void unlockExclusive() noexcept;

  std::string path_;
  std::intptr_t file_; // the open lock file: a file descriptor on POSIX (a HANDLE would fit too)
  void* map_;          // its first page
  Access access_;
};

} // namespace regbridge::hive
