#include "registry/win/CasLock.h"

#include <cstdint>
#include <cwchar>

#include "registry/Error.h"
#include "registry/win/Win32Error.h"

namespace regbridge::win {

std::wstring CasLock::mutexName(std::wstring_view canonical) {
  // FNV-1a over the code units: object names are limited to MAX_PATH, keys are not. Two keys sharing a hash only
  // share a lock, which costs a wait, never correctness.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (wchar_t c : canonical) {
    hash ^= static_cast<std::uint16_t>(c);
    hash *= 0x100000001b3ULL;
  }
  wchar_t hex[17];
  std::swprintf(hex, 17, L"%016llx", static_cast<unsigned long long>(hash));
  return L"Local\\regbridge-cas-" + std::wstring(hex);
}

std::shared_ptr<const NamedMutex> CasLockTable::mutexFor(std::wstring_view canonical, const std::string& key) {
  std::wstring name(canonical);
  {
    std::lock_guard lock(mutex_);
    if (auto it = mutexes_.find(name); it != mutexes_.end()) return it->second;
  }
  HANDLE handle = CreateMutexW(nullptr, FALSE, CasLock::mutexName(canonical).c_str());
  if (!handle) {
    const DWORD error = GetLastError();
    throw RegistryError(ErrorCode::Io,
                        "cannot change '" + key + "': cannot make its compare-and-set lock: " + systemMessage(error),
                        key, std::nullopt, error);
  }
  auto made = std::make_shared<const NamedMutex>(handle);
  std::unordered_map<std::wstring, std::shared_ptr<const NamedMutex>> released; // closed after the lock is let go
  std::lock_guard lock(mutex_);
  if (auto it = mutexes_.find(name); it != mutexes_.end()) return it->second; // another thread was first
  if (mutexes_.size() >= kMaxMutexes) released.swap(mutexes_);
  mutexes_.emplace(std::move(name), made);
  return made;
}

std::size_t CasLockTable::size() const {
  std::lock_guard lock(mutex_);
  return mutexes_.size();
}

CasLock::CasLock(CasLockTable& table, std::wstring_view canonical, const std::string& key)
    : mutex_(table.mutexFor(canonical, key)) {
  switch (WaitForSingleObject(mutex_->get(), kWaitMilliseconds)) {
  case WAIT_OBJECT_0:
  // A holder died holding it. Its write, if it made one, is whole (the registry writes a value in one step), so
  // the lock is simply ours now.
  case WAIT_ABANDONED: return;
  case WAIT_TIMEOUT:
    throw RegistryError(ErrorCode::StoreLocked,
                        "cannot change '" + key + "': another regbridge writer has held its compare-and-set lock for " +
                            std::to_string(kWaitMilliseconds / 1000) + " s",
                        key);
  default: {
    const DWORD error = GetLastError();
    throw RegistryError(ErrorCode::Io,
                        "cannot change '" + key +
                            "': waiting for its compare-and-set lock failed: " + systemMessage(error),
                        key, std::nullopt, error);
  }
  }
}

CasLock::~CasLock() { ReleaseMutex(mutex_->get()); }

} // namespace regbridge::win
