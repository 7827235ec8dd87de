#include "registry/Value.h"

#include <array>

namespace regbridge {

namespace {
constexpr std::array<std::string_view, 12> kTypeNames{
    "REG_NONE",
    "REG_SZ",
    "REG_EXPAND_SZ",
    "REG_BINARY",
    "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN",
    "REG_LINK",
    "REG_MULTI_SZ",
    "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTOR",
    "REG_RESOURCE_REQUIREMENTS_LIST",
    "REG_QWORD",
};
} // namespace

std::string_view valueTypeName(std::uint32_t code) { return code < kTypeNames.size() ? kTypeNames[code] : ""; }

std::optional<std::uint32_t> valueTypeFromName(std::string_view name) {
  for (std::uint32_t code = 0; code < kTypeNames.size(); ++code)
    if (kTypeNames[code] == name) return code;
  return std::nullopt;
}

} // namespace regbridge
