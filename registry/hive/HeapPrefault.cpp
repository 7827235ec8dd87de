#include "registry/hive/HeapPrefault.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace regbridge::hive {

#if defined(__GLIBC__)

namespace {

// Linux 5.14; older headers lack the name. Older kernels answer EINVAL and the pages fault in one by one as before.
constexpr int kPopulateWrite = 23; // MADV_POPULATE_WRITE

bool enabled() {
  static const bool on = [] {
    const char* setting = std::getenv("REGBRIDGE_HEAP_PREFAULT");
    return !(setting && std::strcmp(setting, "0") == 0);
  }();
  return on;
}

} // namespace

void prefaultHeap(std::size_t bytes) {
  if (!enabled() || bytes == 0) return;
  static std::once_flag tuned;
  std::call_once(tuned, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
  });
  constexpr std::size_t kPage = 4096;
  bytes = std::min<std::size_t>(bytes, 24 << 20);
  void* block = std::malloc(bytes + 2 * kPage);
  if (!block) return;
  auto begin = (reinterpret_cast<std::uintptr_t>(block) + kPage - 1) & ~std::uintptr_t(kPage - 1);
  madvise(reinterpret_cast<void*>(begin), bytes, kPopulateWrite);
  // Freed, the block joins the arena's top: the tree's allocations are carved from these faulted pages.
  std::free(block);
}

#else

void prefaultHeap(std::size_t) {}

#endif

} // namespace regbridge::hive
