#include "server/win/PipeSecurity.h"

#include <sddl.h>
#include <stdexcept>

#include "server/win/Win32Util.h"

namespace regbridge::server::win {

namespace {

// The TokenUser SID of `token`, or the error that prevented reading it.
std::optional<std::vector<BYTE>> tokenUser(HANDLE token, DWORD& error) {
  DWORD size = 0;
  ::GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<BYTE> info(size);
  if (size == 0 || !::GetTokenInformation(token, TokenUser, info.data(), size, &size)) {
    error = ::GetLastError();
    return std::nullopt;
  }
  PSID sid = reinterpret_cast<TOKEN_USER*>(info.data())->User.Sid;
  const BYTE* begin = static_cast<const BYTE*>(sid);
  return std::vector<BYTE>(begin, begin + ::GetLengthSid(sid));
}

} // namespace

Sid Sid::currentUser() {
  HANDLE raw = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &raw))
    throw std::runtime_error(describeError("cannot open this process's token", ::GetLastError()));
  UniqueHandle token(raw);
  DWORD error = 0;
  auto bytes = tokenUser(token.get(), error);
  if (!bytes) throw std::runtime_error(describeError("cannot read this process's user", error));
  Sid sid;
  sid.bytes_ = std::move(*bytes);
  return sid;
}

std::optional<Sid> Sid::userOfProcess(DWORD pid, std::string& why) {
  UniqueHandle process(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
  if (!process) {
    why = describeError("cannot open process " + std::to_string(pid), ::GetLastError());
    return std::nullopt;
  }
  HANDLE raw = nullptr;
  if (!::OpenProcessToken(process.get(), TOKEN_QUERY, &raw)) {
    why = describeError("cannot open the token of process " + std::to_string(pid), ::GetLastError());
    return std::nullopt;
  }
  UniqueHandle token(raw);
  DWORD error = 0;
  auto bytes = tokenUser(token.get(), error);
  if (!bytes) {
    why = describeError("cannot read the user of process " + std::to_string(pid), error);
    return std::nullopt;
  }
  Sid sid;
  sid.bytes_ = std::move(*bytes);
  return sid;
}

std::string Sid::text() const {
  wchar_t* text = nullptr;
  if (!::ConvertSidToStringSidW(get(), &text)) return {};
  std::string out = toUtf8(text);
  ::LocalFree(text);
  return out;
}

PrivatePipeSecurity::PrivatePipeSecurity(const Sid& user) {
  // D:P = a protected DACL (nothing inherited); GA = generic all, which for a pipe includes
  // FILE_CREATE_PIPE_INSTANCE, so nobody else can add an instance of our pipe either; SY = LocalSystem.
  std::string sid = user.text();
  if (sid.empty()) throw std::runtime_error(describeError("cannot format this process's user SID", ::GetLastError()));
  std::wstring sddl = toUtf16("D:P(A;;GA;;;SY)(A;;GA;;;" + sid + ")");
  if (!::ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &descriptor_, nullptr))
    throw std::runtime_error(describeError("cannot build the pipe's security descriptor", ::GetLastError()));
  attributes_.nLength = sizeof attributes_;
  attributes_.lpSecurityDescriptor = descriptor_;
  attributes_.bInheritHandle = FALSE;
}

PrivatePipeSecurity::~PrivatePipeSecurity() {
  if (descriptor_) ::LocalFree(descriptor_);
}

} // namespace regbridge::server::win
