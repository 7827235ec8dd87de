// Shared helpers for the C++ tests: scratch folders and a real Wine prefix.
#pragma once

#include <filesystem>
#include <string>

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

std::string readFile(const std::filesystem::path& file);
void writeFile(const std::filesystem::path& file, const std::string& content);

} // namespace regbridge::test
