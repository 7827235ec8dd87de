// The lock between the readers of a store's trees and the one thread at a time that swaps or changes them.
//
// Reads are most of what a store does and each takes this lock. A std::shared_mutex costs a reader two atomic
// read-modify-writes on a word every reader shares: 16-20 ns for a lock and unlock on one thread here, ~57 ns when
// two threads read at once and that word moves between their cores. Here a reader, once its thread has a slot, only
// marks that slot and checks a flag: no read-modify-write, no fence (1.3-3.3 ns; ~1.4 ns with two threads). The
// writer pays instead: it raises the flag, has every thread of the process execute a full memory barrier (Linux's
// membarrier, ~1.5 us, against the hundreds a write to a hive file takes), then waits until no slot is marked. That
// barrier is what makes the reader's plain store and load safe: either the writer sees the mark, or the reader sees
// the flag.
//
// Where the system has no such barrier (other systems, Linux before 4.14, a sandbox that refuses the call), and for
// threads beyond the slots there are, it is a std::shared_mutex, as before. Readers may nest; a thread that holds a
// read lock must not take the write lock (it would wait for itself), as with std::shared_mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <shared_mutex>

#include "registry/hive/Platform.h"

namespace regbridge::hive {

class TreeLock {
  struct ReaderSlot;

public:
  // `asymmetric` false: a plain std::shared_mutex (tests check both paths).
  explicit TreeLock(bool asymmetric = enableProcessWideBarrier());
  TreeLock(const TreeLock&) = delete;
  TreeLock& operator=(const TreeLock&) = delete;

  // A read lock held for the guard's life: what HiveCache's readers take. It finds the thread's slot once; through
  // std::shared_lock, lock_shared and unlock_shared each look it up.
  class ReadGuard {
  public:
    explicit ReadGuard(TreeLock& lock) : lock_(lock), slot_(lock.lockShared()) {}
    ~ReadGuard() { lock_.unlockShared(slot_); }
    ReadGuard(const ReadGuard&) = delete;
    ReadGuard& operator=(const ReadGuard&) = delete;

  private:
    TreeLock& lock_;
    ReaderSlot* slot_;
  };

  // SharedLockable and Lockable, for std::shared_lock and std::unique_lock.
  void lock_shared() { lockShared(); }
  void unlock_shared() { unlockShared(asymmetric_ ? slotOfThisThread() : nullptr); }
  void lock();
  void unlock();

  // Whether readers take the fast path here (false: this system has no process-wide barrier). For tests.
  bool isAsymmetric() const { return asymmetric_; }

private:
  // One reading thread's mark. Only its owner writes `reading`, `depth` and `onFallback`; the writer reads
  // `reading`. A cache line each, so that readers on different cores do not share one.
  struct alignas(64) ReaderSlot {
    std::atomic<std::uintptr_t> owner{0}; // currentThreadId() of the thread once claimed; never given back
    std::atomic<bool> reading{false};
    unsigned depth = 0;      // nested read locks held by the owner
    bool onFallback = false; // the outermost one went through fallback_ (a writer was in when it came)
  };
  static constexpr std::size_t kSlots = 64;
  static constexpr std::size_t kProbes = 8; // see slotOfThisThread

  // Takes a read lock; returns the slot it marked, or null when it went through fallback_ (no slot to be had).
  ReaderSlot* lockShared() {
    ReaderSlot* slot = asymmetric_ ? slotOfThisThread() : nullptr;
    if (!slot) {
      fallback_.lock_shared();
      return nullptr;
    }
    if (slot->depth++ != 0) return slot; // nested: the outer lock holds
    slot->reading.store(true, std::memory_order_relaxed);
    // Only the compiler is kept from moving the load above the store; the writer's barrier does the processor's part.
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (writerIn_.load(std::memory_order_acquire)) {
      slot->reading.store(false, std::memory_order_release);
      lockSharedBehindWriter(*slot);
    }
    return slot;
  }
  void unlockShared(ReaderSlot* slot) {
    if (!slot) {
      fallback_.unlock_shared();
    } else if (--slot->depth == 0) {
      if (slot->onFallback) {
        slot->onFallback = false;
        fallback_.unlock_shared();
      } else {
        slot->reading.store(false, std::memory_order_release);
      }
    }
  }

  // The calling thread's slot, claimed at its first read; null when the kProbes slots from the one its id hashes to
  // all belong to other threads. Slots are never given back (a thread that ended may hold one), so a process that
  // has had many reading threads sends its later ones to fallback_ rather than making every read scan the table.
  ReaderSlot* slotOfThisThread() {
    const std::uintptr_t self = currentThreadId();
    // Thread ids are addresses, many bits alike: the top bits of a multiplicative hash spread them.
    const std::size_t start = std::size_t((std::uint64_t(self) * 0x9E3779B97F4A7C15ull) >> 58) % kSlots;
    for (std::size_t i = 0; i < kProbes; ++i) {
      ReaderSlot& slot = slots_[(start + i) % kSlots];
      const std::uintptr_t owner = slot.owner.load(std::memory_order_relaxed);
      if (owner == self) return &slot;
      if (owner == 0) return claimSlot(self, start);
    }
    return nullptr;
  }
  ReaderSlot* claimSlot(std::uintptr_t self, std::size_t start);
  void lockSharedBehindWriter(ReaderSlot& slot);

  bool asymmetric_;
  std::atomic<bool> writerIn_{false};
  // Writers take it exclusively, so they come one at a time; readers that found a writer in wait on it shared, and
  // threads without a slot read through it.
  std::shared_mutex fallback_;
  std::array<ReaderSlot, kSlots> slots_;
};

} // namespace regbridge::hive
