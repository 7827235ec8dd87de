// Win32 calls are at home here; a POSIX one is not.
#include <windows.h>
#include <winreg.h>

LONG openIt(HKEY root, HKEY* out) { return RegOpenKeyExW(root, L"Software", 0, KEY_READ, out); }
int pid() { return ::getpid(); }
