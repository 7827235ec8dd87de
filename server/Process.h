// Process facts the server needs, implemented per platform (server/unix/Process.cpp, server/win/Process.cpp).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>

namespace regbridge::server {

long currentProcessId();

// A write must fail with an error the store reports (ERR_IO), not kill the process: to a socket whose peer has gone
// (SIGPIPE), or past the file-size limit (SIGXFSZ, RLIMIT_FSIZE) while a hive is saved — in-process the same save
// fails with ERR_IO, since Node ignores SIGXFSZ, so the helper must too for both modes to answer alike. Nothing to
// do where writes raise no signal (Windows).
void ignoreFatalWriteSignals();

// Hands memory the allocator keeps for reuse back to the system (glibc's malloc_trim, the Windows CRT's _heapmin);
// nothing elsewhere.
void releaseFreeMemory();

// Whether the process that started us (and --parent-pid, when given) is still there. The parent is the one at
// construction, so construct this first thing in main.
class ParentWatch {
public:
  explicit ParentWatch(std::optional<long> parentPid);
  ~ParentWatch();
  bool parentAlive() const;
  // Returns when either process has exited: at once where the platform can wait on a process (Linux pidfd, a Windows
  // process handle), within a 100 ms poll elsewhere. cancel() makes it return early (it then throws
  // operation_aborted).
  boost::asio::awaitable<void> waitForExit();
  void cancel();

private:
  struct Waiter;
  // What a platform holds from construction on to recognise the processes later (Windows: their handles, so that a
  // process id reused after an exit is not mistaken for the process we watch). Defined per platform.
  struct Held;
  std::optional<long> parentPid_;
  long initialParent_;
  std::unique_ptr<Held> held_;
  Waiter* waiter_ = nullptr; // while waitForExit() runs, for cancel()
};

} // namespace regbridge::server
