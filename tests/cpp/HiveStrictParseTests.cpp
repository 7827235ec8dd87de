// A hive file is written back only when saving gives it back byte for byte. The parser reports what Wine reads but
// never writes (a line cut short, a value given twice, `\q`...), checkRoundTrip catches the rest, and Wine's own
// output passes both: a random hive saved and parsed again has no issue, before and after random edits.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "registry/hive/HiveFormat.h"
#include "tests/cpp/TestSupport.h"

using namespace regbridge::hive;

namespace {

using Bytes = std::vector<std::uint8_t>;

const std::string kHeader = "WINE REGISTRY Version 2\n"
                            ";; All keys relative to REGISTRY\\\\Machine\n"
                            "\n"
                            "#arch=win64\n";
// 1795586750 seconds since 1970 is FILETIME 0x1dd7ca305ad0f30.
const std::string kTime = " 1795586750\n#time=1dd7ca305ad0f30\n";

std::string issuesText(const ParseResult& result) {
  std::string text;
  for (const auto& issue : result.issues) text += std::to_string(issue.line) + ": " + issue.message + "\n";
  return text;
}

// One key `[K]` holding `lines`, as a whole file.
std::string fileWith(const std::string& lines) { return kHeader + "\n[K]" + kTime + lines; }

// The parser's first issue, "line: message", or "" when it saw none.
std::string firstIssue(const std::string& text) {
  const ParseResult result = parseHive(text);
  if (result.issues.empty()) return "";
  return std::to_string(result.issues.front().line) + ": " + result.issues.front().message;
}

// Every issue of a text, the parser's and then checkRoundTrip's.
std::string allIssues(const std::string& text) {
  const ParseResult result = parseHive(text);
  std::string issues = issuesText(result);
  if (auto issue = checkRoundTrip(result.hive, text)) issues += std::to_string(issue->line) + ": " + issue->message;
  return issues;
}

} // namespace

TEST(HiveStrictParseTest, WinesOwnLinesHaveNoIssue) {
  const std::string text = fileWith("@=\"default\"\n"
                                    "\"a\"=\"x\\\\y\\\"z\\x20ac\\n\"\n"
                                    "\"d\"=dword:0000002a\n"
                                    "\"e\"=str(2):\"%PATH%\"\n"
                                    "\"h\"=hex:01,02,ff\n"
                                    "\"m\"=str(7):\"a\\0b\"\n"
                                    "\"q\"=hex(b):01,00,00,00,00,00,00,00\n");
  EXPECT_EQ(allIssues(text), "");
}

TEST(HiveStrictParseTest, ALineCutShortIsReported) {
  // A user.reg cut mid-line, as a full disk or a crashed editor leaves it: Wine reads `dword:000` as 0.
  const std::string text = fileWith("\"1603\"=dword:00000001\n\"1604\"=dword:000");
  const ParseResult result = parseHive(text);
  EXPECT_EQ(issuesText(result), "9: dword data is not 8 lower-case hex digits (the line may be cut short)\n"
                                "9: the last line has no line end: the file looks cut short (Wine ends every line "
                                "it writes)\n");
  // Cut anywhere else on a line, the missing line end still tells.
  EXPECT_EQ(firstIssue(fileWith("\"a\"=\"x\"\n#time=1d")).substr(0, 3), "9: ");
  EXPECT_EQ(firstIssue(kHeader + "\n[K] 17955"), "6: the last line has no line end: the file looks cut short (Wine "
                                                 "ends every line it writes)");
}

TEST(HiveStrictParseTest, LenientLinesThatASaveWouldChangeAreReported) {
  EXPECT_EQ(firstIssue(fileWith("\"a\"=\"x\"junk\n")),
            "8: text after the closing quote of the value data (saving would drop it)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=\"1\"\n\"a\"=\"2\"\n")),
            "9: value name given twice (the later one counts; saving drops the first)");
  EXPECT_EQ(firstIssue(fileWith("\"b\"=\"1\"\n\"a\"=\"2\"\n")), "9: value out of Wine's order (saving would move it)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=\"\\q\"\n")),
            "8: unknown escape `\\q` (Wine reads it as `q`; saving would drop the backslash)");
  EXPECT_EQ(firstIssue(fileWith("\"\\q\"=\"a\"\n")),
            "8: unknown escape `\\q` (Wine reads it as `q`; saving would drop the backslash)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=dword:2a\n")),
            "8: dword data is not 8 lower-case hex digits (the line may be cut short)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=dword:0000002A\n")),
            "8: dword data is not 8 lower-case hex digits (the line may be cut short)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=hex:01,02,\n")),
            "8: hex data not as Wine writes it (lower-case `xx,` bytes, no comma after the last)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=hex:0A,02\n")),
            "8: hex data not as Wine writes it (lower-case `xx,` bytes, no comma after the last)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=hex:1,2\n")),
            "8: hex data not as Wine writes it (lower-case `xx,` bytes, no comma after the last)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=hex(3):01\n")),
            "8: the value's type or form is not written as Wine writes it (saving would change it)");
  EXPECT_EQ(firstIssue(fileWith("\"a\"=hex(4):01,00,00,00\n")),
            "8: the value's type or form is not written as Wine writes it (saving would change it)");
  EXPECT_EQ(firstIssue(fileWith("\"a\" = \"x\"\n")), "8: white space in the value line (Wine writes none)");
  EXPECT_EQ(firstIssue(fileWith("#time=1DD7CA305AD0F30\n")),
            "8: #time= is not written as Wine writes it (lower-case hex, %x%08x)");
  EXPECT_EQ(firstIssue(fileWith("#class=\"c\"x\n")),
            "8: text after the closing quote of the class (saving would drop it)");
  EXPECT_EQ(firstIssue(fileWith("#volatile\n")), "8: unknown key option (Wine ignores it; saving would drop it)");
  EXPECT_EQ(firstIssue(fileWith("; note\n")),
            "8: comment line among the keys (Wine writes none there; saving would drop it)");
  // Keys: given twice, out of order, an ancestor after its descendant.
  EXPECT_EQ(firstIssue(kHeader + "\n[K]" + kTime + "@=\"\"\n\n[K]" + kTime + "@=\"\"\n"),
            "10: key out of Wine's order, or given twice (saving would move or merge it)");
  EXPECT_EQ(firstIssue(kHeader + "\n[B]" + kTime + "\n[A]" + kTime),
            "9: key out of Wine's order, or given twice (saving would move or merge it)");
  EXPECT_EQ(firstIssue(kHeader + "\n[A\\\\B]" + kTime + "\n[A]" + kTime + "@=\"\"\n"),
            "9: key out of Wine's order, or given twice (saving would move or merge it)");
  EXPECT_EQ(firstIssue(kHeader + "\n[K] 17955 x\n#time=1dd7ca305ad0f30\n"),
            "6: the key line does not end in `] <seconds>` as Wine writes it");
}

// What one line cannot show: the whole save compared with the file, naming the first line that would change.
TEST(HiveStrictParseTest, CheckRoundTripNamesTheFirstLineASaveWouldChange) {
  const std::string escaped = fileWith("\"a\"=\"\\x41\"\n");
  ASSERT_EQ(firstIssue(escaped), "");
  auto issue = checkRoundTrip(parseHive(escaped).hive, escaped);
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->line, 8u);
  EXPECT_EQ(issue->message, "the file is not as Wine writes it here: saving would change `\"a\"=\"\\x41\"` into "
                            "`\"a\"=\"A\"`");

  const std::string blank = fileWith("\"a\"=\"x\"\n\n\n");
  ASSERT_EQ(firstIssue(blank), "");
  issue = checkRoundTrip(parseHive(blank).hive, blank);
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->line, 9u);
  EXPECT_EQ(issue->message, "the file is not as Wine writes it here: saving would change an empty line (Wine writes "
                            "nothing from here on)");

  // Seconds on the key line that do not match its #time=.
  const std::string seconds = kHeader + "\n[K] 1700000000\n#time=1dd7ca305ad0f30\n";
  ASSERT_EQ(firstIssue(seconds), "");
  issue = checkRoundTrip(parseHive(seconds).hive, seconds);
  ASSERT_TRUE(issue);
  EXPECT_EQ(issue->line, 6u);
}

TEST(HiveStrictParseTest, RealPrefixFilesPassTheCheck) {
  for (const char* name : {"system.reg", "user.reg", "userdef.reg"}) {
    const std::string text = regbridge::test::readFile(regbridge::test::realWinePrefix() / name);
    const ParseResult result = parseHive(text);
    EXPECT_EQ(issuesText(result), "") << name;
    auto issue = checkRoundTrip(result.hive, text);
    EXPECT_FALSE(issue) << name << ":" << issue->line << ": " << issue->message;
  }
}

// A `#time=` of 2^63 or more: the seconds on the key line are computed as Wine computes them (two's complement),
// without signed overflow, and the file comes back as it was.
TEST(HiveStrictParseTest, TimesFrom2To63UpRoundTrip) {
  for (std::uint64_t time : {std::uint64_t(1) << 63, ~std::uint64_t(0), (std::uint64_t(1) << 63) + 12345678901}) {
    Hive hive = makeEmptyHive("REGISTRY\\Machine", "win64");
    hive.root.addSubkey(u"K").setModified(time);
    const std::string text = saveHive(hive);
    EXPECT_EQ(allIssues(text), "") << text;
    EXPECT_EQ(saveHive(parseHive(text).hive), text);
    // And as a hand-written file would give it.
    char timeLine[40];
    std::snprintf(timeLine, sizeof timeLine, "#time=%x%08x\n", unsigned(time >> 32), unsigned(time));
    EXPECT_NE(text.find(timeLine), std::string::npos) << text;
  }
}

namespace {

// Random hives in Wine's output: names and data with escapes, controls, non-ASCII, every kind of value.
class RandomHives {
public:
  explicit RandomHives(unsigned seed) : rng_(seed) {}

  Hive make() {
    Hive hive = makeEmptyHive("REGISTRY\\Machine", pick(2) ? "win64" : "win32");
    hive.root.setModified(time());
    const int keys = 1 + int(pick(12));
    for (int i = 0; i < keys; ++i) edit(hive);
    return hive;
  }

  // One change as a write makes it: a value set or removed, a key added or removed, a class, a link flag.
  void edit(Hive& hive) {
    HiveKey* key = &hive.root;
    for (int depth = 0; depth < 4 && !key->subkeys().empty() && pick(3); ++depth)
      key = key->subkeys()[pick(key->subkeys().size())].get();
    switch (pick(6)) {
    case 0:
      key = &key->addSubkey(name(false));
      key->setModified(time());
      break;
    case 1:
      if (key->parent() && key->subkeys().empty()) {
        key->parent()->removeSubkey(key->name());
        return;
      }
      break;
    case 2: key->setClassName(pick(2) ? std::optional(name(true)) : std::nullopt); break;
    case 3:
      if (!key->values().empty()) key->removeValue(key->values()[pick(key->values().size())].name);
      break;
    default: break;
    }
    key->setValue(pick(8) ? name(true) : std::u16string(), type(), data());
    key->setModified(time());
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

private:
  std::uint64_t time() {
    if (pick(10) == 0) return std::uint64_t(rng_()) << 32 | rng_(); // anything, 2^63 and above included
    return 0x1d000000000000ull + (std::uint64_t(rng_()) << 16);
  }
  char16_t unit(bool anything) {
    static const std::u16string common = u"abcXYZ019 _-.\\\"[]/\t\n\x01\x7f\u00e9\u20ac\xd83d\xde00";
    if (anything && pick(4) == 0) return char16_t(pick(0x10000));
    return common[pick(common.size())];
  }
  std::u16string name(bool anything) {
    std::u16string out;
    const std::size_t n = 1 + pick(10);
    for (std::size_t i = 0; i < n; ++i) {
      char16_t c = unit(anything);
      if (!anything && (c == u'\\' || c == 0)) c = u'k'; // a key name holds no backslash
      if (c == 0) c = u'n';
      out.push_back(c);
    }
    return out;
  }
  std::uint32_t type() {
    static const std::uint32_t types[] = {0, 1, 2, 3, 4, 5, 6, 7, 11, 0xffff0011, 0x80000000};
    return types[pick(std::size(types))];
  }
  Bytes data() {
    Bytes out(pick(4) == 0 ? pick(300) : pick(12));
    for (auto& b : out) b = std::uint8_t(pick(3) == 0 ? 0 : rng_());
    if (pick(2) && out.size() % 2 == 0) out.insert(out.end(), {0, 0}); // often a string with its NUL
    return out;
  }

  std::mt19937 rng_;
};

} // namespace

TEST(HiveStrictParseTest, RandomHivesAndEditsSaveAsTheyParse) {
  RandomHives random(20261130);
  for (int round = 0; round < 200; ++round) {
    Hive hive = random.make();
    std::string text = saveHive(hive);
    ParseResult parsed = parseHive(text);
    ASSERT_EQ(issuesText(parsed), "") << text;
    auto issue = checkRoundTrip(parsed.hive, text);
    ASSERT_FALSE(issue) << issue->line << ": " << issue->message << "\n" << text;
    // Edits to the parsed tree are saved through its caches (only changed keys formatted again): still exactly
    // what Wine writes, as a fresh parse of the result shows.
    for (int edit = 0; edit < 5; ++edit) {
      Hive& tree = parsed.hive;
      random.edit(tree);
      text = saveHive(tree);
      const ParseResult again = parseHive(text);
      ASSERT_EQ(issuesText(again), "") << text;
      issue = checkRoundTrip(again.hive, text);
      ASSERT_FALSE(issue) << issue->line << ": " << issue->message << "\n" << text;
    }
  }
}

TEST(HiveStrictParseTest, RandomDamageIsReportedOrSavesBackIdentical) {
  RandomHives random(4242);
  std::mt19937 rng(7);
  int reported = 0, identical = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = saveHive(random.make());
    // A few bytes deleted, replaced or inserted, or the file cut short.
    const int edits = 1 + int(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 4) {
      case 0: text.erase(at, 1 + rng() % 3); break;
      case 1: text[at] = "\\\"[]=,:x0\n \r@#;"[rng() % 15]; break;
      case 2: text.insert(at, 1, char(rng() % 256)); break;
      case 3: text.resize(at); break;
      }
    }
    const ParseResult parsed = parseHive(text);
    const bool clean = parsed.issues.empty() && !checkRoundTrip(parsed.hive, text);
    if (clean) {
      ++identical;
      EXPECT_EQ(saveHive(parsed.hive), text);
    } else {
      ++reported;
    }
  }
  // Both outcomes occur, so the property is exercised both ways.
  EXPECT_GT(reported, 0);
  EXPECT_GT(identical, 0);
}
