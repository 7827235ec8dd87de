// compareAndSetValue on the Win32 backend: the check and the write are one step for every regbridge writer, in
// threads of this process and in other processes (a named mutex per key, see registry/win/CasLock.h).
#include "tests/cpp/win/Win32TestSupport.h"

#include <thread>

#include "registry/win/CasLock.h"
#include "registry/win/KeyPaths.h"
#include "registry/win/Win32Backend.h"
#include "tests/cpp/win/CasIncrement.h"

namespace regbridge::test {
namespace {

class Win32CompareAndSetTest : public ScratchKeyTest {};

TEST_F(Win32CompareAndSetTest, WritesOnlyWhenTheValueIsTheExpectedOne) {
  CompareAndSetValue::run(backend(), {key("new"), "v", std::nullopt, dword(1)}); // no key, none expected: made
  EXPECT_EQ(ReadValue::run(backend(), {key("new"), "v"}), dword(1));

  auto exists = errorOf([&] { CompareAndSetValue::run(backend(), {key("new"), "v", std::nullopt, dword(5)}); });
  EXPECT_EQ(exists.code(), ErrorCode::ValueChanged);
  EXPECT_NE(std::string(exists.what()).find("it exists, and was expected not to"), std::string::npos);

  auto differs = errorOf([&] { CompareAndSetValue::run(backend(), {key("new"), "v", dword(2), dword(5)}); });
  EXPECT_EQ(differs.code(), ErrorCode::ValueChanged);
  EXPECT_NE(std::string(differs.what()).find("its type or data differ"), std::string::npos);

  auto missing = errorOf([&] { CompareAndSetValue::run(backend(), {key("none"), "v", dword(1), dword(5)}); });
  EXPECT_EQ(missing.code(), ErrorCode::ValueChanged);
  EXPECT_NE(std::string(missing.what()).find("it does not exist"), std::string::npos);
  EXPECT_FALSE(KeyExists::run(backend(), {key("none")})) << "a failed check must change nothing";

  CompareAndSetValue::run(backend(), {key("new"), "v", dword(1), sz("two")});
  EXPECT_EQ(ReadValue::run(backend(), {key("new"), "v"}), sz("two"));
  EXPECT_EQ(ReadValue::run(backend(), {key("new"), "v"}), sz("two"));
}

TEST_F(Win32CompareAndSetTest, CheckSeesAKeyDeletedUnderItsCachedHandle) {
  WriteValue::run(backend(), {key("k"), "v", dword(1)});
  CompareAndSetValue::run(backend(), {key("k"), "v", dword(1), dword(2)}); // caches a write handle
  auto other = openWin32Backend();
  DeleteKey::run(*other, {key("k"), true});
  EXPECT_EQ(errorCodeOf([&] {
              CompareAndSetValue::run(backend(), {key("k"), "v", dword(2), dword(3)});
            }),
            ErrorCode::ValueChanged);
  EXPECT_FALSE(KeyExists::run(*other, {key("k")}));
  CompareAndSetValue::run(backend(), {key("k"), "v", std::nullopt, dword(9)});
  EXPECT_EQ(ReadValue::run(*other, {key("k"), "v"}), dword(9));
}

TEST_F(Win32CompareAndSetTest, TheLockIsOnePerKeyWhateverItsCase) {
  auto lockOf = [](const char* path) { return win::CasLock::mutexName(win::widePath(KeyPath::parse(path)).canonical); };
  EXPECT_EQ(lockOf("HKCU\\Software\\AbC\\\xC3\xA9"), lockOf("hkey_current_user\\SOFTWARE\\abc\\\xC3\x89"));
  EXPECT_NE(lockOf("HKCU\\Software\\A"), lockOf("HKCU\\Software\\B"));
  EXPECT_NE(lockOf("HKCU\\Software\\A"), lockOf("HKLM\\Software\\A"));
  EXPECT_EQ(lockOf("HKCU\\A").rfind(L"Local\\regbridge-cas-", 0), 0u);
}

TEST_F(Win32CompareAndSetTest, MutexHandlesAreKeptPerKeyAndBounded) {
  win::CasLockTable table;
  auto first = table.mutexFor(L"HKEY_CURRENT_USER\\A", "HKCU\\A");
  EXPECT_EQ(table.mutexFor(L"HKEY_CURRENT_USER\\A", "HKCU\\A"), first);
  EXPECT_NE(table.mutexFor(L"HKEY_CURRENT_USER\\B", "HKCU\\B"), first);
  for (std::size_t i = 0; i < win::CasLockTable::kMaxMutexes + 5; ++i) {
    table.mutexFor(L"HKEY_CURRENT_USER\\K" + std::to_wstring(i), "k");
    EXPECT_LE(table.size(), win::CasLockTable::kMaxMutexes);
  }
  // A lock held through one table holds back a holder through another (another backend, another process).
  win::CasLockTable other;
  {
    win::CasLock held(table, L"HKEY_CURRENT_USER\\A", "HKCU\\A");
    bool acquired = true;
    std::thread([&] {
      acquired = WaitForSingleObject(other.mutexFor(L"HKEY_CURRENT_USER\\A", "HKCU\\A")->get(), 0) == WAIT_OBJECT_0;
    }).join();
    EXPECT_FALSE(acquired);
  }
  std::thread([&] {
    HANDLE mutex = other.mutexFor(L"HKEY_CURRENT_USER\\A", "HKCU\\A")->get();
    EXPECT_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0) << "the lock was not released";
    ReleaseMutex(mutex);
  }).join();
}

constexpr int kIncrements = 40;

TEST_F(Win32CompareAndSetTest, ThreadsAndProcessesNeverLoseAnIncrement) {
  WriteValue::run(backend(), {key(), "count", dword(0)});
  // Two threads here, each with a backend of its own, and two child processes (children/CasIncrementer.cpp).
  std::vector<std::thread> workers;
  std::vector<ProcessResult> children(2);
  for (int i = 0; i < 2; ++i)
    workers.emplace_back([&] {
      auto own = openWin32Backend();
      for (int n = 0; n < kIncrements; ++n) incrementCount(*own, key());
    });
  // The child program lies beside this test executable (CMake builds both into the same folder).
  const std::string self = selfPath();
  std::string command(1, '"');
  command.append(self, 0, self.find_last_of('\\') + 1).append("regbridge_cas_incrementer.exe\" \"");
  command.append(key()).append("\" ").append(std::to_string(kIncrements));
  for (int i = 0; i < 2; ++i) workers.emplace_back([&, i] { children[i] = runProcess(command, {}); });
  for (auto& worker : workers) worker.join();
  for (const auto& child : children) EXPECT_EQ(child.exitCode, 0u) << child.output;
  EXPECT_EQ(ReadValue::run(backend(), {key(), "count"}), dword(4 * kIncrements));
}

} // namespace
} // namespace regbridge::test
