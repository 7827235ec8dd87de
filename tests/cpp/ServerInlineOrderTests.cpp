// Reads answered on the helper's I/O thread keep the promises of the pooled path: one connection's answers come in
// request order and a read sees every write sent before it, however inline and pooled requests mix. (That a read is
// answered while another connection's write is being saved: ServerReadBesideWriteTests.cpp.)
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
