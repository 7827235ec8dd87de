// Shared helpers for the Win32 backend's tests (Windows only): a scratch key per test under
// HKCU\Software\regbridge-tests, removed afterwards, and child processes with their output.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "registry/Backend.h"
#include "registry/Error.h"
#include "registry/Operations.h"
#include "registry/Value.h"
#include "registry/win/Win32Backend.h"

namespace regbridge::test {

// `HKEY_CURRENT_USER\Software\regbridge-tests\<suite>.<test>`, deleted (recursively, links not followed) before
// and after the test, through a backend of its own.
class ScratchKeyTest : public ::testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;

  // The scratch key's path, or `sub` under it.
  std::string key(const std::string& sub = {}) const { return sub.empty() ? root_ : root_ + "\\" + sub; }
  // `HKCU\...` spelled as reg.exe takes it.
  std::string regExeKey(const std::string& sub = {}) const;

  Backend& backend() { return *backend_; }
  std::unique_ptr<Backend> backend_;
  std::string root_;
};

// `prefix` followed by the number, e.g. numbered("k", 3) == "k3".
std::string numbered(const char* prefix, long long n);

// Deletes `key` unless it has subkeys (the common parent of the scratch keys, once the last test is done with it).
void removeIfEmpty(Backend& backend, const std::string& key);

// Runs `commandLine` (CreateProcessW, no window), waits for it and returns its exit code and what it wrote to
// stdout and stderr (as bytes).
struct ProcessResult {
  unsigned long exitCode = 0;
  std::string output;
};
ProcessResult runProcess(const std::string& commandLine,
                         const std::vector<std::pair<std::string, std::string>>& env = {});

// This test executable's own path, for tests that run a part of themselves in another process.
std::string selfPath();

// Whether this runs under Wine (ntdll exports wine_get_version), for the few checks where Wine does not do what
// Windows does; each such test says which and why.
bool runningUnderWine();

// How many handles this process has open (NtQuerySystemInformation's handle list: Wine's GetProcessHandleCount
// always answers 0).
std::size_t processHandleCount();

// The current user's SID as text (`S-1-5-21-...`), for \Registry\User\<SID> link targets.
std::string currentUserSid();

// The RegistryError code a call throws, or nullopt.
template <class Call> std::optional<ErrorCode> errorCodeOf(Call&& call) {
  try {
    call();
  } catch (const RegistryError& e) {
    return e.code();
  }
  return std::nullopt;
}

// The RegistryError a call throws (fails the test when it throws none).
template <class Call> RegistryError errorOf(Call&& call) {
  try {
    call();
  } catch (const RegistryError& e) {
    return e;
  }
  ADD_FAILURE() << "no RegistryError thrown";
  return RegistryError(ErrorCode::Internal, "none thrown");
}

inline RegValue sz(std::string text) { return {{REG_SZ}, std::move(text)}; }
inline RegValue dword(std::int64_t n) { return {{REG_DWORD}, n}; }

} // namespace regbridge::test
