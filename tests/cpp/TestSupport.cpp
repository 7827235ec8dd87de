#include "tests/cpp/TestSupport.h"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace regbridge::test {

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = fs::temp_directory_path() / ("regbridge-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  out << content;
}

const fs::path& realWinePrefix() {
  static std::mutex mutex;
  static fs::path prefix;
  std::lock_guard lock(mutex);
  if (!prefix.empty()) return prefix;
  fs::path cached = fs::path(REGBRIDGE_TEST_CACHE_DIR) / "wineprefix";
  if (!fs::exists(cached / "system.reg") || !fs::exists(cached / "userdef.reg")) {
    // Build in a side folder and rename, so that an interrupted wineboot never leaves a half-made cache.
    fs::path building = fs::path(REGBRIDGE_TEST_CACHE_DIR) / ("wineprefix.building." + std::to_string(::getpid()));
    fs::remove_all(building);
    fs::create_directories(building.parent_path());
    std::string cmd = "WINEPREFIX='" + building.string() + "' WINEDEBUG=-all wineboot -i >/dev/null 2>&1 && " +
                      "WINEPREFIX='" + building.string() + "' wineserver -w";
    if (std::system(cmd.c_str()) != 0 || !fs::exists(building / "system.reg"))
      throw std::runtime_error("wineboot -i failed; is wine installed? (scripts/bootstrap installs it)");
    std::error_code ec;
    fs::rename(building, cached, ec);
    // Another test process (ctest -j) may have finished first: its prefix is as good as ours.
    if (ec) fs::remove_all(building);
  }
  prefix = cached;
  return prefix;
}

void copyRealPrefix(const fs::path& dir) {
  const auto& src = realWinePrefix();
  fs::create_directories(dir);
  for (const char* name : {"system.reg", "user.reg", "userdef.reg"})
    fs::copy_file(src / name, dir / name, fs::copy_options::overwrite_existing);
}

} // namespace regbridge::test
