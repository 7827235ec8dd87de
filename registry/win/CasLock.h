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

#include <string>
#include <string_view>

#include <windows.h>

namespace regbridge::win {

class CasLock {
public:
  // Waits for the lock; throws RegistryError (ERR_STORE_LOCKED after kWaitMilliseconds, ERR_IO when the mutex
  // cannot be made) naming `key`.
  CasLock(std::wstring_view canonical, const std::string& key);
  ~CasLock();
  CasLock(const CasLock&) = delete;
  CasLock& operator=(const CasLock&) = delete;

  // A holder keeps the lock for one read and one write; a minute means it hangs.
  static constexpr DWORD kWaitMilliseconds = 60'000;

  // The mutex's name for a canonical path (for tests).
  static std::wstring mutexName(std::wstring_view canonical);

private:
  HANDLE mutex_ = nullptr;
};

} // namespace regbridge::win
