// The Win32 backend at Windows' limits and past them: long and deep paths, NULs in names, long value names, a
// 16 MiB string, values larger than any first guess of a buffer.
#include "tests/cpp/win/Win32TestSupport.h"

namespace regbridge::test {
namespace {

class Win32LimitsTest : public ScratchKeyTest {};

TEST_F(Win32LimitsTest, SixteenMebibyteStringRoundTrips) {
  // Windows allows values far over 1 MiB (only its documentation advises against them): no buffer cap may cut it.
  std::string text(16 * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < text.size(); i += 4096) text[i] = static_cast<char>('a' + (i / 4096) % 26);
  WriteValue::run(backend(), {key(), "big", sz(text)});
  EXPECT_EQ(ReadStringValue::run(backend(), {key(), "big"}), text);
  RegValue raw = ReadValue::run(backend(), {key(), "big", true});
  EXPECT_EQ(std::get<Bytes>(raw.data).bytes.size(), 2 * text.size() + 2);
  auto listed = ListValues::run(backend(), {key()});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(std::get<std::string>(listed[0].data), text);
}

TEST_F(Win32LimitsTest, ValuesLargerThanTheFirstBufferAreListedWhole) {
  // listValues sizes its buffers from RegQueryInfoKeyW; readValue starts at 256 bytes and grows.
  std::vector<std::uint8_t> big(300000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  WriteValue::run(backend(), {key(), "small", dword(1)});
  WriteValue::run(backend(), {key(), "big", {{REG_BINARY}, Bytes{big}}});
  EXPECT_EQ(std::get<Bytes>(ReadValue::run(backend(), {key(), "big"}).data).bytes, big);
  for (const auto& v : ListValues::run(backend(), {key()})) {
    if (v.name == "big") {
      EXPECT_EQ(std::get<Bytes>(v.data).bytes, big);
    }
  }
}

TEST_F(Win32LimitsTest, ValueNameWithNulIsRefusedAndNothingIsWritten) {
  const std::string name("a\0b", 3);
  auto error = errorOf([&] { WriteValue::run(backend(), {key(), name, dword(1)}); });
  EXPECT_EQ(error.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(std::string(error.what()).find("NUL"), std::string::npos) << error.what();
  EXPECT_NE(std::string(error.what()).find("a\\0b"), std::string::npos) << error.what();
  // Cutting the name at the NUL would have written (or read, or deleted) the value "a".
  EXPECT_TRUE(ListValues::run(backend(), {key()}).empty());
  WriteValue::run(backend(), {key(), "a", dword(2)});
  EXPECT_EQ(errorCodeOf([&] { ReadValue::run(backend(), {key(), name}); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(errorCodeOf([&] { DeleteValue::run(backend(), {key(), name}); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(errorCodeOf([&] {
              CompareAndSetValue::run(backend(), {key(), name, std::nullopt, dword(1)});
            }),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(ReadValue::run(backend(), {key(), "a"}), dword(2));
}

TEST_F(Win32LimitsTest, KeyPathWithNulIsRefused) {
  const std::string path = key() + std::string("\\a\0b", 4);
  EXPECT_EQ(errorCodeOf([&] { WriteValue::run(backend(), {path, "v", dword(1)}); }), ErrorCode::InvalidPath);
  EXPECT_TRUE(ListSubkeys::run(backend(), {key()}).empty());
}

TEST_F(Win32LimitsTest, KeyNamesUpTo255CharactersAndNoMore) {
  const std::string longest(255, 'k');
  WriteValue::run(backend(), {key(longest), "v", dword(1)});
  EXPECT_EQ(ListSubkeys::run(backend(), {key()}), std::vector<std::string>{longest});
  auto error = errorOf([&] { WriteValue::run(backend(), {key(longest + "k"), "v", dword(1)}); });
  EXPECT_EQ(error.code(), ErrorCode::InvalidPath);
  EXPECT_NE(std::string(error.what()).find("256 characters long; the limit is 255"), std::string::npos);
}

TEST_F(Win32LimitsTest, ValueNamesUpTo16383CharactersAndNoMore) {
  const std::string longest(16383, 'n');
  WriteValue::run(backend(), {key(), longest, dword(1)});
  EXPECT_EQ(ReadValue::run(backend(), {key(), longest}), dword(1));
  EXPECT_EQ(ListValues::run(backend(), {key()}).at(0).name, longest);
  EXPECT_EQ(errorCodeOf([&] {
              WriteValue::run(backend(), {key(), longest + "n", dword(1)});
            }),
            ErrorCode::InvalidArgument);
}

TEST_F(Win32LimitsTest, PathsDeeperThanOneCallCanCreateAreServed) {
  // Windows creates at most 32 levels per call, and one call's path is at most 32,767 code units: 100 names of
  // 200 characters (20,100 units) go in steps.
  std::string sub;
  for (int i = 0; i < 100; ++i) {
    if (i) sub += '\\';
    sub.append(199, 'd').push_back(static_cast<char>('a' + i % 26));
  }
  WriteValue::run(backend(), {key(sub), "deep", sz("bottom")});
  EXPECT_EQ(ReadStringValue::run(backend(), {key(sub), "deep"}), "bottom");
  EXPECT_EQ(GetKeyInfo::run(backend(), {key(sub)}).valueCount, 1u);
  EXPECT_TRUE(KeyExists::run(backend(), {key(sub)}));
  auto firstLevel = ListSubkeys::run(backend(), {key()});
  ASSERT_EQ(firstLevel.size(), 1u);
  EXPECT_EQ(firstLevel[0].size(), 200u);
  auto error = errorOf([&] { DeleteKey::run(backend(), {key(firstLevel[0]), false}); });
  EXPECT_EQ(error.code(), ErrorCode::KeyHasSubkeys);
  DeleteKey::run(backend(), {key(firstLevel[0]), true});
  EXPECT_TRUE(ListSubkeys::run(backend(), {key()}).empty());
}

TEST_F(Win32LimitsTest, TheDeepestLongestPathKeyPathAllowsIsServed) {
  // 512 levels in all (the scratch key's 3 and 509 more) of 255 characters each: 130,000 code units, four times what
  // one Win32 call can take.
  const std::size_t depth = kMaxKeyDepth - KeyPath::parse(key()).parts.size();
  std::string sub;
  for (std::size_t i = 0; i < depth; ++i) {
    if (i) sub += '\\';
    sub.append(254, 'n').push_back(static_cast<char>('a' + i % 26));
  }
  WriteValue::run(backend(), {key(sub), "v", dword(512)});
  EXPECT_EQ(ReadValue::run(backend(), {key(sub), "v"}), dword(512));
  EXPECT_EQ(KeyPath::parse(key(sub)).parts.size(), kMaxKeyDepth);
  EXPECT_EQ(errorCodeOf([&] { CreateKey::run(backend(), {key(sub + "\\one-more")}); }), ErrorCode::InvalidPath);
  DeleteKey::run(backend(), {key(sub.substr(0, 255)), true});
  EXPECT_TRUE(ListSubkeys::run(backend(), {key()}).empty());
}

TEST_F(Win32LimitsTest, PathsPastWindowsDepthAreRefusedBeforeTheRegistry) {
  std::string sub;
  for (int i = 0; i < 513; ++i) sub += i ? "\\k" : "k";
  auto error = errorOf([&] { WriteValue::run(backend(), {key(sub), "v", dword(1)}); });
  EXPECT_EQ(error.code(), ErrorCode::InvalidPath);
  EXPECT_NE(std::string(error.what()).find("more than 512 levels deep"), std::string::npos) << error.what();
  EXPECT_TRUE(ListSubkeys::run(backend(), {key()}).empty());
}

} // namespace
} // namespace regbridge::test
