// regbridge-server: the pipe-mode helper. Parses the command line, opens the store (or not, with --echo) and runs
// the server. Exit codes: 0 normal stop, 1 `exit` without `shutdown` or a failure to start, 2 bad usage.
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "registry/Backend.h"
#include "server/Handler.h"
#include "server/Options.h"
#include "server/Process.h"
#include "server/Server.h"

using namespace regbridge;
using namespace regbridge::server;

int main(int argc, char** argv) {
  ignoreFatalWriteSignals();
  std::optional<ParentWatch> parent;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  ServerOptions options;
  try {
    options = parseOptions(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "regbridge-server: %s\n%s", e.what(), usageText().c_str());
    return 2;
  }
  if (options.help) {
    std::fputs(usageText().c_str(), stdout);
    return 0;
  }
  if (options.version) {
    std::puts(REGBRIDGE_VERSION);
    return 0;
  }

  // Before anything slow (opening the store): it must record the process that started us while it is still there.
  parent.emplace(options.parentPid);
  Log log(options.logLevel);
  try {
    ServerInfo info{"echo", "", REGBRIDGE_VERSION, currentProcessId(), options.maxFrameBytes};
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Handler> handler;
    if (options.echo) {
      handler = std::make_unique<EchoHandler>();
    } else {
      backend = openBackend({options.prefix});
      info.backend = std::string(backend->kind());
      info.prefix = backend->location();
      handler = std::make_unique<TableHandler>(*backend);
    }
    Server server(options, *handler, info, log, *parent);
    return server.run();
  } catch (const std::exception& e) {
    log.error(e.what());
    return 1;
  }
}
