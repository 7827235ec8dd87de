// What each params or result field means, by its name, for the generated TypeScript types (tools/ts-spec/): the same
// name means the same thing in every operation, so it is explained once. A field the table uses but this list lacks
// stops the generator with its name.
#pragma once

#include <string_view>
#include <utility>

namespace regbridge {

inline constexpr std::pair<std::string_view, std::string_view> kFieldDocs[] = {
    {"key", "The key's path, starting with its hive: `HKCU\\Software\\Acme` or `HKEY_CURRENT_USER\\Software\\Acme`."},
    {"name", "The value's name; '' is the key's default value."},
    {"view", "The registry view to open the key in (32 or 64); left out: the registry's default."},
    {"raw", "Return the data as the exact stored bytes (a Buffer), whatever the type."},
    {"openLink", "Open a symbolic link key itself rather than the key it points to."},
    {"recursive", "Delete the subkeys too; without it a key with subkeys fails with ERR_KEY_HAS_SUBKEYS."},
    {"value", "The value to write: its type and its data."},
    {"text", "The whole text of a .reg file, decoded already (from UTF-16LE with a byte order mark, or UTF-8)."},
    {"expected", "The value as it was last read (raw or typed), or null: the value must not exist yet."},
    {"subkeyCount", "Number of direct subkeys."},
    {"valueCount", "Number of values."},
    {"lastWriteTime", "When the key last changed."},
    {"className", "The key's class, when it has one."},
    {"linkTarget", "For a link key opened with openLink: the path it points to."},
    {"type", "The value's type."},
    {"data", "The value's data."},
};

// The documentation of a field, or empty when the list has none.
constexpr std::string_view fieldDoc(std::string_view name) {
  for (const auto& [field, doc] : kFieldDocs)
    if (field == name) return doc;
  return {};
}

} // namespace regbridge
