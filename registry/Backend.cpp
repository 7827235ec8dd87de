#include "registry/Backend.h"

#include <atomic>

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

} // namespace regbridge
