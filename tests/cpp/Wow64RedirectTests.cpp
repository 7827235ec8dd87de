#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "registry/Wow64Redirect.h"

using namespace regbridge;

namespace {

// Where `text` lands in `view`: the full path, or "same" when it is not redirected.
std::string landing(std::string_view text, RegistryView view = RegistryView::Bits32) {
  KeyPath path = KeyPath::parse(text);
  path.view = view;
  auto redirected = wow64Redirect(path);
  return redirected ? redirected->toString() : "same";
}

} // namespace

TEST(Wow64RedirectTest, SoftwareGoesUnderWow6432NodeIn32BitView) {
  EXPECT_EQ(landing("HKLM\\Software\\Vendor\\App"), "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\Vendor\\App");
  EXPECT_EQ(landing("HKLM\\Software"), "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node");
  EXPECT_EQ(landing("HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
            "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run");
}

TEST(Wow64RedirectTest, OtherViewsAndOtherTreesAreNotRedirected) {
  EXPECT_EQ(landing("HKLM\\Software\\Vendor", RegistryView::Bits64), "same");
  EXPECT_EQ(landing("HKLM\\Software\\Vendor", RegistryView::Default), "same");
  EXPECT_EQ(landing("HKLM\\System\\CurrentControlSet"), "same");
  EXPECT_EQ(landing("HKLM"), "same");
  EXPECT_EQ(landing("HKCU\\Software\\Vendor"), "same"); // HKCU\Software is shared
  EXPECT_EQ(landing("HKCC\\Software"), "same");
  EXPECT_EQ(landing("HKU\\.Default\\Software\\Vendor"), "same");
}

TEST(Wow64RedirectTest, APathThroughWow6432NodeIsTakenAsWritten) {
  EXPECT_EQ(landing("HKLM\\Software\\Wow6432Node\\Vendor"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\WOW6432NODE"), "same");
  EXPECT_EQ(landing("HKCR\\Wow6432Node\\CLSID"), "same");
}

TEST(Wow64RedirectTest, SharedKeysAndTheirSubkeysStayInThe64BitTree) {
  EXPECT_EQ(landing("HKLM\\Software\\Policies"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\Policies\\Vendor\\Setting"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Fonts"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\App Paths\\app.exe"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\RegisteredApplications"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\Classes"), "same");
  // Only the listed key is shared, not its parent nor a sibling.
  EXPECT_EQ(landing("HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion"),
            "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion");
  EXPECT_EQ(landing("HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\FontsX"),
            "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\FontsX");
}

TEST(Wow64RedirectTest, NamesAreComparedWithoutCase) {
  EXPECT_EQ(landing("hklm\\SOFTWARE\\vendor"), "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\vendor");
  EXPECT_EQ(landing("HKLM\\software\\POLICIES\\x"), "same");
  EXPECT_EQ(landing("HKLM\\Software\\microsoft\\windows nt\\currentversion\\FONTS"), "same");
  EXPECT_EQ(landing("HKCR\\clsid\\{0}"), "HKEY_CLASSES_ROOT\\Wow6432Node\\clsid\\{0}");
}

TEST(Wow64RedirectTest, ClassKeysOfHkcrGoUnderItsWow6432Node) {
  EXPECT_EQ(landing("HKCR\\CLSID\\{00000000-0000-0000-0000-000000000001}\\InprocServer32"),
            "HKEY_CLASSES_ROOT\\Wow6432Node\\CLSID\\{00000000-0000-0000-0000-000000000001}\\InprocServer32");
  EXPECT_EQ(landing("HKCR\\Interface"), "HKEY_CLASSES_ROOT\\Wow6432Node\\Interface");
  EXPECT_EQ(landing("HKCR\\Media Type\\x"), "HKEY_CLASSES_ROOT\\Wow6432Node\\Media Type\\x");
  EXPECT_EQ(landing("HKLM\\Software\\Classes\\CLSID\\{x}"),
            "HKEY_LOCAL_MACHINE\\Software\\Classes\\Wow6432Node\\CLSID\\{x}");
  EXPECT_EQ(landing("HKCU\\Software\\Classes\\AppID\\a"),
            "HKEY_CURRENT_USER\\Software\\Classes\\Wow6432Node\\AppID\\a");
  // File types and ProgIDs are shared by both views.
  EXPECT_EQ(landing("HKCR\\.txt"), "same");
  EXPECT_EQ(landing("HKCR\\txtfile\\shell"), "same");
  EXPECT_EQ(landing("HKCR"), "same");
}

TEST(Wow64RedirectTest, DeepPathsKeepEveryPartAndTheCallersText) {
  std::string text = "HKLM\\Software";
  std::string expected = "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node";
  for (int i = 0; i < 40; ++i) { // past PathParts' inline capacity
    text += "\\k" + std::to_string(i);
    expected += "\\k" + std::to_string(i);
  }
  EXPECT_EQ(landing(text), expected);
  KeyPath path = KeyPath::parse(text);
  path.view = RegistryView::Bits32;
  auto redirected = wow64Redirect(path);
  ASSERT_TRUE(redirected);
  EXPECT_EQ(redirected->original, text); // errors name the key as the caller wrote it
  EXPECT_EQ(redirected->parts.size(), path.parts.size() + 1);
}

TEST(Wow64RedirectTest, Wow64PathIsTheAskedPathWhenNothingMoves) {
  KeyPath asked = KeyPath::parse("HKLM\\Software\\Vendor");
  Wow64Path in64(asked);
  EXPECT_EQ(&static_cast<const KeyPath&>(in64), &asked);
  asked.view = RegistryView::Bits32;
  Wow64Path in32(asked);
  EXPECT_EQ(static_cast<const KeyPath&>(in32).toString(), "HKEY_LOCAL_MACHINE\\Software\\Wow6432Node\\Vendor");
}

TEST(Wow64RedirectTest, ListingARedirectedKeyAddsTheSharedKeysThatExist) {
  KeyPath software = KeyPath::parse("HKLM\\Software");
  software.view = RegistryView::Bits32;
  std::vector<std::string> asked;
  std::vector<std::string> names{"Vendor", "policies"};
  bool added = addSharedSubkeys(software, names, [&](const KeyPath& key) {
    asked.push_back(key.toString());
    EXPECT_EQ(key.view, RegistryView::Bits64);
    return key.parts.back() == "Classes" || key.parts.back() == "Policies";
  });
  EXPECT_TRUE(added);
  // Policies is listed already (another case), Classes exists, the rest does not.
  EXPECT_EQ(names, (std::vector<std::string>{"Vendor", "policies", "Classes"}));
  EXPECT_NE(std::find(asked.begin(), asked.end(), "HKEY_LOCAL_MACHINE\\Software\\Clients"), asked.end());

  KeyPath currentVersion = KeyPath::parse("HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion");
  currentVersion.view = RegistryView::Bits32;
  names.clear();
  addSharedSubkeys(currentVersion, names, [](const KeyPath& key) { return key.parts.back() == "Fonts"; });
  EXPECT_EQ(names, (std::vector<std::string>{"Fonts"}));
}

TEST(Wow64RedirectTest, ListingOutsideThe32BitSoftwareTreeAddsNothing) {
  std::vector<std::string> names;
  auto never = [](const KeyPath&) -> bool {
    ADD_FAILURE() << "nothing to look up";
    return true;
  };
  KeyPath in64 = KeyPath::parse("HKLM\\Software");
  EXPECT_FALSE(addSharedSubkeys(in64, names, never));
  KeyPath system = KeyPath::parse("HKLM\\System");
  system.view = RegistryView::Bits32;
  EXPECT_FALSE(addSharedSubkeys(system, names, never));
  KeyPath policies = KeyPath::parse("HKLM\\Software\\Policies"); // shared itself: listed from the 64-bit tree
  policies.view = RegistryView::Bits32;
  EXPECT_FALSE(addSharedSubkeys(policies, names, never));
  EXPECT_TRUE(names.empty());
}
