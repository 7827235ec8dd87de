#include "server/Log.h"

#include <cstdio>

namespace regbridge::server {

std::optional<LogLevel> parseLogLevel(std::string_view text) {
  if (text == "error") return LogLevel::Error;
  if (text == "warn") return LogLevel::Warn;
  if (text == "info") return LogLevel::Info;
  if (text == "debug") return LogLevel::Debug;
  return std::nullopt;
}

void Log::write(LogLevel level, std::string_view message) {
  if (!enabled(level)) return;
  static constexpr std::string_view kNames[] = {"error", "warn", "info", "debug"};
  std::string line = "regbridge-server: ";
  line += kNames[static_cast<int>(level)];
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

} // namespace regbridge::server
