// Backend::runGrouped on the hive store: items run in order under one hold of the writer lock and share one save;
// each fails alone; a failed save fails exactly the items whose changes it lost; groups and single writes from
// several threads meet in one batch. And the server session's runGroup over it: responses in order, cancellation.
#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>

#include "server/Session.h"
#include "tests/cpp/DispatchFakeBackend.h"
#include "tests/cpp/FrameTestSupport.h"
#include "tests/cpp/StoreTestSupport.h"

namespace fs = std::filesystem;
using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;
using json = nlohmann::ordered_json;

namespace {

// The error code of an outcome of runGrouped, "" for success, "other" for an exception that is no RegistryError.
std::string codeOf(const std::exception_ptr& outcome) {
  if (!outcome) return "";
  try {
    std::rethrow_exception(outcome);
  } catch (const RegistryError& e) {
    return std::string(errorCodeName(e.code()));
  } catch (...) {
    return "other";
  }
}

RegistryError errorOf(const std::exception_ptr& outcome) {
  try {
    std::rethrow_exception(outcome);
  } catch (const RegistryError& e) {
    return e;
  }
}

using Items = std::vector<std::function<void()>>;

} // namespace

TEST(GroupedRunTest, ItemsRunInOrderAndShareOneSave) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\G"), "first", REG_DWORD, dword(0));
  const std::uint64_t before = userSaves(dir.path());
  Items items;
  for (std::uint32_t i = 0; i < 40; ++i)
    items.push_back([&, i] {
      store->writeValue(key("HKCU\\Software\\G"), cat({"v", std::to_string(i)}), REG_DWORD, dword(i));
    });
  // Later items see earlier ones: a delete of a value written just before, a rewrite of another.
  items.push_back([&] { store->deleteValue(key("HKCU\\Software\\G"), "v3"); });
  items.push_back([&] { store->writeValue(key("HKCU\\Software\\G"), "v5", REG_DWORD, dword(555)); });
  items.push_back([&] { store->createKey(key("HKCU\\Software\\G\\Sub")); });
  auto outcomes = store->runGrouped(items);
  ASSERT_EQ(outcomes.size(), items.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) EXPECT_EQ(codeOf(outcomes[i]), "") << "item " << i;
  EXPECT_EQ(userSaves(dir.path()), before + 1);

  auto fresh = openStore(dir.path());                                     // what the file holds
  EXPECT_EQ(fresh->listValues(key("HKCU\\Software\\G"), {}).size(), 40u); // first, v0..v39 less v3
  EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\G"), "v39", {}).data, dword(39));
  EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\G"), "v5", {}).data, dword(555));
  expectError(ErrorCode::ValueNotFound, [&] { fresh->readValue(key("HKCU\\Software\\G"), "v3", {}); });
  EXPECT_TRUE(fresh->keyExists(key("HKCU\\Software\\G\\Sub")));
}

TEST(GroupedRunTest, ItemsThatArriveWhileAGroupRunsJoinItsSave) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\Late"), "first", REG_DWORD, dword(0));
  const std::uint64_t before = userSaves(dir.path());
  // A source with one item at first; running it makes two more arrive, as a binding's queue fills while a group runs.
  class Arriving final : public GroupItems {
  public:
    explicit Arriving(Backend& store) : store_(store) {}
    bool next(std::function<void()>& item) override {
      if (handed_ == available_) return false;
      const int index = handed_++;
      item = [this, index] {
        store_.writeValue(key("HKCU\\Software\\Late"), cat({"v", std::to_string(index)}), REG_DWORD,
                          dword(std::uint32_t(index)));
        if (index == 0) available_ = 3;
      };
      return true;
    }

  private:
    Backend& store_;
    int handed_ = 0;
    int available_ = 1;
  };
  Arriving items(*store);
  auto outcomes = store->runGrouped(items);
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& outcome : outcomes) EXPECT_EQ(codeOf(outcome), "");
  EXPECT_EQ(userSaves(dir.path()), before + 1);
  EXPECT_EQ(openStore(dir.path())->readValue(key("HKCU\\Software\\Late"), "v2", {}).data, dword(2));
}

TEST(GroupedRunTest, EachItemFailsAloneWithItsOwnError) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->createKey(key("HKCU\\Software\\Parent\\Child"));
  Items items{
      [&] { store->writeValue(key("HKCU\\Software\\Ok"), "a", REG_DWORD, dword(1)); },
      [&] { store->writeValue(key("HKU\\S-1-5-21-9-9-9-9\\Software"), "x", REG_DWORD, dword(1)); },
      [&] { store->deleteValue(key("HKCU\\Software\\Ok"), "missing"); },
      [&] { store->deleteKey(key("HKCU\\Software\\Parent"), false); },
      [&] { throw std::runtime_error("not a registry error"); },
      [&] { store->deleteKey(key("HKLM"), true); },
      [&] { store->writeValue(key("HKCU\\Software\\Ok"), "b", REG_DWORD, dword(2)); },
  };
  auto outcomes = store->runGrouped(items);
  EXPECT_EQ(codeOf(outcomes[0]), "");
  EXPECT_EQ(codeOf(outcomes[1]), "ERR_ACCESS_DENIED");
  EXPECT_EQ(errorOf(outcomes[1]).key(), "HKU\\S-1-5-21-9-9-9-9\\Software");
  EXPECT_EQ(codeOf(outcomes[2]), "ERR_VALUE_NOT_FOUND");
  EXPECT_EQ(errorOf(outcomes[2]).valueName(), std::optional<std::string>("missing"));
  EXPECT_EQ(codeOf(outcomes[3]), "ERR_KEY_HAS_SUBKEYS");
  EXPECT_EQ(codeOf(outcomes[4]), "other");
  EXPECT_EQ(codeOf(outcomes[5]), "ERR_ACCESS_DENIED");
  EXPECT_EQ(codeOf(outcomes[6]), "");
  auto fresh = openStore(dir.path());
  EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\Ok"), "a", {}).data, dword(1));
  EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\Ok"), "b", {}).data, dword(2));
  EXPECT_TRUE(fresh->keyExists(key("HKCU\\Software\\Parent\\Child")));
}

TEST(GroupedRunTest, AFailedSaveFailsExactlyTheItemsWhoseChangesItLost) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKLM\\Software\\Small"), "v", REG_DWORD, dword(1));
  store->writeValue(key("HKCU\\Software\\Big"), "blob", REG_BINARY, std::vector<std::uint8_t>(8192, 0xab));
  store->writeValue(key("HKCU\\Software\\Same"), "v", REG_DWORD, dword(7));
  const std::string userBytes = readFile(dir.path() / "user.reg");
  const auto systemSize = fs::file_size(dir.path() / "system.reg");
  ASSERT_GT(userBytes.size(), systemSize + 4096);
  std::vector<std::exception_ptr> outcomes;
  {
    // Room for system.reg and a little more, not for user.reg: the saves of user.reg fail (EFBIG), system.reg's not.
    FileSizeLimit limit(systemSize + 2048);
    Items items{
        [&] { store->writeValue(key("HKLM\\Software\\Small"), "w", REG_DWORD, dword(2)); },
        [&] { store->writeValue(key("HKCU\\Software\\Lost"), "v", REG_DWORD, dword(3)); },
        [&] {
          store->writeValue(key("HKLM\\Software\\Both"), "v", REG_DWORD, dword(4));
          store->writeValue(key("HKCU\\Software\\Both"), "v", REG_DWORD, dword(4));
        },
        // The same value again changes nothing in user.reg: nothing of it is lost.
        [&] { store->writeValue(key("HKCU\\Software\\Same"), "v", REG_DWORD, dword(7)); },
    };
    outcomes = store->runGrouped(items);
  }
  EXPECT_EQ(codeOf(outcomes[0]), "");
  EXPECT_EQ(codeOf(outcomes[1]), "ERR_IO");
  EXPECT_EQ(errorOf(outcomes[1]).key(), "HKCU\\Software\\Lost");
  EXPECT_NE(std::string(errorOf(outcomes[1]).what()).find("user.reg"), std::string::npos);
  EXPECT_EQ(codeOf(outcomes[2]), "ERR_IO");
  EXPECT_EQ(errorOf(outcomes[2]).key(), "HKCU\\Software\\Both");
  EXPECT_EQ(codeOf(outcomes[3]), "");
  // Memory is as the disk: the lost changes are gone, the saved ones are there, user.reg is untouched.
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Lost")));
  EXPECT_EQ(store->readValue(key("HKLM\\Software\\Small"), "w", {}).data, dword(2));
  EXPECT_EQ(readFile(dir.path() / "user.reg"), userBytes);
  auto fresh = openStore(dir.path());
  EXPECT_EQ(fresh->readValue(key("HKLM\\Software\\Small"), "w", {}).data, dword(2));
  EXPECT_TRUE(fresh->keyExists(key("HKLM\\Software\\Both")));
  EXPECT_FALSE(fresh->keyExists(key("HKCU\\Software\\Both")));
  // And writes work again once there is room.
  store->writeValue(key("HKCU\\Software\\Lost"), "v", REG_DWORD, dword(3));
  EXPECT_EQ(openStore(dir.path())->readValue(key("HKCU\\Software\\Lost"), "v", {}).data, dword(3));
}

TEST(GroupedRunTest, ReadsFlushesAndEditsInAGroupWork) {
  TempDir dir;
  auto store = openStore(dir.path());
  store->writeValue(key("HKCU\\Software\\R"), "v", REG_DWORD, dword(1));
  const std::uint64_t before = userSaves(dir.path());
  std::vector<std::uint8_t> seen;
  bool defaultUserSeen = true;
  std::vector<Edit> edits(3);
  const auto editKey = key("HKCU\\Software\\Imported");
  const auto missing = key("HKCU\\Software\\NotThere");
  const auto denied = key("HKU\\S-1-5-21-9-9-9-9\\X");
  const std::vector<std::uint8_t> one = dword(1);
  edits[0] = Edit{Edit::Kind::SetValue, editKey, "a", REG_DWORD, one};
  edits[1] = Edit{Edit::Kind::DeleteKey, missing, {}, 0, {}}; // a missing key to delete is no error
  edits[2] = Edit{Edit::Kind::SetValue, denied, "b", REG_DWORD, one};
  Items items{
      [&] { store->writeValue(key("HKCU\\Software\\R"), "v", REG_DWORD, dword(2)); },
      // A read sees the write before it; HKU\.Default's file was never loaded: the read loads it, under the
      // writer lock this group holds.
      [&] { seen = store->readValue(key("HKCU\\Software\\R"), "v", {}).data; },
      [&] { defaultUserSeen = store->keyExists(key("HKU\\.Default\\Software\\Nothing")); },
      [&] { store->flush(); },
      [&] { store->applyEdits(edits); },
      [&] { store->writeValue(key("HKCU\\Software\\R"), "w", REG_DWORD, dword(3)); },
  };
  auto outcomes = store->runGrouped(items);
  EXPECT_EQ(codeOf(outcomes[0]), "");
  EXPECT_EQ(seen, dword(2));
  EXPECT_FALSE(defaultUserSeen);
  EXPECT_EQ(codeOf(outcomes[3]), "");
  EXPECT_EQ(codeOf(outcomes[4]), "ERR_ACCESS_DENIED"); // the edit that failed, after the others were made
  EXPECT_EQ(codeOf(outcomes[5]), "");
  // The flush saved what came before it; the rest made one more save.
  EXPECT_EQ(userSaves(dir.path()), before + 2);
  auto fresh = openStore(dir.path());
  EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\Imported"), "a", {}).data, dword(1));
  EXPECT_EQ(fresh->readValue(key("HKCU\\Software\\R"), "w", {}).data, dword(3));
}

TEST(GroupedRunTest, GroupsAndSingleWritesFromManyThreadsLoseNothing) {
  TempDir dir;
  auto store = openStore(dir.path());
  const auto target = key("HKCU\\Software\\Mixed");
  constexpr int kGroupThreads = 3, kSingleThreads = 2, kRounds = 20, kPerGroup = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kGroupThreads; ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        Items items;
        for (int i = 0; i < kPerGroup; ++i)
          items.push_back([&, t, r, i] {
            store->writeValue(target, cat({"g", std::to_string(t), "-", std::to_string(r), "-", std::to_string(i)}),
                              REG_DWORD, dword(std::uint32_t(i)));
          });
        for (const auto& outcome : store->runGrouped(items))
          if (outcome) ++failures;
      }
    });
  for (int t = 0; t < kSingleThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds * 2; ++i) {
        try {
          store->writeValue(target, cat({"s", std::to_string(t), "-", std::to_string(i)}), REG_DWORD, dword(1));
        } catch (...) {
          ++failures;
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::size_t writes = kGroupThreads * kRounds * kPerGroup + kSingleThreads * kRounds * 2;
  EXPECT_EQ(openStore(dir.path())->listValues(target, {}).size(), writes);
  EXPECT_LE(userSaves(dir.path()), std::uint64_t(kGroupThreads * kRounds + kSingleThreads * kRounds * 2 + 1));
}

TEST(GroupedRunTest, TheDefaultRunsItemsOneByOneInOrder) {
  DispatchFakeBackend backend;
  std::vector<int> order;
  Items items{[&] { order.push_back(1); }, [&] { throw RegistryError(ErrorCode::InvalidArgument, "bad"); },
              [&] { order.push_back(3); }};
  auto outcomes = backend.runGrouped(items);
  EXPECT_EQ(order, (std::vector<int>{1, 3}));
  EXPECT_EQ(codeOf(outcomes[0]), "");
  EXPECT_EQ(codeOf(outcomes[1]), "ERR_INVALID_ARGUMENT");
  EXPECT_EQ(codeOf(outcomes[2]), "");
}

namespace {

std::string writeRequest(int id, const std::string& keyText, const std::string& name) {
  json params = {{"key", keyText}, {"name", name}, {"value", {{"type", "REG_DWORD"}, {"data", id}}}};
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "writeValue"}, {"params", params}}.dump();
}

} // namespace

TEST(GroupedRunTest, TheServerSessionRunsAGroupAndAnswersInOrder) {
  TempDir dir;
  auto store = openStore(dir.path());
  server::TableHandler handler(*store);
  const server::ServerInfo info{"hive", dir.str(), "0", 1, 1 << 20};
  server::Session session(handler, info);
  store->writeValue(key("HKCU\\Software\\S"), "first", REG_DWORD, dword(0));
  const std::uint64_t before = userSaves(dir.path());
  std::vector<server::Session::Job> jobs;
  for (int id = 1; id <= 6; ++id) {
    std::string name = cat({"v", std::to_string(id)});
    auto step = session.accept(id == 4 ? writeRequest(id, "HKU\\S-1-5-21-9-9-9-9\\X", name)
                                       : writeRequest(id, "HKCU\\Software\\S", name));
    ASSERT_TRUE(step.job);
    EXPECT_TRUE(session.groupable(*step.job));
    jobs.push_back(std::move(*step.job));
  }
  // Job 5 is cancelled while queued: it is answered as cancelled and does not run.
  session.accept(json{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", 5}}}}.dump());
  EXPECT_FALSE(session.groupable(
      *session
           .accept(json{
               {"jsonrpc", "2.0"}, {"id", 9}, {"method", "readValue"}, {"params", {{"key", "HKCU"}, {"name", "x"}}}}
                       .dump())
           .job));
  auto responses = session.runGroup(jobs);
  ASSERT_EQ(responses.size(), 6u);
  for (int id = 1; id <= 6; ++id) {
    json response = frameBody(responses[std::size_t(id - 1)]);
    EXPECT_EQ(response["id"], id);
    if (id == 4) EXPECT_EQ(response["error"]["data"]["code"], "ERR_ACCESS_DENIED") << response.dump();
    else if (id == 5) EXPECT_EQ(response["error"]["code"], -32800) << response.dump();
    else EXPECT_EQ(response["result"], nullptr) << response.dump();
  }
  EXPECT_EQ(userSaves(dir.path()), before + 1);
  auto fresh = openStore(dir.path());
  EXPECT_EQ(fresh->listValues(key("HKCU\\Software\\S"), {}).size(), 5u); // first, v1, v2, v3, v6
  expectError(ErrorCode::ValueNotFound, [&] { fresh->readValue(key("HKCU\\Software\\S"), "v5", {}); });
}

TEST(GroupedRunTest, AGroupOfAConnectionThatHasGoneRunsNothingMore) {
  TempDir dir;
  auto store = openStore(dir.path());
  server::TableHandler handler(*store);
  const server::ServerInfo info{"hive", dir.str(), "0", 1, 1 << 20};
  server::Session session(handler, info);
  std::vector<server::Session::Job> jobs;
  for (int id = 1; id <= 3; ++id) jobs.push_back(*session.accept(writeRequest(id, "HKCU\\Software\\Gone", "v")).job);
  std::atomic<bool> abandoned{true};
  for (const auto& response : session.runGroup(jobs, &abandoned)) EXPECT_TRUE(response.empty());
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Gone")));
}
