// One Win32 backend shared by threads while keys and values change under it: every call either succeeds with a
// whole value or fails with the error for a key or value that is not there; nothing else, and nothing torn.
#include "tests/cpp/win/Win32TestSupport.h"

#include <atomic>
#include <thread>

namespace regbridge::test {
namespace {

class Win32ConcurrencyTest : public ScratchKeyTest {};

std::vector<std::uint8_t> pattern(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 31);
  return bytes;
}

TEST_F(Win32ConcurrencyTest, ValuesThatGrowWhileReadOrListedComeBackWhole) {
  // Reads size their buffer first (listValues from RegQueryInfoKeyW, readValue from a first guess); a value that
  // grows meanwhile answers ERROR_MORE_DATA, and the read must ask again rather than return part of it.
  const auto small = pattern(16, 1), big = pattern(200000, 2);
  WriteValue::run(backend(), {key(), "v", {{REG_BINARY}, Bytes{small}}});
  std::atomic<bool> done{false};
  std::thread writer([&] {
    auto own = openWin32Backend();
    for (int i = 0; i < 150; ++i) WriteValue::run(*own, {key(), "v", {{REG_BINARY}, Bytes{i % 2 ? small : big}}});
    done = true;
  });
  int reads = 0;
  while (!done) {
    const auto read = std::get<Bytes>(ReadValue::run(backend(), {key(), "v"}).data).bytes;
    EXPECT_TRUE(read == small || read == big) << read.size() << " bytes";
    const auto listed = ListValues::run(backend(), {key()});
    ASSERT_EQ(listed.size(), 1u);
    const auto& bytes = std::get<Bytes>(listed[0].data).bytes;
    EXPECT_TRUE(bytes == small || bytes == big) << bytes.size() << " bytes";
    ++reads;
  }
  writer.join();
  EXPECT_GT(reads, 0);
}

TEST_F(Win32ConcurrencyTest, KeysDeletedAndMadeAgainUnderSharedHandles) {
  std::atomic<bool> done{false};
  std::atomic<int> unexpected{0};
  auto worker = [&](int id) {
    // The writer (id 0) sets the pace: a fixed number of changes, then the readers stop.
    for (int i = 0; id == 0 ? i < 400 : !done.load(); ++i) {
      const std::string sub = key(numbered("k", i % 3));
      try {
        if (id == 0 && i % 4 == 3) DeleteKey::run(backend(), {sub, true});
        else if (id == 0) WriteValue::run(backend(), {sub, "v", dword(i)});
        else if (i % 3 == 0) ListValues::run(backend(), {sub});
        else if (i % 3 == 1) GetKeyInfo::run(backend(), {sub});
        else ReadValue::run(backend(), {sub, "v"});
      } catch (const RegistryError& e) {
        if (e.code() != ErrorCode::KeyNotFound && e.code() != ErrorCode::ValueNotFound) {
          ++unexpected;
          ADD_FAILURE() << errorCodeName(e.code()) << ": " << e.what();
        }
      }
    }
    if (id == 0) done = true;
  };
  std::vector<std::thread> threads;
  for (int id = 0; id < 3; ++id) threads.emplace_back(worker, id);
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected, 0);
  // The backend is still sound afterwards.
  WriteValue::run(backend(), {key("k0"), "v", dword(99)});
  EXPECT_EQ(ReadValue::run(backend(), {key("k0"), "v"}), dword(99));
}

} // namespace
} // namespace regbridge::test
