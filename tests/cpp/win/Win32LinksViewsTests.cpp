// Symbolic link keys (followed, or opened themselves with openLink; deleting one deletes the link, never its
// target) and the 32/64-bit registry views.
#include "tests/cpp/win/Win32TestSupport.h"

#include "registry/win/WideText.h"
#include "registry/win/Win32Backend.h"

#include <windows.h>

namespace regbridge::test {
namespace {

class Win32LinksTest : public ScratchKeyTest {
protected:
  // The NT path of the scratch key's `sub`, as SymbolicLinkValue names it.
  std::string ntPath(const std::string& sub) {
    return "\\Registry\\User\\" + currentUserSid() + key(sub).substr(std::string("HKEY_CURRENT_USER").size());
  }

  // Makes `sub` a link key to `target` (REG_OPTION_CREATE_LINK; SymbolicLinkValue without a final NUL, as Windows
  // wants it).
  void makeLink(const std::string& sub, const std::string& target) {
    const std::wstring path = *win::wideFromUtf8(key(sub).substr(std::string("HKEY_CURRENT_USER\\").size()));
    HKEY link = nullptr;
    ASSERT_EQ(RegCreateKeyExW(HKEY_CURRENT_USER, path.c_str(), 0, nullptr, REG_OPTION_CREATE_LINK,
                              KEY_ALL_ACCESS | KEY_CREATE_LINK, nullptr, &link, nullptr),
              ERROR_SUCCESS);
    const std::wstring wide = *win::wideFromUtf8(target);
    EXPECT_EQ(RegSetValueExW(link, L"SymbolicLinkValue", 0, REG_LINK, reinterpret_cast<const BYTE*>(wide.data()),
                             static_cast<DWORD>(wide.size() * sizeof(wchar_t))),
              ERROR_SUCCESS);
    RegCloseKey(link);
  }
};

TEST_F(Win32LinksTest, LinksAreFollowedOrOpenedThemselves) {
  WriteValue::run(backend(), {key("target\\inner"), "v", sz("through the link")});
  const std::string target = ntPath("target");
  makeLink("link", target);
  EXPECT_EQ(ReadStringValue::run(backend(), {key("link\\inner"), "v"}), "through the link");
  EXPECT_EQ(ListSubkeys::run(backend(), {key("link")}), std::vector<std::string>{"inner"});
  KeyInfo followed = GetKeyInfo::run(backend(), {key("link")});
  EXPECT_EQ(followed.subkeyCount, 1u);
  EXPECT_FALSE(followed.linkTarget);
  KeyInfo itself = GetKeyInfo::run(backend(), {key("link"), true});
  EXPECT_EQ(itself.subkeyCount, 0u);
  ASSERT_TRUE(itself.linkTarget);
  EXPECT_EQ(*itself.linkTarget, target);
  RegValue link = ReadValue::run(backend(), {key("link"), "SymbolicLinkValue", true, true});
  EXPECT_EQ(link.type.code, std::uint32_t(REG_LINK));
}

TEST_F(Win32LinksTest, DeletingALinkLeavesItsTarget) {
  WriteValue::run(backend(), {key("target\\inner"), "v", dword(1)});
  makeLink("link", ntPath("target"));
  DeleteKey::run(backend(), {key("link"), false});
  EXPECT_FALSE(KeyExists::run(backend(), {key("link")}));
  EXPECT_EQ(ReadValue::run(backend(), {key("target\\inner"), "v"}), dword(1));
}

TEST_F(Win32LinksTest, RecursiveDeleteDoesNotFollowLinksInside) {
  WriteValue::run(backend(), {key("target\\inner"), "v", dword(1)});
  CreateKey::run(backend(), {key("tree\\branch")});
  makeLink("tree\\branch\\link", ntPath("target"));
  DeleteKey::run(backend(), {key("tree"), true});
  EXPECT_FALSE(KeyExists::run(backend(), {key("tree")}));
  EXPECT_EQ(ReadValue::run(backend(), {key("target\\inner"), "v"}), dword(1));
  EXPECT_EQ(ListSubkeys::run(backend(), {key("target")}), std::vector<std::string>{"inner"});
}

// HKLM\Software is one of the keys 64-bit Windows keeps apart for 32-bit programs (Wow6432Node); HKCU\Software is
// shared. Scratch keys in HKLM\Software\regbridge-tests and its Wow6432Node twin, removed after.
class Win32ViewsTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    name_ = std::string(info->test_suite_name()) + "." + info->name();
    cleanUp();
  }
  void TearDown() override {
    cleanUp();
    removeIfEmpty(*backend_, "HKEY_LOCAL_MACHINE\\Software\\regbridge-tests");
    KeyPath wow = KeyPath::parse("HKEY_LOCAL_MACHINE\\Software\\regbridge-tests");
    wow.view = RegistryView::Bits32;
    try {
      backend_->deleteKey(wow, false);
    } catch (const RegistryError& e) {
      if (e.code() != ErrorCode::KeyNotFound && e.code() != ErrorCode::KeyHasSubkeys) throw;
    }
    EXPECT_FALSE(backend_->keyExists(in(key64(), RegistryView::Bits64)));
    EXPECT_FALSE(backend_->keyExists(in(key64(), RegistryView::Bits32)));
  }
  void cleanUp() {
    for (auto view : {RegistryView::Bits64, RegistryView::Bits32}) {
      KeyPath path = KeyPath::parse(key64());
      path.view = view;
      try {
        backend_->deleteKey(path, true);
      } catch (const RegistryError& e) {
        if (e.code() != ErrorCode::KeyNotFound) throw;
      }
    }
  }
  std::string key64() const { return "HKEY_LOCAL_MACHINE\\Software\\regbridge-tests\\" + name_; }
  std::string wow64() const { return "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\regbridge-tests\\" + name_; }
  KeyPath in(const std::string& text, RegistryView view) {
    KeyPath path = KeyPath::parse(text);
    path.view = view;
    return path;
  }

  std::unique_ptr<Backend> backend_ = openWin32Backend();
  std::string name_;
};

TEST_F(Win32ViewsTest, TheThirtyTwoBitViewOfSoftwareIsWow6432Node) {
  const std::vector<std::uint8_t> one{1, 0, 0, 0}, two{2, 0, 0, 0};
  backend_->writeValue(in(key64(), RegistryView::Bits32), "v", REG_DWORD, one);
  backend_->writeValue(in(key64(), RegistryView::Bits64), "v", REG_DWORD, two);
  EXPECT_EQ(backend_->readValue(in(key64(), RegistryView::Bits32), "v", {}).data, one);
  EXPECT_EQ(backend_->readValue(in(key64(), RegistryView::Bits64), "v", {}).data, two);
  // This test program is 64-bit: its default view is the 64-bit one.
  EXPECT_EQ(backend_->readValue(in(key64(), RegistryView::Default), "v", {}).data, two);
  EXPECT_EQ(backend_->readValue(in(wow64(), RegistryView::Bits64), "v", {}).data, one);
  // Deleting in one view leaves the other.
  backend_->deleteKey(in(key64(), RegistryView::Bits32), true);
  EXPECT_FALSE(backend_->keyExists(in(key64(), RegistryView::Bits32)));
  EXPECT_TRUE(backend_->keyExists(in(key64(), RegistryView::Bits64)));
}

TEST_F(Win32ViewsTest, SharedKeysAreTheSameInBothViews) {
  const std::string shared = "HKEY_CURRENT_USER\\Software\\regbridge-tests\\" + name_;
  const std::vector<std::uint8_t> three{3, 0, 0, 0};
  backend_->writeValue(in(shared, RegistryView::Bits32), "v", REG_DWORD, three);
  EXPECT_EQ(backend_->readValue(in(shared, RegistryView::Bits64), "v", {}).data, three);
  backend_->deleteKey(in(shared, RegistryView::Bits64), true);
  EXPECT_FALSE(backend_->keyExists(in(shared, RegistryView::Bits32)));
}

} // namespace
} // namespace regbridge::test
