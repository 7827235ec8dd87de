#include "tests/cpp/win/Win32TestSupport.h"

#include "registry/win/WideText.h"
#include "registry/win/Win32Backend.h"

#include <windows.h>
// After <windows.h>, which it needs.
#include <sddl.h>

#include <cstring>
#include <cwchar>

namespace regbridge::test {

namespace {

const char* kTestsRoot = "HKEY_CURRENT_USER\\Software\\regbridge-tests";

void removeKey(Backend& backend, const std::string& key) {
  try {
    DeleteKey::run(backend, {key, true});
  } catch (const RegistryError& e) {
    if (e.code() != ErrorCode::KeyNotFound) throw;
  }
}

} // namespace

std::string numbered(const char* prefix, long long n) {
  // Built by appending: GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::string temporaries.
  std::string text(prefix);
  text += std::to_string(n);
  return text;
}

void removeIfEmpty(Backend& backend, const std::string& key) {
  // Tests running at once in other processes may have their scratch keys in it: then it stays.
  try {
    DeleteKey::run(backend, {key, false});
  } catch (const RegistryError& e) {
    if (e.code() != ErrorCode::KeyNotFound && e.code() != ErrorCode::KeyHasSubkeys) throw;
  }
}

void ScratchKeyTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  root_ = std::string(kTestsRoot) + "\\" + info->test_suite_name() + "." + info->name();
  backend_ = openWin32Backend();
  removeKey(*backend_, root_); // a run killed earlier may have left it
  CreateKey::run(*backend_, {root_});
}

void ScratchKeyTest::TearDown() {
  // A fresh backend, so that cleanup does not depend on the state of the one under test.
  auto cleaner = openWin32Backend();
  removeKey(*cleaner, root_);
  EXPECT_FALSE(KeyExists::run(*cleaner, {root_})) << "the scratch key was not removed";
  removeIfEmpty(*cleaner, kTestsRoot);
  backend_.reset();
}

std::string ScratchKeyTest::regExeKey(const std::string& sub) const {
  std::string path = key(sub);
  return "HKCU" + path.substr(std::string("HKEY_CURRENT_USER").size());
}

ProcessResult runProcess(const std::string& commandLine, const std::vector<std::pair<std::string, std::string>>& env) {
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE readEnd = nullptr, writeEnd = nullptr;
  if (!CreatePipe(&readEnd, &writeEnd, &inherit, 0)) throw std::runtime_error("CreatePipe failed");
  SetHandleInformation(readEnd, HANDLE_FLAG_INHERIT, 0);
  HANDLE nul =
      CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, nullptr);
  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = nul;
  startup.hStdOutput = writeEnd;
  startup.hStdError = writeEnd;
  // The child's environment is this one plus `env`, built as a block of its own: setting variables in this
  // process would race with other threads starting children.
  std::wstring environment;
  if (wchar_t* current = GetEnvironmentStringsW()) {
    for (const wchar_t* entry = current; *entry; entry += std::wcslen(entry) + 1) {
      environment += entry;
      environment += L'\0';
    }
    FreeEnvironmentStringsW(current);
  }
  for (const auto& [name, value] : env) {
    environment += *win::wideFromUtf8(name + "=" + value);
    environment += L'\0';
  }
  environment += L'\0';
  std::wstring command = *win::wideFromUtf8(commandLine);
  PROCESS_INFORMATION process{};
  const BOOL started =
      CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT,
                     environment.data(), nullptr, &startup, &process);
  const DWORD startError = GetLastError();
  CloseHandle(writeEnd);
  if (nul != INVALID_HANDLE_VALUE) CloseHandle(nul);
  if (!started) {
    CloseHandle(readEnd);
    std::string message("cannot start '");
    message += commandLine;
    message += "': error ";
    message += std::to_string(startError);
    throw std::runtime_error(message);
  }
  ProcessResult result;
  char buffer[4096];
  DWORD got = 0;
  while (ReadFile(readEnd, buffer, sizeof buffer, &got, nullptr) && got) result.output.append(buffer, got);
  CloseHandle(readEnd);
  WaitForSingleObject(process.hProcess, INFINITE);
  GetExitCodeProcess(process.hProcess, &result.exitCode);
  CloseHandle(process.hThread);
  CloseHandle(process.hProcess);
  return result;
}

std::string selfPath() {
  std::wstring path(MAX_PATH, L'\0');
  while (true) {
    const DWORD length = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (length < path.size()) return win::utf8FromWide(std::wstring_view(path.data(), length));
    path.resize(path.size() * 2);
  }
}

bool runningUnderWine() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

std::size_t processHandleCount() {
  // SystemHandleInformation (16): a count, then one 24-byte entry per handle of the system whose first field is the
  // owner's process id (its low 16 bits).
  using QueryFn = LONG(WINAPI*)(ULONG, void*, ULONG, ULONG*);
  auto query = reinterpret_cast<QueryFn>(
      reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQuerySystemInformation")));
  if (!query) throw std::runtime_error("no NtQuerySystemInformation");
  struct Entry {
    USHORT processId;
    USHORT creatorBackTraceIndex;
    UCHAR objectType;
    UCHAR attributes;
    USHORT handle;
    void* object;
    ULONG grantedAccess;
  };
  std::vector<unsigned char> buffer(1 << 20);
  ULONG needed = 0;
  LONG status;
  while ((status = query(16, buffer.data(), static_cast<ULONG>(buffer.size()), &needed)) ==
         static_cast<LONG>(0xC0000004)) // STATUS_INFO_LENGTH_MISMATCH
    buffer.resize(buffer.size() * 2);
  if (status != 0) throw std::runtime_error("NtQuerySystemInformation failed");
  ULONG count = 0;
  std::memcpy(&count, buffer.data(), sizeof count);
  const auto* entries = reinterpret_cast<const Entry*>(buffer.data() + sizeof(void*));
  const auto self = static_cast<USHORT>(GetCurrentProcessId());
  std::size_t own = 0;
  for (ULONG i = 0; i < count; ++i) own += entries[i].processId == self;
  return own;
}

std::string currentUserSid() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) throw std::runtime_error("OpenProcessToken");
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<unsigned char> buffer(size);
  if (!GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) {
    CloseHandle(token);
    throw std::runtime_error("GetTokenInformation");
  }
  CloseHandle(token);
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &text))
    throw std::runtime_error("ConvertSidToStringSidW");
  std::string sid = win::utf8FromWide(text);
  LocalFree(text);
  return sid;
}

} // namespace regbridge::test
