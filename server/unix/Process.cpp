#include "server/Process.h"

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace regbridge::server {

long currentProcessId() { return static_cast<long>(::getpid()); }

void ignoreBrokenPipes() { std::signal(SIGPIPE, SIG_IGN); }

ParentWatch::ParentWatch(std::optional<long> parentPid)
    : parentPid_(parentPid), initialParent_(static_cast<long>(::getppid())) {}

bool ParentWatch::parentAlive() const {
  // EPERM means the process exists under another user: still alive.
  if (parentPid_ && ::kill(static_cast<pid_t>(*parentPid_), 0) != 0 && errno == ESRCH) return false;
  // When the parent dies we are re-parented (to init or a subreaper), so a changed ppid is its death notice.
  return static_cast<long>(::getppid()) == initialParent_;
}

} // namespace regbridge::server
