// Which file of a Wine prefix serves which part of the registry, and how Wine's NT paths (`\Registry\Machine\...`,
// the targets of symbolic links) map onto those files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registry/KeyPath.h"

namespace regbridge::hive {

enum class HiveFileId : std::uint8_t { System = 0, User = 1, UserDefault = 2 };
inline constexpr std::size_t kHiveFileCount = 3;
inline constexpr std::array<HiveFileId, kHiveFileCount> kAllHiveFiles{HiveFileId::System, HiveFileId::User,
                                                                      HiveFileId::UserDefault};

constexpr std::size_t indexOf(HiveFileId file) { return static_cast<std::size_t>(file); }

// "system.reg", "user.reg", "userdef.reg".
std::string_view hiveFileName(HiveFileId file);

// The SID Wine gives the prefix's one user; user.reg's header names it (`REGISTRY\\User\\S-1-5-21-0-0-0-1000`).
inline constexpr std::u16string_view kDefaultUserSid = u"S-1-5-21-0-0-0-1000";

// The unescaped `;; All keys relative to` root of a new file, e.g. `REGISTRY\Machine`.
std::string relativeToFor(HiveFileId file, std::u16string_view userSid);

// The SID at the end of user.reg's `REGISTRY\User\<SID>`; kDefaultUserSid when the header names none.
std::u16string sidFromRelativeTo(std::string_view relativeTo);

// Where a registry hive starts: a file and the keys inside it above the caller's path (HKCR is
// `Software\Classes` of system.reg). HKEY_USERS is no file: its children are the user hives.
struct Mount {
  bool usersRoot = false;
  HiveFileId file = HiveFileId::System;
  std::span<const std::u16string_view> base;
};
Mount mountOf(regbridge::Hive hive); // qualified: hive::Hive is the parsed file

// The child of HKEY_USERS of that name (case-insensitive): `.Default` or the user's SID.
std::optional<HiveFileId> usersChild(std::u16string_view name, std::u16string_view userSid);
// What HKEY_USERS lists, in Wine's order.
std::vector<std::u16string> usersChildren(std::u16string_view userSid);

// An NT registry path resolved to a file and the key names inside it: `\Registry\Machine\Software\X` ->
// system.reg, {Software, X}. Prefixes compare case-insensitively, empty components are skipped (as Wine's
// get_path_token does). nullopt: not under a hive this store serves. `userSid` is asked for only when the path is
// under `\Registry\User\` and names no `.Default`. The names are views into `path`, written to `parts` (whose
// capacity is reused: resolving a link allocates nothing once warm).
template <class SidFn>
std::optional<HiveFileId> parseNtPath(std::u16string_view path, SidFn&& userSid,
                                      std::vector<std::u16string_view>& parts);

// Implementation detail of parseNtPath: the non-empty components of `path`, into `tokens`.
void splitNtPath(std::u16string_view path, std::vector<std::u16string_view>& tokens);
bool equalsNoCase(std::u16string_view a, std::u16string_view b);

template <class SidFn>
std::optional<HiveFileId> parseNtPath(std::u16string_view path, SidFn&& userSid,
                                      std::vector<std::u16string_view>& parts) {
  splitNtPath(path, parts);
  // Wine's follow_symlink insists on the `\Registry\` prefix; anything else points nowhere.
  if (path.empty() || path.front() != u'\\' || parts.empty() || !equalsNoCase(parts[0], u"Registry"))
    return std::nullopt;
  std::size_t next;
  HiveFileId file;
  if (parts.size() >= 2 && equalsNoCase(parts[1], u"Machine")) {
    file = HiveFileId::System;
    next = 2;
  } else if (parts.size() >= 3 && equalsNoCase(parts[1], u"User")) {
    if (equalsNoCase(parts[2], u".Default")) file = HiveFileId::UserDefault;
    else if (equalsNoCase(parts[2], userSid())) file = HiveFileId::User;
    else return std::nullopt;
    next = 3;
  } else {
    return std::nullopt;
  }
  parts.erase(parts.begin(), parts.begin() + std::ptrdiff_t(next));
  return file;
}

} // namespace regbridge::hive
