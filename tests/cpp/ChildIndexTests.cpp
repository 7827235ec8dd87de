// Keys with many subkeys find them through a hash table (ChildIndex); these tests check it against a plain scan of
// the subkeys while keys come and go, in every case and with names outside ASCII.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "registry/hive/ChildIndex.h"
#include "registry/hive/HiveTree.h"

using namespace regbridge::hive;

namespace {

// What findSubkey must answer: the subkey whose name compares equal without case, by a scan.
HiveKey* scan(const HiveKey& key, std::u16string_view name) {
  for (const auto& subkey : key.subkeys())
    if (compareNames(subkey->name(), name) == 0) return subkey.get();
  return nullptr;
}

std::u16string nameFor(unsigned n) {
  // Letters of both cases, a non-ASCII letter with a lowercase form (U+00C4 / U+00E4) and digits.
  std::u16string name = u"Key";
  name += (n % 3 == 0) ? u'\u00C4' : u'x';
  name += std::u16string(u"") + char16_t(u'A' + n % 26);
  for (unsigned v = n; v; v /= 10) name += char16_t(u'0' + v % 10);
  return name;
}

std::u16string otherCase(std::u16string name) {
  for (auto& c : name) {
    if (c >= u'a' && c <= u'z') c = char16_t(c - 0x20);
    else if (c >= u'A' && c <= u'Z') c = char16_t(c + 0x20);
    else if (c == u'\u00C4') c = u'\u00E4';
  }
  return name;
}

} // namespace

TEST(ChildIndexTest, NamesDifferingOnlyInCaseHashAlike) {
  EXPECT_EQ(foldedNameHash(u"Software"), foldedNameHash(u"SOFTWARE"));
  EXPECT_EQ(foldedNameHash(u"\u00C4pfel"), foldedNameHash(u"\u00E4PFEL"));
  EXPECT_NE(foldedNameHash(u"ab"), foldedNameHash(u"abc"));
}

TEST(ChildIndexTest, FindsEverySubkeyOfAWideKeyWhileKeysComeAndGo) {
  HiveKey root(u"", nullptr);
  std::mt19937 random(7);
  std::vector<std::u16string> names;
  for (unsigned i = 0; i < 3000; ++i) names.push_back(nameFor(i));
  std::shuffle(names.begin(), names.end(), random);
  std::vector<bool> present(names.size(), false);
  // Grows past the threshold and through several resizes, removing as it goes (removals shift probe runs).
  for (std::size_t step = 0; step < 6000; ++step) {
    const std::size_t i = random() % names.size();
    if (present[i] && random() % 3 == 0) {
      ASSERT_TRUE(root.removeSubkey(otherCase(names[i])));
      present[i] = false;
    } else {
      root.addSubkey(names[i]);
      present[i] = true;
    }
  }
  ASSERT_GT(root.subkeys().size(), ChildIndex::kMinSubkeys);
  for (std::size_t i = 0; i < names.size(); ++i) {
    HiveKey* found = root.findSubkey(otherCase(names[i]));
    EXPECT_EQ(found, scan(root, names[i])) << i;
    EXPECT_EQ(found != nullptr, bool(present[i])) << i;
  }
  EXPECT_EQ(root.findSubkey(u"NoSuchKey"), nullptr);
  // Down below the threshold again: lookups still right.
  for (std::size_t i = 0; i < names.size(); ++i)
    if (present[i] && i % 50 != 0) {
      ASSERT_TRUE(root.removeSubkey(names[i]));
      present[i] = false;
    }
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(root.findSubkey(names[i]) != nullptr, bool(present[i]));
}

TEST(ChildIndexTest, AMovedKeyStillFindsItsSubkeys) {
  HiveKey from(u"", nullptr);
  for (unsigned i = 0; i < 100; ++i) from.addSubkey(nameFor(i));
  HiveKey to(std::move(from));
  for (unsigned i = 0; i < 100; ++i) {
    HiveKey* found = to.findSubkey(otherCase(nameFor(i)));
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(found->parent(), &to);
  }
}
