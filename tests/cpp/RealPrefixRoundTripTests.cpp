// The promise of the hive format code: a file Wine wrote comes back byte for byte.
#include <gtest/gtest.h>

#include "registry/hive/HiveFormat.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge;

namespace {

void expectLosslessRoundTrip(const char *fileName) {
  const std::string text = test::readFile(test::realWinePrefix() / fileName);
  ASSERT_TRUE(text.starts_with("WINE REGISTRY Version 2\n")) << fileName;
  const hive::ParseResult result = hive::parseHive(text);
  for (const auto &issue : result.issues)
    ADD_FAILURE() << fileName << ":" << issue.line << ": " << issue.message;
  const std::string saved = hive::saveHive(result.hive);
  if (saved == text)
    return;
  std::size_t at = 0;
  while (at < saved.size() && at < text.size() && saved[at] == text[at])
    ++at;
  const std::size_t from = at > 200 ? at - 200 : 0;
  ADD_FAILURE() << fileName << " differs at byte " << at << " of " << text.size() << "\n--- Wine:\n"
                << text.substr(from, 400) << "\n--- saved:\n"
                << saved.substr(from, 400);
}

std::size_t countKeys(const hive::HiveKey &key) {
  std::size_t count = 1;
  for (const auto &subkey : key.subkeys())
    count += countKeys(*subkey);
  return count;
}

} // namespace

TEST(RealPrefixRoundTripTest, SystemRegComesBackByteForByte) { expectLosslessRoundTrip("system.reg"); }

TEST(RealPrefixRoundTripTest, UserRegComesBackByteForByte) { expectLosslessRoundTrip("user.reg"); }

TEST(RealPrefixRoundTripTest, UserdefRegComesBackByteForByte) { expectLosslessRoundTrip("userdef.reg"); }

TEST(RealPrefixRoundTripTest, ReadsTheHeadersAndTheWellKnownKeys) {
  const hive::ParseResult system = hive::parseHive(test::readFile(test::realWinePrefix() / "system.reg"));
  EXPECT_EQ(system.hive.relativeTo, "REGISTRY\\Machine");
  EXPECT_TRUE(system.hive.arch == "win64" || system.hive.arch == "win32") << system.hive.arch;
  EXPECT_GT(countKeys(system.hive.root), 1000u);
  const hive::HiveKey *currentVersion = system.hive.root.findSubkey(u"software");
  for (auto part : {u"Microsoft", u"WINDOWS NT", u"currentversion"}) {
    ASSERT_NE(currentVersion, nullptr);
    currentVersion = currentVersion->findSubkey(part);
  }
  ASSERT_NE(currentVersion, nullptr);
  EXPECT_EQ(currentVersion->name(), u"CurrentVersion");
  const hive::HiveValue *product = currentVersion->findValue(u"productname");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->type, 1u);

  const hive::ParseResult user = hive::parseHive(test::readFile(test::realWinePrefix() / "user.reg"));
  EXPECT_TRUE(user.hive.relativeTo.starts_with("REGISTRY\\User\\S-1-5-")) << user.hive.relativeTo;
  const hive::ParseResult userdef = hive::parseHive(test::readFile(test::realWinePrefix() / "userdef.reg"));
  EXPECT_EQ(userdef.hive.relativeTo, "REGISTRY\\User\\.Default");
}
