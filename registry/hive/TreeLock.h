// The lock of a store's trees: shared by readers, taken whole by the one thread that changes or swaps them
// (HiveCache.h). Reads are many and short (a read from memory is ~0.1 µs) and writes few, so a reader's way in and
// out is one atomic add each, inline; std::shared_mutex (a pthread rwlock) cost a call and a compare-and-swap loop each
// way, a tenth of a read. A writer waiting for the readers to leave shuts new readers out meanwhile, so a steady
// stream of reads cannot starve it. Meets the SharedMutex requirements used here: lock, unlock, lock_shared,
// unlock_shared (std::unique_lock and std::shared_lock take it).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace regbridge::hive {

class TreeLock {
public:
  void lock_shared() {
    if ((state_.fetch_add(1, std::memory_order_acquire) & kWriter) == 0) [[likely]]
      return;
    waitForWriter();
  }

  void unlock_shared() {
    // The last reader out while a writer waits lets it in.
    if (state_.fetch_sub(1, std::memory_order_release) - 1 == kWriter) state_.notify_all();
  }

  void lock() {
    writers_.lock(); // one writer at a time; the others wait here
    std::uint32_t state = state_.fetch_or(kWriter, std::memory_order_acquire) | kWriter;
    while (state != kWriter) { // readers still inside
      state_.wait(state, std::memory_order_acquire);
      state = state_.load(std::memory_order_acquire);
    }
  }

  void unlock() {
    state_.fetch_and(~kWriter, std::memory_order_release);
    state_.notify_all(); // the readers waiting for the writer
    writers_.unlock();
  }

private:
  // A writer holds the lock or waits for readers to leave: step back out (so as not to keep it waiting) until it is
  // done, then come in again.
  void waitForWriter() {
    for (;;) {
      std::uint32_t state = state_.fetch_sub(1, std::memory_order_relaxed) - 1;
      if (state == kWriter) state_.notify_all();
      while (state & kWriter) {
        state_.wait(state, std::memory_order_relaxed);
        state = state_.load(std::memory_order_relaxed);
      }
      if ((state_.fetch_add(1, std::memory_order_acquire) & kWriter) == 0) return;
    }
  }

  static constexpr std::uint32_t kWriter = std::uint32_t(1) << 31;
  std::atomic<std::uint32_t> state_{0}; // readers inside (or stepping in), plus kWriter while a writer holds or waits
  std::mutex writers_;
};

} // namespace regbridge::hive
