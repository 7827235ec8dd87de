// Log lines to stderr, filtered by --log-level. stdout is reserved: the ready line in --pipe mode, the protocol
// itself in --stdio mode.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace regbridge::server {

enum class LogLevel { Error, Warn, Info, Debug };

std::optional<LogLevel> parseLogLevel(std::string_view text);

class Log {
public:
  explicit Log(LogLevel level) : level_(level) {}
  bool enabled(LogLevel level) const { return level <= level_; }
  // Thread-safe; one line per call, so that lines from the I/O thread and the workers never interleave.
  void write(LogLevel level, std::string_view message);

  void error(std::string_view m) { write(LogLevel::Error, m); }
  void warn(std::string_view m) {
    if (enabled(LogLevel::Warn)) write(LogLevel::Warn, m);
  }
  void info(std::string_view m) {
    if (enabled(LogLevel::Info)) write(LogLevel::Info, m);
  }
  void debug(std::string_view m) {
    if (enabled(LogLevel::Debug)) write(LogLevel::Debug, m);
  }

private:
  LogLevel level_;
  std::mutex mutex_;
};

} // namespace regbridge::server
