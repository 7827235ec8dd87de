// Group commit: writers that arrive while a save is running wait, and the next single save covers all of them.
// Whoever finds no save running becomes the leader and runs everything queued as one batch; many concurrent async
// writes then cost a few hive rewrites instead of one each. An item may also stand for many writes (a grouped run,
// Backend::runGrouped, of a binding that had them queued): they run in the same batch.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

namespace regbridge::hive {

// Item needs a `bool done`, written here under the queue's mutex, and a `std::exception_ptr error`: the batch
// function reports each item's outcome there. Should it throw anyway, its items get that exception, and the next
// leader still runs (a stuck `running_` would hang every later writer).
template <class Item> class GroupCommit {
public:
  using RunBatch = std::function<void(const std::vector<Item*>&)>;
  explicit GroupCommit(RunBatch run) : run_(std::move(run)) {}

  // Returns once a batch containing `item` has run (on this thread or another).
  void submit(Item& item) { submitAll(std::span<Item>(&item, 1)); }

  // The same for several items, which are queued together and so always run in one batch, in their order.
  void submitAll(std::span<Item> items) {
    if (items.empty()) return;
    std::unique_lock lock(mutex_);
    for (Item& item : items) queue_.push_back(&item);
    while (!items.back().done) {
      if (running_) {
        changed_.wait(lock);
        continue;
      }
      running_ = true;
      std::vector<Item*> batch;
      batch.swap(queue_);
      lock.unlock();
      try {
        run_(batch);
      } catch (...) {
        for (Item* failed : batch)
          if (!failed->error) failed->error = std::current_exception();
      }
      lock.lock();
      for (Item* done : batch) done->done = true;
      running_ = false;
      changed_.notify_all();
    }
  }

private:
  RunBatch run_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Item*> queue_;
  bool running_ = false;
};

} // namespace regbridge::hive
