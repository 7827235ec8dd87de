// Shared server code: a Win32 handle type, a POSIX-only signal and a /proc path are each reported.
#include <csignal>
#include <string>

void watch(HANDLE process);
int signals[] = {SIGTERM, SIGINT};
int broken[] = {SIGPIPE};
std::string status = "/proc/self/status";
