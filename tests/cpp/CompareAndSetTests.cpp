// compareAndSetValue over the hive store: what counts as the expected value (raw, typed, absent), that a failed
// check writes nothing, and that the check and the write are one step for every other writer — another store on
// the same prefix, other threads of the same store (whose changes share write batches) and other processes.
#include <atomic>
#include <gtest/gtest.h>
#include <iostream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "registry/Operations.h"
#include "tests/cpp/StoreTestSupport.h"

using namespace regbridge;
using namespace regbridge::test;
using namespace regbridge::test::storetest;

namespace {

constexpr const char* kKey = "HKCU\\Software\\Cas";

RegValue dwordValue(std::int64_t n) { return {{REG_DWORD}, n}; }
RegValue stringValue(const std::string& text, std::uint32_t type = REG_SZ) { return {{type}, text}; }
RegValue bytesValue(std::uint32_t type, std::vector<std::uint8_t> bytes) { return {{type}, Bytes{std::move(bytes)}}; }

void cas(Backend& store, const std::string& name, std::optional<RegValue> expected, RegValue value) {
  CompareAndSetValue::run(store, {kKey, name, std::move(expected), std::move(value)});
}

RegValue read(Backend& store, const std::string& name, bool raw = false) {
  return ReadValue::run(store, {kKey, name, raw, false});
}

// One read-compute-compareAndSet round, repeated until the store takes it; returns how many times it had to retry.
int increment(Backend& store, const std::string& name) {
  for (int retries = 0;; ++retries) {
    std::optional<RegValue> seen;
    std::int64_t next = 1;
    try {
      seen = read(store, name);
      next = std::get<std::int64_t>(seen->data) + 1;
    } catch (const RegistryError& e) {
      if (e.code() != ErrorCode::KeyNotFound && e.code() != ErrorCode::ValueNotFound) throw;
    }
    try {
      cas(store, name, seen, dwordValue(next));
      return retries;
    } catch (const RegistryError& e) {
      if (e.code() != ErrorCode::ValueChanged) throw;
    }
  }
}

} // namespace

TEST(CompareAndSetTest, WritesWhenTheValueIsAsExpectedAndNothingOtherwise) {
  TempDir dir;
  auto store = openStore(dir.path());
  WriteValue::run(*store, {kKey, "n", dwordValue(1)});
  cas(*store, "n", dwordValue(1), dwordValue(2));
  EXPECT_EQ(read(*store, "n"), dwordValue(2));

  const std::string before = readFile(dir.path() / "user.reg");
  RegistryError e = expectError(ErrorCode::ValueChanged, [&] { cas(*store, "n", dwordValue(1), dwordValue(3)); });
  EXPECT_EQ(e.key(), kKey);
  EXPECT_EQ(e.valueName(), std::optional<std::string>("n"));
  EXPECT_EQ(std::string(e.what()),
            "the value 'n' of key 'HKCU\\Software\\Cas' is not the expected one: its type or data differ; read it "
            "again and retry");
  EXPECT_EQ(read(*store, "n"), dwordValue(2));
  EXPECT_EQ(readFile(dir.path() / "user.reg"), before) << "a failed check must not save the hive";
  // A fresh store reads what is on disk: the acknowledged write, not the refused one.
  EXPECT_EQ(read(*openStore(dir.path()), "n"), dwordValue(2));
}

TEST(CompareAndSetTest, AbsentMeansTheValueMustNotExistYet) {
  TempDir dir;
  auto store = openStore(dir.path());
  // Neither the key nor the value exists: created, parents included, as writeValue does.
  cas(*store, "first", std::nullopt, stringValue("mine"));
  EXPECT_EQ(read(*store, "first"), stringValue("mine"));
  RegistryError e =
      expectError(ErrorCode::ValueChanged, [&] { cas(*store, "first", std::nullopt, stringValue("theirs")); });
  EXPECT_EQ(std::string(e.what()),
            "the value 'first' of key 'HKCU\\Software\\Cas' is not the expected one: it exists, and was expected not "
            "to; read it again and retry");
  EXPECT_EQ(read(*store, "first"), stringValue("mine"));
  // The key exists but not this value: fine too. The default value ('') is named as such.
  cas(*store, "", std::nullopt, stringValue("default"));
  e = expectError(ErrorCode::ValueChanged, [&] { cas(*store, "", std::nullopt, stringValue("again")); });
  EXPECT_EQ(std::string(e.what()),
            "the default value of key 'HKCU\\Software\\Cas' is not the expected one: it exists, and was expected not "
            "to; read it again and retry");
}

TEST(CompareAndSetTest, AnExpectedValueThatIsGoneFailsWithoutCreatingAnything) {
  TempDir dir;
  auto store = openStore(dir.path());
  RegistryError e = expectError(ErrorCode::ValueChanged, [&] {
    CompareAndSetValue::run(*store, {"HKCU\\Software\\Cas\\Deeper", "v", dwordValue(1), dwordValue(2)});
  });
  EXPECT_NE(std::string(e.what()).find("it does not exist"), std::string::npos) << e.what();
  EXPECT_FALSE(store->keyExists(key("HKCU\\Software\\Cas")));
  // A value deleted since it was read.
  WriteValue::run(*store, {kKey, "v", dwordValue(1)});
  DeleteValue::run(*store, {kKey, "v"});
  expectError(ErrorCode::ValueChanged, [&] { cas(*store, "v", dwordValue(1), dwordValue(2)); });
  expectError(ErrorCode::ValueNotFound, [&] { read(*store, "v"); });
}

TEST(CompareAndSetTest, WhatAReadReturnedMatchesRawOrTyped) {
  TempDir dir;
  auto store = openStore(dir.path());
  // Stored by hand in forms a typed read normalises: a REG_SZ without its final NUL, a REG_MULTI_SZ with an empty
  // item (which writeValue refuses typed, but a typed read returns).
  std::vector<std::uint8_t> noNul = sz("abc");
  noNul.resize(noNul.size() - 2);
  const std::vector<std::uint8_t> withEmpty = {'a', 0, 0, 0, 0, 0, 'b', 0, 0, 0, 0, 0};
  WriteValue::run(*store, {kKey, "s", bytesValue(REG_SZ, noNul)});
  WriteValue::run(*store, {kKey, "m", bytesValue(REG_MULTI_SZ, withEmpty)});
  ASSERT_EQ(read(*store, "s"), stringValue("abc"));
  ASSERT_EQ(read(*store, "m"), (RegValue{{REG_MULTI_SZ}, std::vector<std::string>{"a", "", "b"}}));

  cas(*store, "s", read(*store, "s"), stringValue("typed"));
  cas(*store, "s", read(*store, "s", true), stringValue("raw"));
  cas(*store, "m", read(*store, "m"), stringValue("was a list"));
  EXPECT_EQ(read(*store, "m"), stringValue("was a list"));

  // Raw data must be the stored bytes exactly: the same string without its NUL is another value.
  WriteValue::run(*store, {kKey, "s", stringValue("abc")});
  expectError(ErrorCode::ValueChanged, [&] { cas(*store, "s", bytesValue(REG_SZ, noNul), stringValue("x")); });
  // The type counts: the same text as REG_EXPAND_SZ is another value.
  expectError(ErrorCode::ValueChanged, [&] { cas(*store, "s", stringValue("abc", REG_EXPAND_SZ), stringValue("x")); });
  // Numbers compare as a read gives them: a DWORD written as raw bytes FF FF FF FF is 4294967295, a QWORD may be
  // given as a number.
  WriteValue::run(*store, {kKey, "d", bytesValue(REG_DWORD, {0xFF, 0xFF, 0xFF, 0xFF})});
  cas(*store, "d", dwordValue(4294967295), dwordValue(0));
  WriteValue::run(*store, {kKey, "q", {{REG_QWORD}, std::uint64_t{42}}});
  cas(*store, "q", RegValue{{REG_QWORD}, std::int64_t{42}}, RegValue{{REG_QWORD}, std::uint64_t{43}});
  EXPECT_EQ(read(*store, "q"), (RegValue{{REG_QWORD}, std::uint64_t{43}}));
  EXPECT_EQ(read(*store, "s"), stringValue("abc"));
}

TEST(CompareAndSetTest, BadArgumentsAreRefusedBeforeTheStoreIsTouched) {
  TempDir dir;
  auto store = openStore(dir.path());
  RegistryError e = expectError(ErrorCode::InvalidArgument, [&] {
    cas(*store, "n", RegValue{{REG_DWORD}, std::string("1")}, dwordValue(1));
  });
  EXPECT_EQ(std::string(e.what()),
            "cannot compare value 'n' of key 'HKCU\\Software\\Cas' with the expected one: data for REG_DWORD must be "
            "a number or a Buffer");
  // The value is checked as writeValue checks it; an empty REG_MULTI_SZ item is refused there, not in `expected`.
  e = expectError(ErrorCode::InvalidArgument, [&] {
    cas(*store, "n", std::nullopt, RegValue{{REG_MULTI_SZ}, std::vector<std::string>{"a", ""}});
  });
  EXPECT_EQ(std::string(e.what()).rfind("cannot write value 'n'", 0), 0u) << e.what();
  expectError(ErrorCode::InvalidPath, [&] {
    CompareAndSetValue::run(*store, {"HKXX\\a", "n", std::nullopt, dwordValue(1)});
  });
  // HKEY_USERS holds no values: refused as writeValue refuses it, whatever was expected.
  expectError(ErrorCode::AccessDenied, [&] {
    CompareAndSetValue::run(*store, {"HKU", "n", std::nullopt, dwordValue(1)});
  });
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "user.reg"));
}

TEST(CompareAndSetTest, AnotherStoresWriteInBetweenIsSeen) {
  // Two stores on one prefix behave as two processes: each has its own copy of the hives in memory.
  TempDir dir;
  auto mine = openStore(dir.path());
  auto theirs = openStore(dir.path());
  WriteValue::run(*mine, {kKey, "n", dwordValue(1)});
  RegValue seen = read(*mine, "n");
  ASSERT_EQ(read(*theirs, "n"), dwordValue(1));
  cas(*theirs, "n", dwordValue(1), dwordValue(5));
  // `mine` still holds 1 in memory until it looks at the file again; the check must be made on the file's version.
  expectError(ErrorCode::ValueChanged, [&] { cas(*mine, "n", seen, dwordValue(2)); });
  EXPECT_EQ(read(*theirs, "n"), dwordValue(5));
  cas(*mine, "n", read(*mine, "n"), dwordValue(6));
  EXPECT_EQ(read(*theirs, "n"), dwordValue(6));
}

TEST(CompareAndSetTest, AFailedCheckFailsOnlyItsOwnCallInASharedBatch) {
  // Threads of one store share write batches (GroupCommit): refused checks and plain writes arrive together.
  TempDir dir;
  auto store = openStore(dir.path());
  WriteValue::run(*store, {kKey, "fixed", dwordValue(7)});
  constexpr int kThreads = 4, kRounds = 50;
  std::atomic<int> refused{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const auto ownKey = key(cat({kKey, "\\T", std::to_string(t)}));
      for (int i = 0; i < kRounds; ++i) {
        try {
          store->writeValue(ownKey, cat({"w", std::to_string(i)}), REG_DWORD, dword(std::uint32_t(i)));
        } catch (...) {
          ++failures;
        }
        try {
          cas(*store, "fixed", dwordValue(6), dwordValue(8)); // always stale
        } catch (const RegistryError& e) {
          if (e.code() == ErrorCode::ValueChanged) ++refused;
          else ++failures;
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(refused.load(), kThreads * kRounds);
  auto fresh = openStore(dir.path());
  EXPECT_EQ(read(*fresh, "fixed"), dwordValue(7));
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(fresh->listValues(key(cat({kKey, "\\T", std::to_string(t)})), {}).size(), std::size_t(kRounds));
}

TEST(CompareAndSetTest, ThreadsIncrementingOneValueLoseNothing) {
  TempDir dir;
  auto store = openStore(dir.path());
  constexpr int kThreads = 4, kIncrements = 50;
  std::atomic<int> retries{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        try {
          retries += increment(*store, "count");
        } catch (...) {
          ++failures;
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(read(*openStore(dir.path()), "count"), dwordValue(kThreads * kIncrements));
  std::cout << "[          ] " << kThreads << " threads x " << kIncrements << " increments: " << retries.load()
            << " retries\n";
}

TEST(CompareAndSetTest, ProcessesIncrementingOneValueLoseNothing) {
  TempDir dir;
  constexpr int kChildren = 2, kIncrements = 200;
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  int counts[2];
  ASSERT_EQ(::pipe(counts), 0);
  std::vector<pid_t> children;
  for (int child = 0; child < kChildren; ++child) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(gate[1]);
      ::close(counts[0]);
      char go;
      if (::read(gate[0], &go, 1) < 0) ::_exit(3); // both start together, when the parent closes the pipe
      int status = 0, retries = 0;
      try {
        auto store = openStore(dir.path());
        for (int i = 0; i < kIncrements; ++i) retries += increment(*store, "count");
      } catch (...) {
        status = 1;
      }
      if (::write(counts[1], &retries, sizeof retries) != sizeof retries) status = 2;
      ::_exit(status);
    }
    children.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  ::close(counts[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  int total = 0, retries = 0;
  while (::read(counts[0], &retries, sizeof retries) == sizeof retries) total += retries;
  ::close(counts[0]);
  EXPECT_EQ(read(*openStore(dir.path()), "count"), dwordValue(kChildren * kIncrements));
  std::cout << "[          ] " << kChildren << " processes x " << kIncrements << " increments: " << total
            << " retries\n";
}
