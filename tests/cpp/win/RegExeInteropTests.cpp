// The Win32 backend and Windows' own `reg.exe` see one registry: what one writes, the other reads.
#include "tests/cpp/win/Win32TestSupport.h"

namespace regbridge::test {
namespace {

class RegExeInteropTest : public ScratchKeyTest {};

TEST_F(RegExeInteropTest, RegQueryReadsWhatTheBackendWrote) {
  WriteValue::run(backend(), {key("sub"), "greeting", sz("hello from regbridge")});
  WriteValue::run(backend(), {key("sub"), "number", dword(0x2a)});
  auto result = runProcess("reg.exe query \"" + regExeKey("sub") + "\"");
  ASSERT_EQ(result.exitCode, 0u) << result.output;
  EXPECT_NE(result.output.find("greeting"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("REG_SZ"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("hello from regbridge"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("REG_DWORD"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("0x2a"), std::string::npos) << result.output;
}

TEST_F(RegExeInteropTest, TheBackendReadsWhatRegAddWrote) {
  auto added = runProcess("reg.exe add \"" + regExeKey("made\\by\\reg") + "\" /v answer /t REG_DWORD /d 42 /f");
  ASSERT_EQ(added.exitCode, 0u) << added.output;
  added = runProcess("reg.exe add \"" + regExeKey("made\\by\\reg") + "\" /v text /d \"from reg add\" /f");
  ASSERT_EQ(added.exitCode, 0u) << added.output;
  EXPECT_EQ(ReadValue::run(backend(), {key("made\\by\\reg"), "answer"}), dword(42));
  EXPECT_EQ(ReadStringValue::run(backend(), {key("made\\by\\reg"), "text"}), "from reg add");
  EXPECT_EQ(ListSubkeys::run(backend(), {key("made")}), std::vector<std::string>{"by"});
  auto deleted = runProcess("reg.exe delete \"" + regExeKey("made\\by\\reg") + "\" /v answer /f");
  ASSERT_EQ(deleted.exitCode, 0u) << deleted.output;
  EXPECT_EQ(errorCodeOf([&] {
              ReadValue::run(backend(), {key("made\\by\\reg"), "answer"});
            }),
            ErrorCode::ValueNotFound);
}

} // namespace
} // namespace regbridge::test
