// POSIX calls are at home here; a Win32 one is not.
#include <fcntl.h>
#include <sys/file.h>
#include <windows.h>

int lockIt(int fd) { return ::flock(fd, LOCK_EX); }
