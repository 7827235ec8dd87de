// A key whose security refuses writes: every change gives ERR_ACCESS_DENIED naming the key and the system's reason,
// reads still work, and the process goes on.
#include "tests/cpp/win/Win32TestSupport.h"

#include "registry/win/WideText.h"

#include <windows.h>
// After <windows.h>, which it needs.
#include <sddl.h>

namespace regbridge::test {
namespace {

class Win32AccessTest : public ScratchKeyTest {
protected:
  // Replaces the key's DACL (the owner may always do that) with the one in `sddl`, protected from inheritance.
  void setDacl(const std::string& sub, const wchar_t* sddl) {
    const std::wstring path = *win::wideFromUtf8(key(sub).substr(std::string("HKEY_CURRENT_USER\\").size()));
    HKEY handle = nullptr;
    ASSERT_EQ(RegOpenKeyExW(HKEY_CURRENT_USER, path.c_str(), 0, WRITE_DAC, &handle), ERROR_SUCCESS);
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    ASSERT_TRUE(ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &descriptor, nullptr));
    EXPECT_EQ(RegSetKeySecurity(handle, DACL_SECURITY_INFORMATION, descriptor), ERROR_SUCCESS);
    LocalFree(descriptor);
    RegCloseKey(handle);
  }

  void TearDown() override {
    // Writable again, so that the scratch key can go (under Wine the test has deleted it: see below).
    if (KeyExists::run(backend(), {key("locked")})) setDacl("locked", L"D:P(A;;KA;;;WD)");
    ScratchKeyTest::TearDown();
  }
};

TEST_F(Win32AccessTest, WritesToAKeyThatRefusesThemAreAccessDenied) {
  WriteValue::run(backend(), {key("locked\\child"), "v", dword(1)});
  // Read-only for everyone (KR = KEY_READ); the owner keeps the right to change the DACL back.
  setDacl("locked", L"D:P(A;;KR;;;WD)");
  auto fresh = [] { return openWin32Backend(); }; // no handle opened before the change
  auto backend = fresh();

  auto error = errorOf([&] { WriteValue::run(*backend, {key("locked"), "v", dword(2)}); });
  EXPECT_EQ(error.code(), ErrorCode::AccessDenied);
  EXPECT_EQ(error.key(), key("locked"));
  EXPECT_EQ(error.nativeCode(), std::optional<std::int64_t>(ERROR_ACCESS_DENIED));
  const std::string message = error.what();
  EXPECT_EQ(message.rfind("cannot change '" + key("locked") + "': ", 0), 0u) << message;
  EXPECT_NE(message.find("(Windows error 5)"), std::string::npos) << message;

  EXPECT_EQ(errorCodeOf([&] {
              CompareAndSetValue::run(*backend, {key("locked"), "v", std::nullopt, dword(2)});
            }),
            ErrorCode::AccessDenied);
  auto deleteError = errorOf([&] { DeleteValue::run(*backend, {key("locked"), "v"}); });
  EXPECT_EQ(deleteError.code(), ErrorCode::AccessDenied);
  EXPECT_EQ(std::string(deleteError.what()).rfind("cannot change '" + key("locked") + "': ", 0), 0u)
      << deleteError.what();

  // Reads are allowed, and the key is still there, unchanged.
  EXPECT_TRUE(KeyExists::run(*backend, {key("locked")}));
  EXPECT_EQ(ListSubkeys::run(*backend, {key("locked")}), std::vector<std::string>{"child"});
  EXPECT_EQ(errorCodeOf([&] { ReadValue::run(*backend, {key("locked"), "v"}); }), ErrorCode::ValueNotFound);
  // Creating a key that exists changes nothing, so it is allowed (as `reg add` of an existing key).
  EXPECT_NO_THROW(CreateKey::run(*backend, {key("locked")}));
  // Its child kept its own (inherited before) rights.
  WriteValue::run(*backend, {key("locked\\child"), "v", dword(3)});
  EXPECT_EQ(ReadValue::run(*backend, {key("locked\\child"), "v"}), dword(3));

  // Windows checks the parent's KEY_CREATE_SUB_KEY when a key is created under it, and DELETE when a key is
  // deleted; Wine 8 checks neither (it grants DELETE on every key, even against a deny ACE, and creates subkeys
  // under any parent). The backend asks for exactly those rights, so Windows refuses these two as ERR_ACCESS_DENIED;
  // under Wine they succeed, and this says so, so that a Wine that starts checking shows up here.
  const std::optional<ErrorCode> refused = runningUnderWine() ? std::nullopt : std::optional(ErrorCode::AccessDenied);
  EXPECT_EQ(errorCodeOf([&] { CreateKey::run(*backend, {key("locked\\new")}); }), refused);
  EXPECT_EQ(errorCodeOf([&] { DeleteKey::run(*backend, {key("locked"), true}); }), refused);
}

TEST_F(Win32AccessTest, AKeyNobodyMayOpenExistsButCannotBeRead) {
  CreateKey::run(backend(), {key("locked")});
  setDacl("locked", L"D:P"); // an empty DACL: no access for anyone but the owner's implicit rights
  auto backend = openWin32Backend();
  EXPECT_TRUE(KeyExists::run(*backend, {key("locked")}));
  auto error = errorOf([&] { ListValues::run(*backend, {key("locked")}); });
  EXPECT_EQ(error.code(), ErrorCode::AccessDenied);
  EXPECT_EQ(std::string(error.what()).rfind("cannot read '" + key("locked") + "': ", 0), 0u) << error.what();
}

} // namespace
} // namespace regbridge::test
