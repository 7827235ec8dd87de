// DeferredClose.h: one thread, started at the first call, closing what it is handed.
#include "registry/hive/posix/DeferredClose.h"

#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

namespace regbridge::hive {
namespace {

// A save renames once per hive file: a closing thread more than this many descriptors behind is slower than the
// saves, and the saves wait for it (by closing their own) rather than holding ever more files open.
constexpr std::size_t kMostPending = 16;

struct Closer {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<int> pending;
  bool started = false;
  bool failed = false; // the thread could not be started: every close is done on the caller's thread

  void run() {
    std::vector<int> closing;
    while (true) {
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return !pending.empty(); });
        closing.swap(pending);
      }
      for (int fd : closing) ::close(fd);
      closing.clear();
    }
  }
};

// Never destroyed: the thread runs until the process ends, and static destructors at exit must not pull its state
// from under it.
Closer* instance = nullptr;

// A child made by fork has no closing thread, and may have been forked while another thread held the lock: it starts
// afresh, and closes its copies of what was still waiting (alone in the child, it may read them without the lock).
void startAfreshInChild() {
  Closer* parents = instance;
  instance = new Closer;
  for (int fd : parents->pending) ::close(fd);
}

Closer& closer() {
  static const bool made = [] {
    instance = new Closer;
    ::pthread_atfork(nullptr, nullptr, startAfreshInChild);
    return true;
  }();
  (void)made;
  return *instance;
}

} // namespace

void closeLater(int fd) {
  if (fd < 0) return;
  Closer& c = closer();
  {
    std::lock_guard lock(c.mutex);
    if (!c.failed && c.pending.size() < kMostPending) {
      if (!c.started) {
        try {
          std::thread([&c] { c.run(); }).detach();
          c.started = true;
        } catch (const std::system_error&) {
          c.failed = true;
        }
      }
      if (c.started) {
        c.pending.push_back(fd);
        c.wake.notify_one();
        return;
      }
    }
  }
  ::close(fd);
}

} // namespace regbridge::hive
