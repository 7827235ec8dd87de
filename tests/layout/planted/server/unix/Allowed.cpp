#include <signal.h>
#include <unistd.h>

void ignore() { ::signal(SIGPIPE, SIG_IGN); }
std::string status = "/proc/self/status";
