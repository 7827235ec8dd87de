// Golden transcripts: the bytes a client sends (tests/fixtures/protocol/*.in, written by make-inputs.sh) go through
// the same FrameReader and Session the server uses, and the response frames must equal *.out byte for byte.
// REGBRIDGE_UPDATE_GOLDEN=1 rewrites the *.out files instead (review their diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "protocol/FrameReader.h"
#include "server/Session.h"
#include "tests/cpp/DispatchFakeBackend.h"

using namespace regbridge;
using namespace regbridge::server;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kTranscriptFrameLimit = 4096;

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Plays one transcript; returns the response frames and a closing "# end: ..." line.
std::string play(const std::string& name, const std::string& input) {
  test::DispatchFakeBackend backend;
  TableHandler table(backend);
  EchoHandler echo;
  bool echoMode = name.starts_with("echo-");
  bool queued = name.starts_with("queued-");
  ServerInfo info{echoMode ? "echo" : "fake", echoMode ? "" : "/fake/prefix", "0.0.0-golden", 4242,
                  kTranscriptFrameLimit};
  Session session(echoMode ? static_cast<const Handler&>(echo) : table, info);

  protocol::FrameReader reader(kTranscriptFrameLimit);
  reader.feed(input);
  std::string out, end = "end of input", body;
  std::vector<Session::Job> waiting;
  auto runJob = [&](Session::Job& job) {
    out += session.run(job);
    session.finished(job);
  };
  for (;;) {
    protocol::FrameStatus status = reader.next(body);
    if (status == protocol::FrameStatus::NeedMore) {
      if (reader.midMessage()) end = "input ended in the middle of a message; connection closed";
      break;
    }
    if (status == protocol::FrameStatus::Error) {
      out += session.frameErrorReply(reader.error(), reader.tooLarge());
      end = "connection closed after a framing error";
      break;
    }
    Session::Step step = session.accept(body);
    out += step.reply;
    if (step.job) {
      if (queued) waiting.push_back(std::move(*step.job));
      else runJob(*step.job);
    }
    if (step.exitCode) {
      end = "exit " + std::to_string(*step.exitCode);
      break;
    }
  }
  for (auto& job : waiting) runJob(job);
  return out + "\n# end: " + end + "\n";
}

std::vector<std::string> transcriptNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(REGBRIDGE_PROTOCOL_FIXTURES))
    if (entry.path().extension() == ".in") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ServerTranscriptTest : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST_P(ServerTranscriptTest, MatchesGolden) {
  fs::path dir = REGBRIDGE_PROTOCOL_FIXTURES;
  std::string name = GetParam();
  std::string actual = play(name, slurp(dir / (name + ".in")));
  fs::path golden = dir / (name + ".out");
  if (const char* update = std::getenv("REGBRIDGE_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    // Regeneration mode: write the golden, then compare as always (the file must read back as written).
    std::ofstream(golden, std::ios::binary) << actual;
    std::cout << "rewrote " << golden << " — review the diff before committing\n";
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run with REGBRIDGE_UPDATE_GOLDEN=1 and review it";
  EXPECT_EQ(actual, slurp(golden));
}

INSTANTIATE_TEST_SUITE_P(ServerGolden, ServerTranscriptTest, ::testing::ValuesIn(transcriptNames()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(ServerTranscriptSetTest, EveryInputHasAGoldenOutput) {
  for (const auto& name : transcriptNames())
    EXPECT_TRUE(fs::exists(fs::path(REGBRIDGE_PROTOCOL_FIXTURES) / (name + ".out"))) << name;
  EXPECT_GE(transcriptNames().size(), 10u);
}
