// The parts of HiveFile.h that need no system call: temporary file names and the `#arch=` header line. The rest is
// per platform (registry/hive/posix/HiveFile.cpp).
#include "registry/hive/HiveFile.h"

namespace regbridge::hive {

namespace {

constexpr std::string_view kTempSuffix = ".regbridge-tmp";

} // namespace

FileIdentity identityAt(const std::string& path, const PathStatus& status) {
  if (!status.exists) return {};
  if (status.isLink) return statIdentity(path);
  return status.identity;
}

FileIdentity replaceFileAtomically(const std::string& path, std::string_view content) {
  return replaceFileAtomically(path, std::span<const std::string_view>(&content, 1));
}

bool isTemporaryFileName(std::string_view name) {
  return name.size() > kTempSuffix.size() && name.substr(name.size() - kTempSuffix.size()) == kTempSuffix;
}

std::string temporaryFileName(const std::string& target, long processId, unsigned serial) {
  return target + "." + std::to_string(processId) + "." + std::to_string(serial) + std::string(kTempSuffix);
}

std::string peekArch(const std::string& path) {
  // Wine writes the header in the first few lines; a file that is not a hive has none to follow, and its own hive
  // reports the problem.
  const std::string start = readFileHead(path, 1024);
  std::string_view head(start);
  auto at = head.find("\n#arch=");
  if (at == std::string_view::npos) return {};
  head.remove_prefix(at + 7);
  auto end = head.find_first_of("\r\n");
  if (end == std::string_view::npos) return {};
  return std::string(head.substr(0, end));
}

} // namespace regbridge::hive
