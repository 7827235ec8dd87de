// libFuzzer target: arbitrary bytes parsed as a Wine hive file. The properties the store relies on: whatever the
// input, a save that takes keys' lines from the file (after checkRoundTrip adopted it) gives what formatting every
// key gives; a file that parses without issues (the parser's, and checkRoundTrip's) is saved back byte for byte; a
// file with issues crashes nothing (ASan/UBSan watch), nor does saving what parsed of it and parsing that again.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. tests/fuzz/hive_parser.cpp \
//     registry/*.cpp registry/hive/*.cpp registry/operations/*.cpp -o /tmp/hive_fuzz
//   /tmp/hive_fuzz -max_total_time=120 tests/fuzz/corpus/hive_parser
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "registry/hive/HiveFormat.h"

using namespace regbridge::hive;

namespace {

[[noreturn]] void fail(const char* what, std::string_view text, const std::string& saved) {
  std::fprintf(stderr, "hive_parser: %s\n--- input (%zu bytes)\n%.*s\n--- saved (%zu bytes)\n%s\n", what, text.size(),
               int(text.size()), text.data(), saved.size(), saved.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParseResult parsed = parseHive(text);
  // checkRoundTrip adopts the text: the keys the parser found as the writer writes them are saved from it.
  const auto mismatch = checkRoundTrip(parsed.hive, text);
  const std::string saved = saveHive(parsed.hive);
  // The same tree saved with every key formatted (a tree parsed again may differ: a key line without its seconds
  // takes the time of the parse): what the save took from the file must be the same.
  forgetSavedText(parsed.hive);
  const std::string formatted = saveHive(parsed.hive);
  if (saved != formatted) fail("lines taken from the file differ from the writer's", text, saved);
  if (parsed.issues.empty() && !mismatch) {
    if (formatted != text) fail("fresh save differs", text, formatted);
    return 0;
  }
  if (mismatch && mismatch->line == 0) fail("issue without a line", text, {});
  for (const ParseIssue& issue : parsed.issues)
    if (issue.line == 0) fail("issue without a line", text, {});
  // Whatever parsed can be written and read again without a crash. (Not necessarily the same text: the preamble
  // is kept verbatim, bad lines and all.)
  (void)parseHive(formatted);
  return 0;
}
