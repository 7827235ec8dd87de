// Reads answered on the helper's I/O thread keep the promises of the pooled path: one connection's answers come in
// request order and a read sees every write sent before it, however inline and pooled requests mix; and a read is
// answered while another connection's write is still being saved.
#include <filesystem>
#include <random>

#include "protocol/Base64.h"
#include "tests/cpp/ServerProcessSupport.h"

namespace {

json dword(int value) { return {{"type", "REG_DWORD"}, {"data", value}}; }

std::string writeDword(int id, const std::string& name, int value) {
  return request(id, "writeValue", {{"key", "HKCU\\Software\\Order"}, {"name", name}, {"value", dword(value)}});
}
std::string readDword(int id, const std::string& name) {
  return request(id, "readValue", {{"key", "HKCU\\Software\\Order"}, {"name", name}});
}

} // namespace

TEST(ServerInlineOrderTest, PipelinedReadsAndWritesAnswerInOrderAndEachReadSeesTheWritesBeforeIt) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  ASSERT_EQ(server.ready["ready"], true);
  int fd = connectTo(server.socket);
  ASSERT_GE(fd, 0);
  // Loads user.reg, so that the reads below can be answered from memory. The read makes the store's check for
  // foreign edits (a stat every 50 ms, which a read on the I/O thread leaves to a worker), so that the batch below
  // finds it done and its reads really are answered inline whenever nothing is queued.
  sendAll(fd, writeDword(1, "v", 0) + readDword(2, "v"));
  ASSERT_EQ(readMessages(fd, 2).size(), 2u);

  // One send: runs of reads (inline while nothing is queued, behind the pool's job otherwise) between writes.
  std::string batch;
  std::vector<std::pair<int, int>> expected; // id, the value that read must see (-1: a write, answered null)
  int id = 100, value = 0;
  for (int round = 1; round <= 5; ++round) {
    for (int i = 0; i < 3; ++i, ++id) {
      batch += readDword(id, "v");
      expected.emplace_back(id, value);
    }
    value = round;
    batch += writeDword(id, "v", value);
    expected.emplace_back(id++, -1);
    for (int i = 0; i < 3; ++i, ++id) {
      batch += readDword(id, "v");
      expected.emplace_back(id, value);
    }
  }
  sendAll(fd, batch);
  regbridge::protocol::FrameReader stream;
  auto replies = readMessages(fd, expected.size(), nullptr, 30000ms, &stream);
  ASSERT_EQ(replies.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    auto [wantId, want] = expected[i];
    EXPECT_EQ(replies[i]["id"], wantId) << i;
    if (want < 0) EXPECT_TRUE(replies[i]["result"].is_null()) << replies[i].dump();
    else EXPECT_EQ(replies[i]["result"], dword(want)) << "read " << wantId << ": " << replies[i].dump();
  }
  ::close(fd);
}

TEST(ServerInlineOrderTest, AReadIsAnsweredWhileAnotherConnectionsWriteIsBeingSaved) {
  regbridge::test::TempDir prefix;
  PipeServer server({"--prefix", prefix.str()});
  ASSERT_EQ(server.ready["ready"], true);
  // A big user.reg: every write to it rewrites ~24 MB of text, which takes far longer than a read from memory.
  std::vector<std::uint8_t> big(8 << 20);
  std::mt19937 random(11);
  for (auto& b : big) b = static_cast<std::uint8_t>(random());
  int writer = connectTo(server.socket);
  int reader = connectTo(server.socket);
  ASSERT_GE(writer, 0);
  ASSERT_GE(reader, 0);
  sendAll(
      writer,
      request(1, "writeValue",
              {{"key", "HKCU\\Software\\Big"},
               {"name", "blob"},
               {"value", {{"type", "REG_BINARY"}, {"data", {{"base64", regbridge::protocol::encodeBase64(big)}}}}}}));
  ASSERT_EQ(readMessages(writer, 1, nullptr, 60000ms).size(), 1u);
  sendAll(reader, readDword(1, "missing")); // loads nothing new: user.reg is in memory
  ASSERT_EQ(readMessages(reader, 1).size(), 1u);

  // The small write starts a save of the whole file; it is under way once its temporary file exists.
  sendAll(writer, writeDword(2, "v", 7));
  auto saving = [&] {
    for (const auto& entry : fs::directory_iterator(prefix.path()))
      if (entry.path().filename().string().find(".regbridge-tmp") != std::string::npos) return true;
    return false;
  };
  auto deadline = Clock::now() + 30s;
  while (!saving() && Clock::now() < deadline && !waitReadable(writer, 0ms)) std::this_thread::sleep_for(100us);
  // Formatting and writing ~24 MB takes tens of milliseconds; the folder is looked at every 100 µs.
  ASSERT_TRUE(saving()) << "the save of the big user.reg was never seen under way";

  sendAll(reader, request(2, "readValue", {{"key", "HKCU\\Software\\Big"}, {"name", "missing"}}) +
                      request(3, "keyExists", {{"key", "HKCU\\Software\\Big"}}));
  auto reads = readMessages(reader, 2, nullptr, 30000ms);
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0]["error"]["data"]["code"], "ERR_VALUE_NOT_FOUND");
  EXPECT_EQ(reads[1]["result"], true);
  EXPECT_FALSE(waitReadable(writer, 0ms)) << "the reads waited for the other connection's save";
  auto written = readMessages(writer, 1, nullptr, 60000ms);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_TRUE(written[0]["result"].is_null()) << written[0].dump();
  ::close(reader);
  ::close(writer);
}
