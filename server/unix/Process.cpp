#include "server/Process.h"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <memory>
#include <unistd.h>
#include <vector>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/syscall.h>

#include "server/FirstToComplete.h"
#endif

namespace regbridge::server {

namespace asio = boost::asio;

long currentProcessId() { return static_cast<long>(::getpid()); }

void ignoreFatalWriteSignals() {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
}

void releaseFreeMemory() {
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
}

namespace {

// A descriptor that becomes readable when process `pid` exits (Linux 5.3+), or -1 where there is none.
int openProcessHandle(long pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
  return static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

} // namespace

// Nothing: a pid is checked afresh each time (kill, getppid), and a pidfd opened while waiting.
struct ParentWatch::Held {};

struct ParentWatch::Waiter {
  std::vector<asio::posix::stream_descriptor> handles;
  std::optional<asio::steady_timer> poll;
};

ParentWatch::ParentWatch(std::optional<long> parentPid)
    : parentPid_(parentPid), initialParent_(static_cast<long>(::getppid())) {}

ParentWatch::~ParentWatch() = default;

bool ParentWatch::parentAlive() const {
  // EPERM means the process exists under another user: still alive.
  if (parentPid_ && ::kill(static_cast<pid_t>(*parentPid_), 0) != 0 && errno == ESRCH) return false;
  // When the parent dies we are re-parented (to init or a subreaper), so a changed ppid is its death notice.
  return static_cast<long>(::getppid()) == initialParent_;
}

asio::awaitable<void> ParentWatch::waitForExit() {
  auto executor = co_await asio::this_coro::executor;
  // The waiter's I/O objects live in this coroutine's frame, not in the watch: the watch outlives the io_context (it
  // is made first thing in main), and an I/O object destroyed after its io_context's services is a use after free.
  auto owned = std::make_unique<Waiter>();
  waiter_ = owned.get();
  struct Forget {
    Waiter*& slot;
    ~Forget() { slot = nullptr; }
  } forget{waiter_};
  Waiter& w = *waiter_;
  std::vector<long> pids = {initialParent_};
  if (parentPid_) pids.push_back(*parentPid_);
  bool everyPidWatched = true;
  for (long pid : pids) {
    int fd = openProcessHandle(pid);
    if (fd < 0) {
      // ESRCH: already gone (checked below); otherwise no pidfd here (an old kernel, a seccomp filter): poll.
      everyPidWatched = false;
      continue;
    }
    w.handles.emplace_back(executor, fd);
  }
  // The parent may have died before its pidfd was opened (then the pidfd is of whoever has its pid now, or none).
  if (!parentAlive()) co_return;
  if (everyPidWatched) {
    // Whichever exits first. The first wait to complete, exit or cancel, ends the race.
    co_await firstToComplete(executor, w.handles, [](auto& handle, auto done) {
      handle.async_wait(asio::posix::stream_descriptor::wait_read, std::move(done));
    });
    co_return;
  }
  w.poll.emplace(executor);
  while (parentAlive()) {
    w.poll->expires_after(std::chrono::milliseconds(100));
    co_await w.poll->async_wait(asio::use_awaitable);
  }
}

void ParentWatch::cancel() {
  if (!waiter_) return;
  for (auto& handle : waiter_->handles) handle.cancel();
  if (waiter_->poll) waiter_->poll->cancel();
}

} // namespace regbridge::server
