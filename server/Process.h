// Process facts the server needs, implemented per platform (server/unix/Process.cpp).
#pragma once

#include <optional>

namespace regbridge::server {

long currentProcessId();

// A write to a socket whose peer has gone must fail with EPIPE, not kill the process.
void ignoreBrokenPipes();

// Whether the process that started us (and --parent-pid, when given) is still there. Polled: on Linux a pidfd
// would wake us at once, but a 250 ms poll meets the "within 1 s" promise on every Unix alike.
class ParentWatch {
public:
  explicit ParentWatch(std::optional<long> parentPid);
  bool parentAlive() const;

private:
  std::optional<long> parentPid_;
  long initialParent_;
};

} // namespace regbridge::server
