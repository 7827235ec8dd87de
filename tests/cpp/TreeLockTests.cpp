// The trees' reader-writer lock (registry/hive/TreeLock.h): readers share it, a writer has it alone, and neither
// side starves the other.
#include <atomic>
#include <gtest/gtest.h>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "registry/hive/TreeLock.h"

using regbridge::hive::TreeLock;

TEST(TreeLockTest, ReadersNeverSeeAWriteHalfDone) {
  TreeLock lock;
  long a = 0, b = 0; // a writer changes both; a reader must always find them equal
  std::atomic<bool> torn{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        std::shared_lock shared(lock);
        if (a != b) torn = true;
        ++reads;
      }
    });
  std::thread writer([&] {
    for (int i = 0; i < 2000; ++i) {
      std::unique_lock exclusive(lock);
      ++a;
      std::this_thread::yield();
      ++b;
    }
  });
  for (auto& reader : readers) reader.join();
  writer.join();
  EXPECT_FALSE(torn);
  EXPECT_EQ(reads, 3 * 20000);
  EXPECT_EQ(a, 2000);
  EXPECT_EQ(b, 2000);
}

TEST(TreeLockTest, WritersTakeTurns) {
  TreeLock lock;
  long count = 0;
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        std::unique_lock exclusive(lock);
        ++count;
      }
    });
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(count, 4 * 5000);
}

TEST(TreeLockTest, AWriterGetsInWhileReadersKeepComing) {
  TreeLock lock;
  std::atomic<bool> written{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&] {
      while (!stop) {
        std::shared_lock shared(lock);
      }
    });
  std::thread writer([&] {
    std::unique_lock exclusive(lock);
    written = true;
  });
  writer.join(); // returns only once the writer had the lock
  EXPECT_TRUE(written);
  stop = true;
  for (auto& reader : readers) reader.join();
}
