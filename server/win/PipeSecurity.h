// Who may reach the helper's pipe: the user who started it, and nobody else. Two locks, as with the Unix socket's
// private folder and peer-uid check: a DACL on the pipe (only this user and SYSTEM may open it or add instances of
// it), and a check of every connected client's process, in case the DACL were ever loosened.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <windows.h>

namespace regbridge::server::win {

// A security identifier, copied out of the token it came from.
class Sid {
public:
  // The user this process runs as (its token's TokenUser). Throws std::runtime_error.
  static Sid currentUser();
  // The user process `pid` runs as; nullopt with `why` set when it cannot be told (the process is gone, or belongs
  // to someone whose token we may not read).
  static std::optional<Sid> userOfProcess(DWORD pid, std::string& why);

  PSID get() const { return const_cast<BYTE*>(bytes_.data()); }
  bool operator==(const Sid& other) const { return ::EqualSid(get(), other.get()) != FALSE; }
  std::string text() const; // S-1-5-21-..., or empty if it cannot be formatted

private:
  std::vector<BYTE> bytes_;
};

// SECURITY_ATTRIBUTES for CreateNamedPipeW whose protected DACL grants full access to `user` and SYSTEM only: no
// inherited entries, no Everyone, no Administrators, no network logons.
class PrivatePipeSecurity {
public:
  explicit PrivatePipeSecurity(const Sid& user);
  ~PrivatePipeSecurity();
  PrivatePipeSecurity(const PrivatePipeSecurity&) = delete;
  PrivatePipeSecurity& operator=(const PrivatePipeSecurity&) = delete;

  SECURITY_ATTRIBUTES* attributes() { return &attributes_; }

private:
  PSECURITY_DESCRIPTOR descriptor_ = nullptr;
  SECURITY_ATTRIBUTES attributes_{};
};

} // namespace regbridge::server::win
