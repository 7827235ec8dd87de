#include "registry/Backend.h"

#include <atomic>
#include <string>

#include "registry/Error.h"

namespace regbridge {

std::uint64_t nextServingVersion() {
  // Shared by every backend in the process, so that no two ever hand out the same version.
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

namespace {
thread_local bool noBlocking = false;
} // namespace

NoBlockingScope::NoBlockingScope() : previous_(noBlocking) { noBlocking = true; }
NoBlockingScope::~NoBlockingScope() { noBlocking = previous_; }
bool blockingForbidden() { return noBlocking; }

void throwValueChanged(const KeyPath& path, std::string_view name, const ExpectedValue& expected, bool exists) {
  const std::string key(path.original);
  const std::string what = name.empty() ? "the default value of key '" + key + "'"
                                        : "the value '" + std::string(name) + "' of key '" + key + "'";
  const char* why = !expected.matches ? "it exists, and was expected not to"
                    : !exists         ? "it does not exist"
                                      : "its type or data differ";
  throw RegistryError(ErrorCode::ValueChanged, what + " is not the expected one: " + why + "; read it again and retry",
                      key, std::string(name));
}

} // namespace regbridge
