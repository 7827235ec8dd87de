// saveHive keeps each key's formatted lines between saves (SavedLines) and formats only keys that changed. These
// tests change a tree every way it can change, saving after each step, and compare with a tree that got the same
// changes but whose caches are thrown away before each comparison: the two texts must be identical.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "registry/hive/HiveFormat.h"

using namespace regbridge::hive;

namespace {

const std::string kSample = "WINE REGISTRY Version 2\n"
                            ";; All keys relative to \\\\User\\\\S-1-5-21-0-0-0-1000\n"
                            "\n"
                            "#arch=win64\n"
                            "\n[Console] 1795586750\n#time=1dd7ca305ad0f30\n\"ColorTable00\"=dword:00000000\n"
                            "\"FaceName\"=\"Consolas\"\n"
                            "\n[Control Panel\\\\Desktop] 1795586750\n#time=1dd7ca305ad0f30\n"
                            "\"UserPreferencesMask\"=hex:10,00,02,80\n\"Wallpaper\"=\"\"\n"
                            "\n[Software\\\\Classes\\\\.txt] 1795586750\n#time=1dd7ca305ad0f30\n@=\"txtfile\"\n"
                            "\n[Software\\\\Wine\\\\Empty] 1795586750\n#time=1dd7ca305ad0f30\n"
                            "\n[Software\\\\Wine\\\\Link] 1795586750\n#time=1dd7ca305ad0f30\n#link\n"
                            "\"SymbolicLinkValue\"=hex(6):5c,00,52,00\n";

std::vector<std::uint8_t> bytesOf(unsigned n, std::mt19937& random) {
  std::vector<std::uint8_t> bytes(n);
  for (auto& b : bytes) b = std::uint8_t(random());
  return bytes;
}

std::string savedWithoutCache(const Hive& hive) {
  forgetSavedText(hive);
  return saveHive(hive);
}

// Every key of the tree, parents before children.
void allKeys(HiveKey& key, std::vector<HiveKey*>& out) {
  out.push_back(&key);
  for (const auto& subkey : key.subkeys()) allKeys(*subkey, out);
}

// One random change, made the same way to both trees (the same path of names in each).
void changeBoth(Hive& cached, Hive& fresh, std::mt19937& random) {
  std::vector<HiveKey*> keysA, keysB;
  allKeys(cached.root, keysA);
  allKeys(fresh.root, keysB);
  const std::size_t pick = random() % keysA.size();
  HiveKey& a = *keysA[pick];
  HiveKey& b = *keysB[pick];
  const std::u16string name{u'v', char16_t(u'a' + random() % 6)};
  switch (random() % 9) {
  case 0:
  case 1: { // a value set or replaced: strings, numbers, binary that wraps lines
    const std::uint32_t type = std::vector<std::uint32_t>{1, 2, 3, 4, 7, 11}[random() % 6];
    const auto data = bytesOf(type == 4 ? 4 : 2 * (random() % 60) + 2, random);
    a.setValue(name, type, data);
    b.setValue(name, type, data);
    break;
  }
  case 2:
    a.removeValue(name);
    b.removeValue(name);
    break;
  case 3: { // a new subkey (the parent may become implicit), or a removed one (it may become explicit again)
    const std::u16string sub{u'K', char16_t(u'0' + random() % 4)};
    if (random() % 2) {
      a.addSubkey(sub).setModified(0x1dd7ca305ad0f30 + random());
      b.addSubkey(sub).setModified(a.findSubkey(sub)->modified());
    } else {
      a.removeSubkey(sub);
      b.removeSubkey(sub);
    }
    break;
  }
  case 4: // the time, set directly as the parser and the edits do
    a.setModified(0x1d000000000000 + random());
    b.setModified(a.modified());
    break;
  case 5:
    a.setClassName(std::u16string{u'C', u'"', char16_t(u'0' + random() % 3)});
    b.setClassName(a.className());
    break;
  case 6:
    a.setClassName(std::nullopt);
    b.setClassName(std::nullopt);
    break;
  case 7:
    a.setLink(!a.isLink());
    b.setLink(a.isLink());
    break;
  case 8:
    if (a.parent()) {
      a.setVolatile(!a.isVolatile());
      b.setVolatile(a.isVolatile());
    }
    break;
  }
}

} // namespace

// Changes both trees `steps` times, comparing the saves now and then (several changes between two saves must all
// show too).
void changeAndCompare(Hive& cached, Hive& fresh, int steps, unsigned seed) {
  std::mt19937 random(seed);
  for (int step = 0; step < steps; ++step) {
    changeBoth(cached, fresh, random);
    if (random() % 3 == 0) {
      ASSERT_EQ(saveHive(cached), savedWithoutCache(fresh)) << "after step " << step;
    }
  }
  ASSERT_EQ(saveHive(cached), savedWithoutCache(fresh));
}

TEST(SavedKeyTextTest, EveryChangeShowsInTheNextSave) {
  ParseResult cached = parseHive(kSample);
  ParseResult fresh = parseHive(kSample);
  ASSERT_TRUE(cached.issues.empty());
  ASSERT_EQ(saveHive(cached.hive), kSample);
  changeAndCompare(cached.hive, fresh.hive, 3000, 20261125);
}

// A wider tree, so that saves copy whole unchanged subtrees, and the pieces grow past the point where a save joins
// them again, many times over.
TEST(SavedKeyTextTest, EveryChangeShowsInTheNextSaveOfAWideTree) {
  ParseResult cached = parseHive(kSample);
  ParseResult fresh = parseHive(kSample);
  for (Hive* hive : {&cached.hive, &fresh.hive}) {
    for (int i = 0; i < 200; ++i) {
      HiveKey& key = hive->root.addSubkey(u"Wide").addSubkey(
          std::u16string{u'W', char16_t(u'A' + i / 26), char16_t(u'a' + i % 26)});
      key.setModified(0x1dd7ca305ad0f30 + std::uint64_t(i));
      key.setValue(u"n", 4, {std::uint8_t(i), 0, 0, 0});
      if (i % 5 == 0) key.addSubkey(u"Deep").addSubkey(u"Deeper").setValue(u"", 1, {0x41, 0, 0, 0});
    }
  }
  saveHive(cached.hive); // the first save: every key formatted, every subtree recorded
  for (unsigned seed = 1; seed <= 4; ++seed) changeAndCompare(cached.hive, fresh.hive, 1500, seed);
}

bool within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

std::string joined(const std::vector<std::string_view>& pieces) {
  std::string text;
  for (auto piece : pieces) text += piece;
  return text;
}

TEST(SavedKeyTextTest, AnUnchangedKeyIsNotFormattedAgain) {
  ParseResult parsed = parseHive(kSample);
  std::vector<std::string_view> first, second;
  saveHivePieces(parsed.hive, first);
  EXPECT_EQ(joined(first), kSample);
  ASSERT_EQ(first.size(), 2u); // the preamble, then every key's lines joined in one text
  saveHivePieces(parsed.hive, second);
  ASSERT_EQ(second.size(), 2u);
  // The same memory: neither formatted nor copied again.
  EXPECT_EQ(second[1].data(), first[1].data());
  EXPECT_EQ(second[1].size(), first[1].size());

  // A change formats its key only: what comes before and after it is still the joined text.
  parsed.hive.root.findSubkey(u"Control Panel")->findSubkey(u"Desktop")->setValue(u"Wallpaper", 1, {0x41, 0, 0, 0});
  std::vector<std::string_view> third;
  saveHivePieces(parsed.hive, third);
  ASSERT_EQ(third.size(), 4u);
  EXPECT_TRUE(within(third[1], first[1]));
  EXPECT_FALSE(within(third[2], first[1]));
  EXPECT_TRUE(within(third[3], first[1]));
  ParseResult fresh = parseHive(kSample);
  fresh.hive.root.findSubkey(u"Control Panel")->findSubkey(u"Desktop")->setValue(u"Wallpaper", 1, {0x41, 0, 0, 0});
  EXPECT_EQ(joined(third), saveHive(fresh.hive));
}

TEST(SavedKeyTextTest, ManyChangedKeysAreJoinedAgain) {
  ParseResult cached = parseHive(kSample);
  ParseResult fresh = parseHive(kSample);
  for (Hive* hive : {&cached.hive, &fresh.hive}) {
    HiveKey& many = hive->root.addSubkey(u"Many");
    for (int i = 0; i < 300; ++i)
      many.addSubkey(std::u16string{u'K', char16_t(u'A' + i / 26), char16_t(u'a' + i % 26)})
          .setValue(u"n", 4, {1, 0, 0, 0});
  }
  std::vector<std::string_view> pieces;
  saveHivePieces(cached.hive, pieces);
  const std::string* before = cached.hive.savedText.get();
  // Every other key changes: far more pieces than a save keeps apart, so they are joined into a new text.
  for (Hive* hive : {&cached.hive, &fresh.hive}) {
    HiveKey& many = *hive->root.findSubkey(u"Many");
    for (std::size_t i = 0; i < many.subkeys().size(); i += 2) many.subkeys()[i]->setValue(u"n", 4, {2, 0, 0, 0});
  }
  saveHivePieces(cached.hive, pieces);
  EXPECT_EQ(pieces.size(), 2u);
  EXPECT_NE(cached.hive.savedText.get(), before);
  EXPECT_EQ(joined(pieces), savedWithoutCache(fresh.hive));
  // And the keys point into the new text: the next save, unchanged, is the same two pieces.
  std::vector<std::string_view> again;
  saveHivePieces(cached.hive, again);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].data(), pieces[1].data());
  EXPECT_EQ(joined(again), savedWithoutCache(fresh.hive));
}

TEST(SavedKeyTextTest, ARealPrefixStillRoundTripsAfterEdits) {
  const std::string text = regbridge::test::readFile(regbridge::test::realWinePrefix() / "system.reg");
  ParseResult parsed = parseHive(text);
  ASSERT_TRUE(parsed.issues.empty());
  ASSERT_EQ(saveHive(parsed.hive), text);
  HiveKey* key = parsed.hive.root.findSubkey(u"Software");
  ASSERT_NE(key, nullptr);
  key->setValue(u"regbridge", 4, {1, 0, 0, 0});
  const std::string edited = saveHive(parsed.hive);
  EXPECT_NE(edited, text);
  ASSERT_TRUE(key->removeValue(u"regbridge"));
  // The value is gone again and no time was touched: the file is the original, byte for byte.
  EXPECT_EQ(saveHive(parsed.hive), text);
}

// ---- keys whose lines are taken from the file ----------------------------------------------------------------
// checkRoundTrip adopts the parsed file as the hive's saved text: keys the parser found exactly as the writer writes
// them are copied from it instead of formatted. Whatever it takes from the file must be what formatting would give.

// What the save through the file's lines gives and what a save formatting every key of the same tree gives.
void expectSameAsFormatted(const std::string& text) {
  ParseResult parsed = parseHive(text);
  (void)checkRoundTrip(parsed.hive, text);
  const std::string saved = saveHive(parsed.hive);
  EXPECT_EQ(saved, savedWithoutCache(parsed.hive)) << text;
}

TEST(SavedKeyTextTest, AFileAsTheWriterWritesItIsSavedFromItsOwnText) {
  ParseResult parsed = parseHive(kSample);
  ASSERT_TRUE(parsed.issues.empty());
  EXPECT_EQ(checkRoundTrip(parsed.hive, kSample), std::nullopt);
  ASSERT_NE(parsed.hive.savedText, nullptr);
  EXPECT_EQ(*parsed.hive.savedText, kSample); // the file itself, nothing formatted
  std::vector<std::string_view> pieces;
  saveHivePieces(parsed.hive, pieces);
  ASSERT_EQ(pieces.size(), 2u); // the preamble, then every key as one piece of the file
  EXPECT_TRUE(within(pieces[1], *parsed.hive.savedText));
  EXPECT_EQ(joined(pieces), kSample);
}

TEST(SavedKeyTextTest, EveryChangeShowsInTheNextSaveOfATreeSavedFromItsFile) {
  ParseResult cached = parseHive(kSample);
  ParseResult fresh = parseHive(kSample);
  ASSERT_EQ(checkRoundTrip(cached.hive, kSample), std::nullopt);
  changeAndCompare(cached.hive, fresh.hive, 3000, 20261201);
}

// Files Wine reads alike but does not write so: checkRoundTrip still refuses each, and no key's lines that differ
// from the writer's are taken from the file.
TEST(SavedKeyTextTest, LinesNotAsTheWriterWritesThemAreFormatted) {
  const std::string head = "WINE REGISTRY Version 2\n;; All keys relative to \\\\Machine\n\n#arch=win64\n";
  const std::string key = "\n[A\\\\B] 1795586750\n#time=1dd7ca305ad0f30\n";
  const std::string other = "\n[C] 1795586750\n#time=1dd7ca305ad0f30\n\"n\"=dword:00000001\n";
  std::string unbroken = "00";
  for (int i = 0; i < 40; ++i) unbroken += ",00";
  const std::vector<std::string> variants = {
      head + key + "\"\\x41\"=\"a\"\n" + other,                                     // `\x41` for `A` in a name
      head + key + "\"a\"=\"\\x41 b\"\n" + other,                                   // ...in data
      head + key + "\"a\"=\"\\001\"\n" + other,                                     // octal with more digits
      head + key + "\"a\"=\"\\x00e9\"\n" + other,                                   // \x padded where not needed
      head + key + "\"a\"=\"\\[\"\n" + other,                                       // a bracket escaped in a string
      head + "\n[A\\\\\\x42] 1795586750\n#time=1dd7ca305ad0f30\n@=\"x\"\n" + other, // `\x42` in a key name
      head + "\n[A\\\\B] 1795586751\n#time=1dd7ca305ad0f30\n@=\"x\"\n" + other,     // seconds not from #time
      head + "\n[A\\\\B] 1795586750\n@=\"x\"\n" + other,                            // no #time
      head + key + "@=\"x\"\n\n" + other,                                           // two blank lines
      head + key + "@=\"x\"\r\n" + other,                                           // CR LF
      head + "\n[A] 1795586750\n#time=1dd7ca305ad0f30\n" + key + other,             // a key Wine leaves implicit
      head + key + "@=hex:01,02,\\\n  03\n" + other,                                // hex broken too early
      head + key + "\"a\"=hex:" + unbroken + "\n" + other,                          // hex never broken
      head + key + "#class=\"\\x43\"\n@=\"x\"\n" + other,                           // class escaped
      head + "\n[A\\\\B] 1795586750\n#time=1dd7ca305ad0f30\n#link\n#class=\"c\"\n" + other, // options out of order
      head + key + "@=\"x\"\n" + other + "\n",                                              // a blank line at the end
      // A key named again with other cases: it keeps its first name.
      head + key + "@=\"x\"\n\n[a\\\\C] 1795586750\n#time=1dd7ca305ad0f30\n@=\"y\"\n" + other,
      // ...and the key line after it shares that spelling.
      head + key + "@=\"x\"\n\n[a\\\\C] 1795586750\n#time=1dd7ca305ad0f30\n@=\"y\"\n\n[a\\\\D] 1795586750\n" +
          "#time=1dd7ca305ad0f30\n@=\"z\"\n" + other,
      // A key given again after another that sorts before it (only that one is reported), with more values.
      head + key + "\"a\"=\"1\"\n\n[A\\\\A] 1795586750\n#time=1dd7ca305ad0f30\n" + key + "\"b\"=\"2\"\n" + other,
      head + key + "@=\"x\"\n" + "\n" + other.substr(1) + "; comment\n", // a comment at the end
  };
  for (const std::string& text : variants) {
    expectSameAsFormatted(text);
    ParseResult parsed = parseHive(text);
    if (parsed.issues.empty()) {
      EXPECT_NE(checkRoundTrip(parsed.hive, text), std::nullopt) << text;
    }
  }
  // Escapes the writer does write, and hex data that wraps where it wraps it, are taken from the file.
  std::string wrapped = head + key + "\"Data\"=hex:";
  for (int i = 0; i < 60; ++i) {
    wrapped += "ab";
    if (i + 1 < 60) wrapped += ',';
    if (i == 21 || i == 46) wrapped += "\\\n  ";
  }
  wrapped += "\n\"q\"=\"say \\\"\\xe9\\\"\\x1234 \\\\ \\t\\0010\\x00e9f\"\n" + other;
  ParseResult parsed = parseHive(wrapped);
  ASSERT_TRUE(parsed.issues.empty()) << parsed.issues.front().message;
  EXPECT_EQ(checkRoundTrip(parsed.hive, wrapped), std::nullopt) << saveHive(parseHive(wrapped).hive);
  std::vector<std::string_view> pieces;
  saveHivePieces(parsed.hive, pieces);
  EXPECT_EQ(pieces.size(), 2u);
  expectSameAsFormatted(wrapped);
}

TEST(SavedKeyTextTest, ARealPrefixIsSavedFromItsOwnText) {
  for (const char* name : {"system.reg", "user.reg", "userdef.reg"}) {
    const std::string text = regbridge::test::readFile(regbridge::test::realWinePrefix() / name);
    ParseResult parsed = parseHive(text);
    ASSERT_TRUE(parsed.issues.empty()) << name;
    ASSERT_EQ(checkRoundTrip(parsed.hive, text), std::nullopt) << name;
    std::vector<std::string_view> pieces;
    saveHivePieces(parsed.hive, pieces);
    EXPECT_EQ(pieces.size(), 2u) << name; // no key formatted
    EXPECT_EQ(joined(pieces), text) << name;
    expectSameAsFormatted(text);
  }
}
