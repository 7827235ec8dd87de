#include <gtest/gtest.h>

#include "registry/Error.h"
#include "registry/KeyPath.h"

using namespace regbridge;

namespace {
ErrorCode codeOf(std::string_view text) {
  try {
    KeyPath::parse(text);
  } catch (const RegistryError& e) {
    return e.code();
  }
  return ErrorCode::Internal;
}
std::string messageOf(std::string_view text) {
  try {
    KeyPath::parse(text);
  } catch (const RegistryError& e) {
    return e.what();
  }
  return {};
}
} // namespace

TEST(KeyPathTest, AcceptsFullAndShortHiveNamesInAnyCase) {
  EXPECT_EQ(KeyPath::parse("HKEY_LOCAL_MACHINE\\Software").hive, Hive::LocalMachine);
  EXPECT_EQ(KeyPath::parse("hklm\\Software").hive, Hive::LocalMachine);
  EXPECT_EQ(KeyPath::parse("HKCU").hive, Hive::CurrentUser);
  EXPECT_EQ(KeyPath::parse("Hkey_Classes_Root\\.txt").hive, Hive::ClassesRoot);
  EXPECT_EQ(KeyPath::parse("HKU\\.Default").hive, Hive::Users);
  EXPECT_EQ(KeyPath::parse("HKCC\\Software").hive, Hive::CurrentConfig);
}

TEST(KeyPathTest, KeepsThePartsAsWritten) {
  KeyPath p = KeyPath::parse("HKCU\\Software\\My App/1.0\\Ünïcødé");
  ASSERT_EQ(p.parts.size(), 3u);
  EXPECT_EQ(p.parts[0], "Software");
  EXPECT_EQ(p.parts[1], "My App/1.0"); // '/' is an ordinary character, as on Windows
  EXPECT_EQ(p.parts[2], "Ünïcødé");
  EXPECT_EQ(p.toString(), "HKEY_CURRENT_USER\\Software\\My App/1.0\\Ünïcødé");
  EXPECT_EQ(p.original, "HKCU\\Software\\My App/1.0\\Ünïcødé");
}

TEST(KeyPathTest, AHiveWithATrailingBackslashIsTheHive) { EXPECT_TRUE(KeyPath::parse("HKCU\\").parts.empty()); }

TEST(KeyPathTest, RejectsBadPathsNamingTheProblem) {
  EXPECT_EQ(codeOf(""), ErrorCode::InvalidPath);
  EXPECT_NE(messageOf("HKXX\\Software").find("unknown hive 'HKXX'"), std::string::npos);
  EXPECT_NE(messageOf("HKCU\\a\\\\b").find("empty key name"), std::string::npos);
  EXPECT_NE(messageOf("HKCU\\a\\").find("ends with a backslash"), std::string::npos);
  EXPECT_NE(messageOf(std::string("HKCU\\a\xff", 7)).find("UTF-8"), std::string::npos);
  EXPECT_NE(messageOf(std::string("HKCU\\a\0b", 8)).find("NUL"), std::string::npos);
  EXPECT_EQ(codeOf("Software\\Microsoft"), ErrorCode::InvalidPath);
}

TEST(KeyPathTest, EnforcesWindowsLimitsInUtf16Units) {
  std::string longest(255, 'k');
  EXPECT_NO_THROW(KeyPath::parse("HKCU\\" + longest));
  EXPECT_NE(messageOf("HKCU\\" + longest + "k").find("limit is 255"), std::string::npos);
  // 'é' is two UTF-8 bytes but one UTF-16 unit: 255 of them fit.
  std::string accented;
  for (int i = 0; i < 255; ++i) accented += "é";
  EXPECT_NO_THROW(KeyPath::parse("HKCU\\" + accented));
  // An astral character takes two units.
  std::string astral;
  for (int i = 0; i < 128; ++i) astral += "😀";
  EXPECT_EQ(codeOf("HKCU\\" + astral), ErrorCode::InvalidPath);

  std::string deep = "HKCU";
  for (int i = 0; i < 512; ++i) deep += "\\k";
  EXPECT_EQ(KeyPath::parse(deep).parts.size(), 512u);
  EXPECT_NE(messageOf(deep + "\\k").find("512 levels"), std::string::npos);
}

TEST(KeyPathTest, ValueNamesAreLimitedTo16383Units) {
  EXPECT_NO_THROW(validateValueName(std::string(16383, 'v'), "HKCU\\k"));
  try {
    validateValueName(std::string(16384, 'v'), "HKCU\\k");
    FAIL() << "no error";
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(e.key(), "HKCU\\k");
  }
}
