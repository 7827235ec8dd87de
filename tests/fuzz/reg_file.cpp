// libFuzzer target: arbitrary bytes parsed as a .reg text (registry/regfile/RegFileParser.h). importRegFile hands
// the parser whatever a caller sends, so every input must give either edits or a RegistryError(InvalidArgument)
// naming a line and a column — never a crash, a read out of bounds or a hang. Of the edits it gives, each key must be
// a valid path and each value name a valid one; and every value the writer can express exactly must come back from
// its own line (writer -> parser) as the same type and bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "registry/Error.h"
#include "registry/KeyPath.h"
#include "registry/Value.h"
#include "registry/regfile/RegFileParser.h"
#include "registry/regfile/RegFileWriter.h"

using namespace regbridge;

namespace {

// Invariants are checked with abort() rather than assert(): they must hold in every build type.
void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "reg_file: %s\n", what);
  std::abort();
}

// Whether appendValueLine writes these bytes so that they read back the same: everything but a REG_SZ that is not
// one string and its NUL (the writer stops at the first NUL and drops the last code unit, as Wine's export does).
bool writtenExactly(const RegEdit& edit) {
  if (edit.type != REG_SZ) return true;
  const std::vector<std::uint8_t>& d = edit.data;
  if (d.size() < 2 || d.size() % 2 != 0 || d[d.size() - 1] != 0 || d[d.size() - 2] != 0) return false;
  for (std::size_t i = 0; i + 2 < d.size(); i += 2)
    if (d[i] == 0 && d[i + 1] == 0) return false;
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy in its own allocation, so that ASan sees a read past the end of the input.
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<RegEdit> edits;
  try {
    edits = parseRegFile(text);
  } catch (const RegistryError& error) {
    require(error.code() == ErrorCode::InvalidArgument, "an error other than ERR_INVALID_ARGUMENT");
    require(error.message().starts_with("invalid .reg text: line "), "an error that names no line");
    return 0;
  }
  for (const RegEdit& edit : edits) {
    const KeyPath path = KeyPath::parse(edit.key); // a RegistryError here escapes: a crash
    require(edit.kind != RegEditKind::DeleteKey || !path.parts.empty(), "a [-KEY] edit of a hive root");
    if (edit.kind != RegEditKind::SetValue && edit.kind != RegEditKind::DeleteValue) continue;
    validateValueName(edit.name, edit.key); // likewise
    if (edit.kind != RegEditKind::SetValue || !writtenExactly(edit)) continue;

    std::string again("Windows Registry Editor Version 5.00\r\n[HKCU\\F]\r\n");
    appendValueLine(again, edit.name, edit.type, edit.data);
    const std::vector<RegEdit> reread = parseRegFile(again); // likewise
    require(reread.size() == 2, "a written value line that reads as something else");
    require(reread[1].name == edit.name, "a value name changed by writing and reading it");
    require(reread[1].type == edit.type, "a type changed by writing and reading it");
    require(reread[1].data == edit.data, "data changed by writing and reading it");
  }
  return 0;
}
