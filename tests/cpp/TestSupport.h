// Shared helpers for the C++ tests: scratch folders and a real Wine prefix.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "registry/Unicode.h"

namespace regbridge::test {

// A fresh folder under the system temp dir, removed with everything in it when the object goes.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

private:
  std::filesystem::path path_;
};

// A prefix made by `wineboot -i` (WINEDEBUG=-all), once per build tree and cached under the build folder; every
// call after the first returns the cached one at once. Tests must not change it: copy it (copyRealPrefix) first.
// Fails the calling test (via an exception) when wine is not installed: the bootstrap installs it.
const std::filesystem::path& realWinePrefix();

// Copies the three hive files of the real prefix into `dir` (only those: drive_c is not needed by the store).
void copyRealPrefix(const std::filesystem::path& dir);

// UTF-8 text as the UTF-16LE bytes a string value stores, followed by `nuls` UTF-16 NULs (1: one terminator).
// Inline, so that the tests built for Windows, which do not link this file's POSIX half, can use it.
inline std::vector<std::uint8_t> utf16Bytes(std::string_view utf8, int nuls = 1) {
  std::vector<unsigned char> out;
  appendLe(out, *utf8ToUtf16(utf8));
  for (int i = 0; i < nuls; ++i) out.insert(out.end(), {0, 0});
  return {out.begin(), out.end()};
}

std::string readFile(const std::filesystem::path& file);
void writeFile(const std::filesystem::path& file, const std::string& content);

} // namespace regbridge::test
