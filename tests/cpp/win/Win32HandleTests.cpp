// The Win32 backend's cached key handles: a key deleted under them (by this backend, another one, or another
// process) gives a clean error once and is opened afresh after; the handles close with the backend.
#include "tests/cpp/win/Win32TestSupport.h"

#include "registry/win/KeyHandleCache.h"
#include "registry/win/Win32Backend.h"

#include <windows.h>

namespace regbridge::test {
namespace {

class Win32HandleTest : public ScratchKeyTest {};

TEST_F(Win32HandleTest, DeleteThroughTheBackendDropsItsHandles) {
  WriteValue::run(backend(), {key("k\\sub"), "v", dword(1)});
  EXPECT_EQ(ReadValue::run(backend(), {key("k\\sub"), "v"}), dword(1)); // cached now
  DeleteKey::run(backend(), {key("K"), true});                          // another spelling of the same key
  EXPECT_EQ(errorCodeOf([&] { ReadValue::run(backend(), {key("k\\sub"), "v"}); }), ErrorCode::KeyNotFound);
  WriteValue::run(backend(), {key("k\\sub"), "v", dword(2)});
  EXPECT_EQ(ReadValue::run(backend(), {key("k\\sub"), "v"}), dword(2));
}

TEST_F(Win32HandleTest, KeyDeletedByAnotherBackendGivesKeyNotFoundThenReopens) {
  WriteValue::run(backend(), {key("k"), "v", dword(1)});
  EXPECT_EQ(ReadValue::run(backend(), {key("k"), "v"}), dword(1));
  auto other = openWin32Backend();
  DeleteKey::run(*other, {key("k"), true});
  // Every kind of call on the stale handle: a clean ERR_KEY_NOT_FOUND, the process goes on.
  EXPECT_EQ(errorCodeOf([&] { ReadValue::run(backend(), {key("k"), "v"}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { ListValues::run(backend(), {key("k")}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { GetKeyInfo::run(backend(), {key("k")}); }), ErrorCode::KeyNotFound);
  EXPECT_EQ(errorCodeOf([&] { DeleteValue::run(backend(), {key("k"), "v"}); }), ErrorCode::KeyNotFound);
  EXPECT_FALSE(KeyExists::run(backend(), {key("k")}));
  // Made again by the other backend: the next call opens the new key.
  WriteValue::run(*other, {key("k"), "v", dword(3)});
  EXPECT_EQ(ReadValue::run(backend(), {key("k"), "v"}), dword(3));
}

TEST_F(Win32HandleTest, WriteAfterAnotherDeleteMakesTheKeyAgain) {
  WriteValue::run(backend(), {key("k"), "v", dword(1)}); // a cached write handle
  auto other = openWin32Backend();
  DeleteKey::run(*other, {key("k"), true});
  WriteValue::run(backend(), {key("k"), "v", dword(2)});
  EXPECT_EQ(ReadValue::run(*other, {key("k"), "v"}), dword(2));
}

TEST_F(Win32HandleTest, KeyDeletedByAnotherProcessGivesKeyNotFound) {
  WriteValue::run(backend(), {key("k"), "v", sz("mine")});
  EXPECT_EQ(ReadStringValue::run(backend(), {key("k"), "v"}), "mine");
  auto deleted = runProcess("reg.exe delete \"" + regExeKey("k") + "\" /f");
  ASSERT_EQ(deleted.exitCode, 0u) << deleted.output;
  auto error = errorOf([&] { ReadValue::run(backend(), {key("k"), "v"}); });
  EXPECT_EQ(error.code(), ErrorCode::KeyNotFound);
  EXPECT_EQ(std::string(error.what()), "the key '" + key("k") + "' does not exist");
  auto added = runProcess("reg.exe add \"" + regExeKey("k") + "\" /v v /d theirs /f");
  ASSERT_EQ(added.exitCode, 0u) << added.output;
  EXPECT_EQ(ReadStringValue::run(backend(), {key("k"), "v"}), "theirs");
}

TEST_F(Win32HandleTest, CacheDropsSubtreesInEveryViewAndAccess) {
  win::KeyHandleCache cache;
  auto handleTo = [](const wchar_t* sub) {
    HKEY key = nullptr;
    EXPECT_EQ(RegOpenKeyExW(HKEY_CURRENT_USER, sub, 0, KEY_READ, &key), ERROR_SUCCESS);
    return std::make_shared<const win::KeyHandle>(key);
  };
  const std::wstring a = L"HKEY_CURRENT_USER\\A", ab = L"HKEY_CURRENT_USER\\A\\B", ax = L"HKEY_CURRENT_USER\\AX";
  cache.add({a, 0, win::KeyAccess::Read, false}, handleTo(L"Software"));
  cache.add({a, KEY_WOW64_32KEY, win::KeyAccess::Write, false}, handleTo(L"Software"));
  cache.add({ab, 0, win::KeyAccess::Read, true}, handleTo(L"Software"));
  cache.add({ax, 0, win::KeyAccess::Read, false}, handleTo(L"Software"));
  EXPECT_EQ(cache.size(), 4u);
  auto kept = cache.find({a, 0, win::KeyAccess::Read, false});
  ASSERT_TRUE(kept);
  cache.dropTree(a);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.find({ax, 0, win::KeyAccess::Read, false})) << "a sibling sharing a prefix is another key";
  // A handle in use when dropped stays open for its user.
  DWORD subkeys = 0;
  EXPECT_EQ(RegQueryInfoKeyW(kept->get(), nullptr, nullptr, nullptr, &subkeys, nullptr, nullptr, nullptr, nullptr,
                             nullptr, nullptr, nullptr),
            ERROR_SUCCESS);
  // drop() leaves a slot alone once it holds another handle than the failed one.
  auto first = handleTo(L"Software");
  cache.add({a, 0, win::KeyAccess::Read, false}, first);
  cache.drop({a, 0, win::KeyAccess::Read, false}, kept);
  EXPECT_EQ(cache.find({a, 0, win::KeyAccess::Read, false}), first);
  cache.drop({a, 0, win::KeyAccess::Read, false}, first);
  EXPECT_FALSE(cache.find({a, 0, win::KeyAccess::Read, false}));
}

TEST_F(Win32HandleTest, CacheIsBounded) {
  win::KeyHandleCache cache;
  for (std::size_t i = 0; i < win::KeyHandleCache::kMaxHandles + 10; ++i) {
    HKEY key = nullptr;
    ASSERT_EQ(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software", 0, KEY_READ, &key), ERROR_SUCCESS);
    const std::wstring path = L"HKEY_CURRENT_USER\\K" + std::to_wstring(i);
    cache.add({path, 0, win::KeyAccess::Read, false}, std::make_shared<const win::KeyHandle>(key));
    EXPECT_LE(cache.size(), win::KeyHandleCache::kMaxHandles);
  }
}

TEST_F(Win32HandleTest, HandlesCloseWithTheBackend) {
  auto use = [&](Backend& backend) {
    for (int i = 0; i < 20; ++i) {
      const std::string sub = key(numbered("k", i));
      WriteValue::run(backend, {sub, "v", dword(i)});
      ReadValue::run(backend, {sub, "v"});
    }
  };
  // Once first, so that what advapi32 opens for good on first use (its handle behind the predefined
  // HKEY_CURRENT_USER) is open before the count.
  use(*openWin32Backend());
  const std::size_t before = processHandleCount();
  {
    auto own = openWin32Backend();
    use(*own);
    EXPECT_GE(processHandleCount(), before + 20) << "the handles were not kept open";
  }
  EXPECT_EQ(processHandleCount(), before);
}

} // namespace
} // namespace regbridge::test
