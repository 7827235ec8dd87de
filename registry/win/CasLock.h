// The lock that makes compareAndSetValue one step for every regbridge writer of a key, in this process and in
// others: a named mutex per key, "Local\regbridge-cas-<hash of the key's canonical path>".
//
// Windows' registry has no compare-and-set of its own (its transactions, KTM, are deprecated and do not hold other
// writers back until the commit), so this is as far as Windows allows:
// - every write of this backend (writeValue, compareAndSetValue, deleteValue) takes the lock of its key, so no
//   regbridge writer comes between a compareAndSetValue's check and its write, in any process of the session;
// - other programs (regedit, reg.exe, an installer) do not take it and can still come between;
// - the lock is per spelling of the key: the same key reached another way (HKCU and HKU\<SID>, HKCR and
//   HKLM\Software\Classes, a Wow6432Node path and the 32-bit view, a symbolic link) has another lock;
// - "Local\" is the session's namespace: processes of another session (a service) are not held back.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <windows.h>

namespace regbridge::win {

// One named mutex handle, closed when its last user lets go.
class NamedMutex {
public:
  explicit NamedMutex(HANDLE handle) : handle_(handle) {}
  ~NamedMutex() { CloseHandle(handle_); }
  NamedMutex(const NamedMutex&) = delete;
  NamedMutex& operator=(const NamedMutex&) = delete;
  HANDLE get() const { return handle_; }

private:
  HANDLE handle_;
};

// A backend's handles to the mutexes of the keys it wrote, kept so that a write costs a wait and a release, not
// also an open and a close (under Wine each is a round trip to wineserver, as long as the write itself). Bounded
// as KeyHandleCache is. Thread-safe.
class CasLockTable {
public:
  static constexpr std::size_t kMaxMutexes = 256;

  // The mutex of the key; throws RegistryError(ERR_IO) naming `key` when it cannot be made.
  std::shared_ptr<const NamedMutex> mutexFor(std::wstring_view canonical, const std::string& key);
  std::size_t size() const;

private:
  mutable std::mutex mutex_;
  std::unordered_map<std::wstring, std::shared_ptr<const NamedMutex>> mutexes_;
};

// Holds the lock of one key for its lifetime.
class CasLock {
public:
  // Waits for the lock; throws RegistryError (ERR_STORE_LOCKED after kWaitMilliseconds, ERR_IO when the mutex
  // cannot be made or waited for) naming `key`.
  CasLock(CasLockTable& table, std::wstring_view canonical, const std::string& key);
  ~CasLock();
  CasLock(const CasLock&) = delete;
  CasLock& operator=(const CasLock&) = delete;

  // A holder keeps the lock for one read and one write; a minute means it hangs.
  static constexpr DWORD kWaitMilliseconds = 60'000;

  // The mutex's name for a canonical path (for tests).
  static std::wstring mutexName(std::wstring_view canonical);

private:
  std::shared_ptr<const NamedMutex> mutex_;
};

} // namespace regbridge::win
