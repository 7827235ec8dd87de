#include "server/Options.h"

#include <charconv>

#include "protocol/FrameReader.h"

namespace regbridge::server {

namespace {

template <class T> T parseNumber(std::string_view name, std::string_view text, T min) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min)
    throw UsageError(std::string(name) + " expects an integer >= " + std::to_string(min) + ", got '" +
                     std::string(text) + "'");
  return value;
}

} // namespace

ServerOptions parseOptions(std::span<const std::string_view> args) {
  ServerOptions options;
  options.maxFrameBytes = protocol::kDefaultMaxFrameBytes;
  bool pipe = false, stdio = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::optional<std::string_view> inlineValue;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      inlineValue = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    auto value = [&]() -> std::string_view {
      if (inlineValue) return *inlineValue;
      if (i + 1 >= args.size()) throw UsageError(std::string(arg) + " needs a value");
      return args[++i];
    };
    auto flag = [&] {
      if (inlineValue) throw UsageError(std::string(arg) + " takes no value");
    };
    if (arg == "--pipe") {
      options.pipePath = value();
      if (options.pipePath.empty()) throw UsageError("--pipe needs a path");
      pipe = true;
    } else if (arg == "--stdio") {
      flag();
      stdio = true;
    } else if (arg == "--echo") {
      flag();
      options.echo = true;
    } else if (arg == "--prefix") {
      options.prefix = value();
    } else if (arg == "--parent-pid") {
      options.parentPid = parseNumber<long>("--parent-pid", value(), 1);
    } else if (arg == "--log-level") {
      std::string_view text = value();
      auto level = parseLogLevel(text);
      if (!level) throw UsageError("--log-level expects error, warn, info or debug, got '" + std::string(text) + "'");
      options.logLevel = *level;
    } else if (arg == "--max-frame-bytes") {
      // Below a few hundred bytes not even `initialize` fits; the floor only guards against a typo.
      options.maxFrameBytes = parseNumber<std::size_t>("--max-frame-bytes", value(), 256);
    } else if (arg == "--frame-timeout-ms") {
      options.frameTimeout = std::chrono::milliseconds(parseNumber<long>("--frame-timeout-ms", value(), 1));
    } else if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--version") {
      options.version = true;
    } else {
      throw UsageError("unknown option '" + std::string(arg) + "'");
    }
  }
  if (options.help || options.version) return options;
  if (pipe == stdio) throw UsageError("give exactly one of --pipe PATH and --stdio");
  options.mode = stdio ? ServerOptions::Mode::Stdio : ServerOptions::Mode::Pipe;
  return options;
}

std::string usageText() {
  return "usage: regbridge-server (--pipe PATH | --stdio) [--prefix DIR] [--echo] [--parent-pid N]\n"
         "                        [--log-level error|warn|info|debug] [--max-frame-bytes N] [--frame-timeout-ms N]\n"
         "\n"
         "Serves the regbridge protocol (JSON-RPC 2.0 with LSP framing; see protocol/PROTOCOL.md).\n"
         "  --pipe PATH          listen on a Unix socket at PATH; its folder is created 0700 if missing and must\n"
         "                       be 0700 and ours if it exists; on Windows PATH is a named pipe, \\\\.\\pipe\\NAME;\n"
         "                       prints {\"ready\":true,...} on stdout when listening\n"
         "  --stdio              serve one client on stdin/stdout\n"
         "  --prefix DIR         the hive store folder (default $REGBRIDGE_PREFIX, else\n"
         "                       $XDG_DATA_HOME/regbridge, else ~/.local/share/regbridge)\n"
         "  --echo               answer every request with its params, touching no store (a benchmark floor)\n"
         "  --parent-pid N       exit when process N exits (the parent process is always watched)\n"
         "  --log-level LEVEL    what to log on stderr (default warn)\n"
         "  --max-frame-bytes N  largest message body accepted (default 67108864)\n"
         "  --frame-timeout-ms N close a connection whose unfinished frame gets no byte for N ms (default 30000)\n";
}

} // namespace regbridge::server
