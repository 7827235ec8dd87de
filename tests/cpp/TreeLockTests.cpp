// TreeLock: readers never see a writer's change half made, nested reads and many threads included, on both of its
// paths (the membarrier one where the system has it, and the std::shared_mutex one).
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <mutex>
#include <shared_mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "registry/hive/TreeLock.h"

using regbridge::hive::TreeLock;

namespace {

// Two counters the writer moves apart and back inside its critical section; a reader that sees them differ has run
// beside a writer. Relaxed atomics, so that only the lock orders them (and the test itself has no data race).
struct Guarded {
  std::atomic<long> first{0};
  std::atomic<long> second{0};
};

// `readers` threads reading (every other read nested one level) while `writers` threads write, for `duration`;
// returns how many reads saw a change half made, and counts the reads and writes done.
long runReadersAndWriters(TreeLock& lock, int readers, int writers, std::chrono::milliseconds duration, long& reads,
                          long& writes) {
  Guarded guarded;
  std::atomic<bool> stop{false};
  std::atomic<long> torn{0}, readCount{0}, writeCount{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      long mine = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        {
          // The guard HiveCache's reads take, and std::shared_lock nested in it (lock_shared, unlock_shared).
          TreeLock::ReadGuard outer(lock);
          const long a = guarded.first.load(std::memory_order_relaxed);
          if ((mine + r) % 2 == 0) {
            std::shared_lock inner(lock);
            if (guarded.second.load(std::memory_order_relaxed) != a) torn.fetch_add(1);
          } else if (guarded.second.load(std::memory_order_relaxed) != a) {
            torn.fetch_add(1);
          }
          ++mine;
        }
        // A window for the writers: glibc's std::shared_mutex lets readers in ahead of a waiting writer.
        if (mine % 16 == 0) std::this_thread::yield();
      }
      readCount.fetch_add(mine);
    });
  }
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      long mine = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        std::unique_lock exclusive(lock);
        guarded.first.fetch_add(1, std::memory_order_relaxed);
        // A change that takes a while (~1 µs), as a tree's does, so that a reader let in beside it would see it.
        std::atomic<int> spin{0};
        while (spin.fetch_add(1, std::memory_order_relaxed) < 500) {}
        guarded.second.fetch_add(1, std::memory_order_relaxed);
        ++mine;
      }
      writeCount.fetch_add(mine);
    });
  }
  std::this_thread::sleep_for(duration);
  stop = true;
  for (auto& thread : threads) thread.join();
  reads = readCount;
  writes = writeCount;
  return torn;
}

void expectExclusion(TreeLock& lock) {
  long reads = 0, writes = 0;
  EXPECT_EQ(runReadersAndWriters(lock, 3, 2, std::chrono::milliseconds(300), reads, writes), 0);
  // Both sides ran, so the check above had writes to catch.
  EXPECT_GT(reads, 100);
  EXPECT_GT(writes, 0);
}

} // namespace

TEST(TreeLockTest, UsesTheProcessWideBarrierOnLinux) {
#ifdef __linux__
  // Every kernel this project supports (4.14 and later) has it; a sandbox refusing the call would show here.
  EXPECT_TRUE(TreeLock().isAsymmetric());
#else
  EXPECT_FALSE(TreeLock().isAsymmetric());
#endif
}

TEST(TreeLockTest, ReadersNeverSeeAWriteHalfMade) {
  TreeLock lock;
  expectExclusion(lock);
}

TEST(TreeLockTest, ReadersNeverSeeAWriteHalfMadeOnTheSharedMutex) {
  TreeLock lock(false);
  expectExclusion(lock);
}

TEST(TreeLockTest, ThreadsBeyondTheSlotsReadThroughTheMutex) {
  TreeLock lock;
  // Far more threads than slots, one after the other: each ended thread keeps its slot, so the later ones find
  // none and must still be kept out by a writer.
  for (int round = 0; round < 200; ++round) std::thread([&] { std::shared_lock read(lock); }).join();
  expectExclusion(lock);
}

TEST(TreeLockTest, AWriterWaitsForAReaderInside) {
  TreeLock lock;
  std::atomic<bool> readerIn{false}, writerDone{false};
  std::thread reader([&] {
    std::shared_lock read(lock);
    readerIn = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_FALSE(writerDone.load()) << "the writer went in while a reader was inside";
  });
  while (!readerIn) std::this_thread::yield();
  {
    std::unique_lock write(lock);
    writerDone = true;
  }
  reader.join();
}

TEST(TreeLockTest, AForkedChildCanStillWrite) {
  TreeLock lock;
  { std::unique_lock write(lock); }
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child's own barrier registration is made again if the kernel did not carry it over.
    try {
      std::shared_lock read(lock);
    } catch (...) {
      ::_exit(2);
    }
    try {
      std::unique_lock write(lock);
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}
