// The other process of Win32CompareAndSetTest.ThreadsAndProcessesNeverLoseAnIncrement: increments the DWORD
// `count` of the key given as its first argument, as many times as the second says, through a Win32 backend of its
// own. Exits 0 when done, 1 with the error on stderr otherwise.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "registry/win/Win32Backend.h"
#include "tests/cpp/win/CasIncrement.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: regbridge_cas_incrementer KEY COUNT\n");
    return 2;
  }
  try {
    auto backend = regbridge::openWin32Backend();
    const int count = std::atoi(argv[2]);
    for (int n = 0; n < count; ++n) regbridge::test::incrementCount(*backend, argv[1]);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "regbridge_cas_incrementer: %s\n", e.what());
    return 1;
  }
}
