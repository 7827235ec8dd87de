// Planted for the check of tests/layout/platform-folders.cmake: the lines marked "reported" must be reported, with
// their line numbers, and nothing else. A comment may name flock(), lstat() or <unistd.h> to say why.
#include <string>
#include <unistd.h>
#include "registry/hive/HiveFile.h"

namespace planted {

/* A block comment over lines,
   naming ::open( and struct stat
   and RegOpenKeyExW( */
int call(Store& store, Link& link) {
  store.open("x");               // a method named open is no system call
  link.read();                   // nor one named read
  const char* root = "HKEY_LOCAL_MACHINE"; // a root name, not the HKEY type
  const char* text = "flock(fd) and <sys/stat.h> in a string";
  char quote = '"'; int afterQuote = ::getpid(); // reported: a quote in a char literal ends nothing
  std::string path = std::filesystem::rename(a, b); // std's rename is portable
  struct stat st; /* reported */ return ::stat("p", &st);
}

} // namespace planted
