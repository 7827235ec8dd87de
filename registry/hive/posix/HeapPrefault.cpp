// HeapPrefault.h where glibc's malloc and Linux's madvise make it worth doing; a no-op on other POSIX systems.
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
constexpr std::uintptr_t kHugePage = 2 << 20;
// The heap keeps up to this much free memory at its top, so that a faulted block stays there until used...
constexpr int kTrimThreshold = 64 << 20;
// ...and glibc's default, while a load hands back what it did not use.
constexpr int kTrimWhileReleasing = 128 << 10;

bool enabled() {
  static const bool on = [] {
    const char* setting = std::getenv("REGBRIDGE_HEAP_PREFAULT");
    return !(setting && std::strcmp(setting, "0") == 0);
  }();
  return on;
}

std::uintptr_t roundUp(std::uintptr_t n, std::uintptr_t to) { return (n + to - 1) & ~(to - 1); }

// The untouched stretch below the huge pages, kept allocated until the next call (see prefaultHeap); several stores
// in one process may load at once.
std::mutex spacerMutex;
void* spacer = nullptr;

} // namespace

void prefaultHeap(std::size_t bytes) {
  if (!enabled() || bytes == 0) return;
  static std::once_flag tuned;
  std::call_once(tuned, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  });
  std::lock_guard guard(spacerMutex);
  std::free(spacer);
  spacer = nullptr;
  bytes = roundUp(std::min<std::size_t>(bytes, 24 << 20), kHugePage);
  // Half as much again may come as huge pages on first touch, without populating (zeroing) it up front.
  const std::size_t hugeBytes = roundUp(bytes + bytes / 2, kHugePage);
  // Room to start on a huge page boundary.
  void* block = std::malloc(hugeBytes + kHugePage);
  if (!block) return;
  const auto start = reinterpret_cast<std::uintptr_t>(block);
  const auto begin = roundUp(start + 64, kHugePage);
  // Huge pages: one fault per 2 MiB instead of one per 4 KiB, in the guest and in the host's page tables. A first
  // touch of a populated 4 KiB page still costs ~3 us on these VMs; of a populated huge page, next to nothing.
  // Where THP is off (`never`) this is a no-op and the populate below still saves the guest faults.
#ifdef MADV_HUGEPAGE
  madvise(reinterpret_cast<void*>(begin), hugeBytes, MADV_HUGEPAGE);
#endif
  madvise(reinterpret_cast<void*>(begin), bytes, kPopulateWrite);
  std::free(block);
  // Freed, the block joins the arena's top. The stretch below the first huge page (up to 2 MiB of 4 KiB pages)
  // would be carved first: hold it with an allocation that is never touched, so the next allocations start on the
  // huge pages. It costs address space, not memory, and is freed at the next call.
  spacer = std::malloc(begin - start - 48);
}

void releaseUnusedHeap(std::string&& text) {
  if (!enabled()) {
    std::string().swap(text);
    return;
  }
  std::lock_guard guard(spacerMutex);
  mallopt(M_TRIM_THRESHOLD, kTrimWhileReleasing);
  std::string().swap(text); // freed: the arena's top is trimmed now
  malloc_trim(0);           // every arena's free chunks, and the main arena's top
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

#else

void prefaultHeap(std::size_t) {}
void releaseUnusedHeap(std::string&& text) { std::string().swap(text); }

#endif

} // namespace regbridge::hive
