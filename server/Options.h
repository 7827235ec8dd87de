// The command line of regbridge-server (see PROTOCOL.md "Starting the server").
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "server/Log.h"

namespace regbridge::server {

struct ServerOptions {
  enum class Mode { Pipe, Stdio };
  Mode mode = Mode::Pipe;
  std::string pipePath;          // --pipe PATH
  std::string prefix;            // --prefix DIR; empty: the store's default
  std::optional<long> parentPid; // --parent-pid N
  LogLevel logLevel = LogLevel::Warn;
  std::size_t maxFrameBytes = 0;                 // 0 until parsed; parseOptions fills in the default
  std::chrono::milliseconds frameTimeout{30000}; // --frame-timeout-ms: a frame left unfinished this long closes
  bool echo = false;                             // --echo: answer every request with its params, no store
  bool help = false;
  bool version = false;
};

class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// `args` excludes argv[0]. Accepts `--name value` and `--name=value`. Throws UsageError naming the problem.
ServerOptions parseOptions(std::span<const std::string_view> args);

std::string usageText();

} // namespace regbridge::server
