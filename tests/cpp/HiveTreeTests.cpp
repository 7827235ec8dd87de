#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "registry/hive/HiveTree.h"

using namespace regbridge::hive;

namespace {

std::vector<std::u16string> subkeyNames(const HiveKey& key) {
  std::vector<std::u16string> names;
  for (const auto& subkey : key.subkeys()) names.push_back(subkey->name());
  return names;
}

std::vector<std::u16string> valueNames(const HiveKey& key) {
  std::vector<std::u16string> names;
  for (const auto& value : key.values()) names.push_back(value.name);
  return names;
}

} // namespace

TEST(HiveTreeTest, FoldsAsciiToLowerCase) {
  for (char16_t c = u'A'; c <= u'Z'; ++c) EXPECT_EQ(foldCase(c), c + 0x20);
  for (char16_t c = 0; c < 0x80; ++c) {
    if (c < u'A' || c > u'Z') {
      EXPECT_EQ(foldCase(c), c) << int(c);
    }
  }
}

TEST(HiveTreeTest, FoldsLikeWinesLowercaseTable) {
  EXPECT_EQ(foldCase(u'\u00C4'), u'\u00E4'); // Ä
  EXPECT_EQ(foldCase(u'\u00DE'), u'\u00FE'); // Þ
  EXPECT_EQ(foldCase(u'\u00D7'), u'\u00D7'); // × has no case
  EXPECT_EQ(foldCase(u'\u00DF'), u'\u00DF'); // ß stays
  EXPECT_EQ(foldCase(u'\u0178'), u'\u00FF'); // Ÿ folds back into Latin-1
  EXPECT_EQ(foldCase(u'\u0410'), u'\u0430'); // Cyrillic А
  EXPECT_EQ(foldCase(u'\u0391'), u'\u03B1'); // Greek Α
  EXPECT_EQ(foldCase(u'\uFF21'), u'\uFF41'); // fullwidth Ａ
  EXPECT_EQ(foldCase(u'\u10A0'), u'\u2D00'); // Georgian
  // Windows' table leaves these alone although Unicode maps them.
  EXPECT_EQ(foldCase(u'\u0130'), u'\u0130');
  EXPECT_EQ(foldCase(u'\u212A'), u'\u212A');
  EXPECT_EQ(foldCase(u'\u1E9E'), u'\u1E9E');
  EXPECT_EQ(foldCase(char16_t(0xD83D)), char16_t(0xD83D));
  EXPECT_EQ(foldName(u"MiXeD\u00C9"), u"mixed\u00E9");
}

TEST(HiveTreeTest, UnderscoreSortsBeforeLetters) {
  // Letters fold to lower case (0x61..), so `_` (0x5F) comes first, as in a real system.reg.
  EXPECT_LT(compareNames(u"_iso-2022-jp$SIO", u"ANSI_X3.4-1968"), 0);
  EXPECT_LT(compareNames(u"GB_2312-80", u"GBK"), 0);
  EXPECT_GT(compareNames(u"GBK", u"GB_2312-80"), 0);
  HiveKey root(u"", nullptr);
  for (auto name : {u"GBK", u"ANSI_X3.4-1968", u"GB_2312-80", u"_iso-2022-jp$SIO"}) root.addSubkey(name);
  EXPECT_EQ(subkeyNames(root),
            (std::vector<std::u16string>{u"_iso-2022-jp$SIO", u"ANSI_X3.4-1968", u"GB_2312-80", u"GBK"}));
}

TEST(HiveTreeTest, ShorterPrefixComesFirst) {
  EXPECT_LT(compareNames(u"ab", u"abc"), 0);
  EXPECT_LT(compareNames(u"AB", u"abc"), 0);
  EXPECT_GT(compareNames(u"abc", u"AB"), 0);
  EXPECT_EQ(compareNames(u"Abc", u"aBC"), 0);
  EXPECT_LT(compareNames(u"", u"a"), 0);
}

TEST(HiveTreeTest, ComparesFoldedUnitsAsUnsignedNumbers) {
  EXPECT_LT(compareNames(u"z", u"\u00E9"), 0);
  EXPECT_LT(compareNames(u"\u00E9", u"\U0001F600"), 0);
  EXPECT_GT(compareNames(u"\uFFFF", u"\U0001F600"), 0);
}

TEST(HiveTreeTest, FindIsCaseInsensitiveAndKeepsTheStoredCase) {
  HiveKey root(u"", nullptr);
  HiveKey& key = root.addSubkey(u"MixedCase");
  EXPECT_EQ(root.findSubkey(u"mixedcase"), &key);
  EXPECT_EQ(root.findSubkey(u"MIXEDCASE"), &key);
  EXPECT_EQ(root.findSubkey(u"MixedCas"), nullptr);
  EXPECT_EQ(root.findSubkey(u"MixedCases"), nullptr);
  EXPECT_EQ(&root.addSubkey(u"MIXEDCASE"), &key);
  EXPECT_EQ(root.subkeys().size(), 1u);
  EXPECT_EQ(key.name(), u"MixedCase");
  EXPECT_EQ(key.foldedHash(), foldedNameHash(u"mixedcase"));
  EXPECT_EQ(key.parent(), &root);
  EXPECT_EQ(root.findSubkey(u"\u00C9t\u00E9"), nullptr);
  HiveKey& accented = root.addSubkey(u"\u00C9t\u00E9");
  EXPECT_EQ(root.findSubkey(u"\u00E9T\u00C9"), &accented);
}

TEST(HiveTreeTest, NewSubkeysStartWithoutTimeOrAttributes) {
  HiveKey root(u"", nullptr);
  HiveKey& key = root.addSubkey(u"New");
  EXPECT_EQ(key.modified(), 0u);
  EXPECT_FALSE(key.className());
  EXPECT_FALSE(key.isLink());
  EXPECT_FALSE(key.isVolatile());
  EXPECT_TRUE(key.subkeys().empty());
  EXPECT_TRUE(key.values().empty());
}

TEST(HiveTreeTest, KeepsSubkeysInWineOrderWhateverTheInsertionOrder) {
  std::vector<std::u16string> names = {u"b",      u"B2",     u"a_",  u"A",   u"_x",     u"zz", u"Z",
                                       u"\u00C4", u"\u00E4", u"a-b", u"a.b", u"\uFF21", u"a0", u"[x]"};
  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(names.begin(), names.end(), random);
    HiveKey root(u"", nullptr);
    for (const auto& name : names) root.addSubkey(name);
    const auto stored = subkeyNames(root);
    ASSERT_EQ(stored.size(), names.size() - 1) << "Ä and ä fold together";
    for (std::size_t i = 1; i < stored.size(); ++i) EXPECT_LT(compareNames(stored[i - 1], stored[i]), 0);
  }
}

TEST(HiveTreeTest, RemovesSubkeysCaseInsensitively) {
  HiveKey root(u"", nullptr);
  root.addSubkey(u"One").addSubkey(u"Child");
  root.addSubkey(u"Two");
  EXPECT_TRUE(root.removeSubkey(u"ONE"));
  EXPECT_FALSE(root.removeSubkey(u"one"));
  EXPECT_EQ(subkeyNames(root), std::vector<std::u16string>{u"Two"});
}

TEST(HiveTreeTest, SetValueInsertsInOrderAndReplacesKeepingTheStoredName) {
  HiveKey key(u"k", nullptr);
  key.setValue(u"Beta", 1, {0x62, 0, 0, 0});
  key.setValue(u"alpha", 4, {1, 0, 0, 0});
  key.setValue(u"", 1, {0, 0});
  key.setValue(u"_under", 3, {});
  EXPECT_EQ(valueNames(key), (std::vector<std::u16string>{u"", u"_under", u"alpha", u"Beta"}));

  key.setValue(u"BETA", 3, {9});
  ASSERT_EQ(key.values().size(), 4u);
  const HiveValue* beta = key.findValue(u"beta");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->name, u"Beta");
  EXPECT_EQ(beta->type, 3u);
  EXPECT_EQ(beta->data, std::vector<std::uint8_t>{9});
  EXPECT_NE(key.findValue(u""), nullptr);
  EXPECT_EQ(key.findValue(u"gamma"), nullptr);
}

TEST(HiveTreeTest, RemovesValuesCaseInsensitively) {
  HiveKey key(u"k", nullptr);
  key.setValue(u"Name", 1, {0, 0});
  EXPECT_FALSE(key.removeValue(u"Other"));
  EXPECT_TRUE(key.removeValue(u"NAME"));
  EXPECT_TRUE(key.values().empty());
}

TEST(HiveTreeTest, MovingAKeyRepointsItsSubkeys) {
  HiveKey original(u"root", nullptr);
  HiveKey& child = original.addSubkey(u"Child");
  child.addSubkey(u"Grandchild");
  original.setModified(7);
  HiveKey moved(std::move(original));
  ASSERT_EQ(moved.subkeys().size(), 1u);
  EXPECT_EQ(moved.subkeys()[0]->parent(), &moved);
  EXPECT_EQ(moved.subkeys()[0]->subkeys()[0]->parent(), moved.subkeys()[0].get());
  EXPECT_EQ(moved.modified(), 7u);
  EXPECT_EQ(moved.findSubkey(u"child"), &child);

  Hive hive;
  hive.root.addSubkey(u"A");
  Hive other(std::move(hive));
  EXPECT_EQ(other.root.subkeys()[0]->parent(), &other.root);
}
