// Fuzz target: KeyPath::parse on arbitrary bytes. Every call parses a caller's key path, so whatever a caller
// writes must give either a valid path or a RegistryError(InvalidPath) — never a crash, a read out of bounds, or a
// path that breaks the limits the rest of the core relies on (no empty part, at most 255 UTF-16 units per part, at
// most 512 levels). A parsed path printed with toString() must parse back to the same hive and parts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "registry/Error.h"
#include "registry/KeyPath.h"

namespace {

// Invariants are checked with abort() rather than assert(): they must hold in every build type.
void require(bool condition) {
  if (!condition) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy in its own allocation, so that ASan sees a read past the end of the input.
  const std::string text(reinterpret_cast<const char*>(data), size);
  regbridge::KeyPath path;
  try {
    path = regbridge::KeyPath::parse(text);
  } catch (const regbridge::RegistryError& error) {
    require(error.code() == regbridge::ErrorCode::InvalidPath);
    return 0;
  }
  require(path.original == text);
  require(path.parts.size() <= regbridge::kMaxKeyDepth);
  for (std::string_view part : path.parts) {
    require(!part.empty());
    require(part.find('\\') == std::string_view::npos);
    require(regbridge::utf16Length(part) <= regbridge::kMaxKeyNameLength);
  }

  const std::string printed = path.toString();
  const regbridge::KeyPath again = regbridge::KeyPath::parse(printed); // a RegistryError here escapes: a crash
  require(again.hive == path.hive);
  require(again.parts.size() == path.parts.size());
  for (std::size_t i = 0; i < path.parts.size(); ++i) require(again.parts[i] == path.parts[i]);
  return 0;
}
