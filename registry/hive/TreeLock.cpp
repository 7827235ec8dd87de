// TreeLock.h: finding a thread's slot, and the writer's side.
#include "registry/hive/TreeLock.h"

#include <thread>

#include "registry/Error.h"

namespace regbridge::hive {

TreeLock::TreeLock(bool asymmetric) : asymmetric_(asymmetric) {}

TreeLock::ReaderSlot* TreeLock::claimSlot(std::uintptr_t self, std::size_t start) {
  // The first free slot along the same path, so that later lookups, which stop at the first free one, find it.
  for (std::size_t i = 0; i < kProbes; ++i) {
    ReaderSlot& slot = slots_[(start + i) % kSlots];
    std::uintptr_t owner = 0;
    if (slot.owner.compare_exchange_strong(owner, self, std::memory_order_relaxed)) return &slot;
    if (owner == self) return &slot;
  }
  return nullptr;
}

void TreeLock::lockSharedBehindWriter(ReaderSlot& slot) {
  // The writer holds fallback_ exclusively until it is done: wait there, then read under it.
  fallback_.lock_shared();
  slot.onFallback = true;
}

void TreeLock::lock() {
  fallback_.lock();
  if (!asymmetric_) return;
  writerIn_.store(true, std::memory_order_relaxed);
  if (!processWideBarrier()) {
    // Cannot happen once the barrier was registered; were it to, no reader could be trusted to see the flag, so
    // the change is refused rather than made under readers.
    writerIn_.store(false, std::memory_order_relaxed);
    fallback_.unlock();
    throw RegistryError(ErrorCode::Io, "cannot change the store's trees: the process-wide memory barrier failed");
  }
  // Every reader now either has its mark visible here or will see the flag and wait on fallback_.
  for (ReaderSlot& slot : slots_) {
    for (unsigned spins = 0; slot.reading.load(std::memory_order_acquire); ++spins) {
      if (spins < 64) continue;
      std::this_thread::yield();
    }
  }
}

void TreeLock::unlock() {
  if (asymmetric_) writerIn_.store(false, std::memory_order_release);
  fallback_.unlock();
}

} // namespace regbridge::hive
