#include "server/Process.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/windows/object_handle.hpp>
#include <chrono>
#include <malloc.h>
#include <vector>
#include <windows.h>

#include <tlhelp32.h> // after windows.h, which it needs

#include "server/FirstToComplete.h"
#include "server/win/Win32Util.h"

namespace regbridge::server {

namespace asio = boost::asio;

long currentProcessId() { return static_cast<long>(::GetCurrentProcessId()); }

// Windows raises no signal on a write: a pipe whose reader has gone fails with ERROR_NO_DATA or ERROR_BROKEN_PIPE,
// a full disk or a quota with ERROR_DISK_FULL, and each becomes an error the caller reports.
void ignoreFatalWriteSignals() {}

// The CRT's heap keeps freed blocks committed; _heapmin hands what it can back to the system.
void releaseFreeMemory() { ::_heapmin(); }

namespace {

// The id of the process that created us, from a process snapshot (Windows keeps no getppid), or 0.
DWORD creatorProcessId() {
  win::UniqueHandle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
  if (!snapshot) return 0;
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  DWORD self = ::GetCurrentProcessId();
  for (BOOL more = ::Process32FirstW(snapshot.get(), &entry); more; more = ::Process32NextW(snapshot.get(), &entry))
    if (entry.th32ProcessID == self) return entry.th32ParentProcessID;
  return 0;
}

std::uint64_t creationTime(HANDLE process) {
  FILETIME created{}, exited{}, kernel{}, user{};
  if (!::GetProcessTimes(process, &created, &exited, &kernel, &user)) return 0;
  return (std::uint64_t(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}

// Whether some process has id `pid` now: OpenProcess fails with ERROR_INVALID_PARAMETER for an id nobody has, and
// with ERROR_ACCESS_DENIED for a process of another user (which is alive).
bool processExists(DWORD pid) {
  win::UniqueHandle process(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
  return process || ::GetLastError() != ERROR_INVALID_PARAMETER;
}

bool exited(HANDLE process) { return ::WaitForSingleObject(process, 0) != WAIT_TIMEOUT; }

} // namespace

struct ParentWatch::Held {
  win::UniqueHandle creator;   // the process that started us; none if it was gone (or its id reused) already
  win::UniqueHandle parentPid; // --parent-pid's process
  bool parentPidGone = false;  // it did not exist at construction
  bool pollParentPid = false;  // it exists but we may not wait on it (another user's): poll its id instead
};

struct ParentWatch::Waiter {
  std::vector<asio::windows::object_handle> handles;
  std::optional<asio::steady_timer> poll;
};

ParentWatch::ParentWatch(std::optional<long> parentPid)
    : parentPid_(parentPid), initialParent_(static_cast<long>(creatorProcessId())), held_(std::make_unique<Held>()) {
  constexpr DWORD access = SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION;
  if (initialParent_ != 0) {
    win::UniqueHandle creator(::OpenProcess(access, FALSE, static_cast<DWORD>(initialParent_)));
    // The snapshot holds ids, not processes: a creator that has exited may have passed its id on to a newer
    // process, which must not be taken for it.
    std::uint64_t born = creator ? creationTime(creator.get()) : 0;
    if (born != 0 && born <= creationTime(::GetCurrentProcess())) held_->creator = std::move(creator);
  }
  if (parentPid_) {
    held_->parentPid.reset(::OpenProcess(access, FALSE, static_cast<DWORD>(*parentPid_)));
    if (!held_->parentPid) {
      if (::GetLastError() == ERROR_INVALID_PARAMETER) held_->parentPidGone = true;
      else held_->pollParentPid = true;
    }
  }
}

ParentWatch::~ParentWatch() = default;

bool ParentWatch::parentAlive() const {
  if (held_->parentPidGone) return false;
  if (held_->parentPid && exited(held_->parentPid.get())) return false;
  if (held_->pollParentPid && !processExists(static_cast<DWORD>(*parentPid_))) return false;
  return !(held_->creator && exited(held_->creator.get()));
}

asio::awaitable<void> ParentWatch::waitForExit() {
  auto executor = co_await asio::this_coro::executor;
  // As on Unix, the wait objects live in this coroutine's frame: the watch outlives the io_context.
  auto owned = std::make_unique<Waiter>();
  waiter_ = owned.get();
  struct Forget {
    Waiter*& slot;
    ~Forget() { slot = nullptr; }
  } forget{waiter_};
  Waiter& w = *waiter_;
  for (HANDLE process : {held_->creator.get(), held_->parentPid.get()}) {
    if (!process) continue;
    // object_handle closes what it is given: give it a duplicate, so parentAlive() keeps its own.
    HANDLE copy = nullptr;
    if (::DuplicateHandle(::GetCurrentProcess(), process, ::GetCurrentProcess(), &copy, 0, FALSE,
                          DUPLICATE_SAME_ACCESS))
      w.handles.emplace_back(executor, copy);
  }
  if (!parentAlive()) co_return;
  if (!held_->pollParentPid) {
    // Whichever exits first; with nothing to watch, only cancel() ends the wait.
    co_await firstToComplete(executor, w.handles, [](auto& handle, auto done) { handle.async_wait(std::move(done)); });
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
  boost::system::error_code ignored;
  for (auto& handle : waiter_->handles) handle.cancel(ignored);
  if (waiter_->poll) waiter_->poll->cancel();
}

} // namespace regbridge::server
