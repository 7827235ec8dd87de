// regbridge-server's command line: both option forms, defaults, and a clear error for every mistake.
#include <gtest/gtest.h>

#include <vector>

#include "protocol/FrameReader.h"
#include "server/Options.h"

using namespace regbridge::server;

namespace {

ServerOptions parse(std::vector<std::string_view> args) { return parseOptions(args); }

std::string usageError(std::vector<std::string_view> args) {
  try {
    parseOptions(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST(ServerOptionsTest, PipeModeWithEverything) {
  ServerOptions o = parse({"--pipe", "/run/x/s", "--prefix=/p", "--parent-pid", "42", "--log-level", "debug",
                           "--max-frame-bytes=1000", "--echo"});
  EXPECT_EQ(o.mode, ServerOptions::Mode::Pipe);
  EXPECT_EQ(o.pipePath, "/run/x/s");
  EXPECT_EQ(o.prefix, "/p");
  EXPECT_EQ(o.parentPid, 42);
  EXPECT_EQ(o.logLevel, LogLevel::Debug);
  EXPECT_EQ(o.maxFrameBytes, 1000u);
  EXPECT_TRUE(o.echo);
}

TEST(ServerOptionsTest, Defaults) {
  ServerOptions o = parse({"--stdio"});
  EXPECT_EQ(o.mode, ServerOptions::Mode::Stdio);
  EXPECT_EQ(o.logLevel, LogLevel::Warn);
  EXPECT_EQ(o.maxFrameBytes, regbridge::protocol::kDefaultMaxFrameBytes);
  EXPECT_FALSE(o.parentPid);
  EXPECT_FALSE(o.echo);
  EXPECT_TRUE(o.prefix.empty());
}

TEST(ServerOptionsTest, Mistakes) {
  EXPECT_EQ(usageError({}), "give exactly one of --pipe PATH and --stdio");
  EXPECT_EQ(usageError({"--pipe", "/s", "--stdio"}), "give exactly one of --pipe PATH and --stdio");
  EXPECT_EQ(usageError({"--pipe"}), "--pipe needs a value");
  EXPECT_EQ(usageError({"--pipe="}), "--pipe needs a path");
  EXPECT_EQ(usageError({"--stdio", "--log-level", "loud"}),
            "--log-level expects error, warn, info or debug, got 'loud'");
  EXPECT_EQ(usageError({"--stdio", "--parent-pid", "0"}), "--parent-pid expects an integer >= 1, got '0'");
  EXPECT_EQ(usageError({"--stdio", "--max-frame-bytes", "12"}),
            "--max-frame-bytes expects an integer >= 256, got '12'");
  EXPECT_EQ(usageError({"--stdio", "--max-frame-bytes", "1k"}),
            "--max-frame-bytes expects an integer >= 256, got '1k'");
  EXPECT_EQ(usageError({"--stdio", "--echo=yes"}), "--echo takes no value");
  EXPECT_EQ(usageError({"--stdio", "--prefx", "/p"}), "unknown option '--prefx'");
}

TEST(ServerOptionsTest, HelpAndVersionNeedNothingElse) {
  EXPECT_TRUE(parse({"--help"}).help);
  EXPECT_TRUE(parse({"--version"}).version);
  EXPECT_NE(usageText().find("--max-frame-bytes"), std::string::npos);
}

TEST(ServerOptionsTest, FrameTimeout) {
  EXPECT_EQ(parse({"--stdio"}).frameTimeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(parse({"--stdio", "--frame-timeout-ms", "250"}).frameTimeout, std::chrono::milliseconds(250));
  EXPECT_EQ(usageError({"--stdio", "--frame-timeout-ms", "0"}), "--frame-timeout-ms expects an integer >= 1, got '0'");
  EXPECT_NE(usageText().find("--frame-timeout-ms"), std::string::npos);
}
