#include "registry/hive/PrefixLayout.h"

#include "registry/Unicode.h"
#include "registry/hive/HiveTree.h"

namespace regbridge::hive {

namespace {

constexpr std::array<std::u16string_view, 0> kNoBase{};
constexpr std::array<std::u16string_view, 2> kClassesBase{u"Software", u"Classes"};
// CurrentControlSet is a link in some prefixes; the resolver follows it like any other link.
constexpr std::array<std::u16string_view, 4> kCurrentConfigBase{u"System", u"CurrentControlSet", u"Hardware Profiles",
                                                                u"Current"};

} // namespace

std::string_view hiveFileName(HiveFileId file) {
  switch (file) {
  case HiveFileId::System: return "system.reg";
  case HiveFileId::User: return "user.reg";
  case HiveFileId::UserDefault: return "userdef.reg";
  }
  return "";
}

std::string relativeToFor(HiveFileId file, std::u16string_view userSid) {
  switch (file) {
  case HiveFileId::System: return "REGISTRY\\Machine";
  case HiveFileId::User: return "REGISTRY\\User\\" + utf16ToUtf8(userSid);
  case HiveFileId::UserDefault: return "REGISTRY\\User\\.Default";
  }
  return "";
}

std::u16string sidFromRelativeTo(std::string_view relativeTo) {
  constexpr std::string_view prefix = "REGISTRY\\User\\";
  if (relativeTo.size() > prefix.size()) {
    auto head = utf8ToUtf16(relativeTo.substr(0, prefix.size()));
    auto sid = utf8ToUtf16(relativeTo.substr(prefix.size()));
    if (head && sid && equalsNoCase(*head, u"REGISTRY\\User\\") && sid->find(u'\\') == std::u16string::npos)
      return *sid;
  }
  return std::u16string(kDefaultUserSid);
}

Mount mountOf(regbridge::Hive hive) {
  switch (hive) {
  case regbridge::Hive::LocalMachine: return {false, HiveFileId::System, kNoBase};
  case regbridge::Hive::CurrentUser: return {false, HiveFileId::User, kNoBase};
  case regbridge::Hive::ClassesRoot: return {false, HiveFileId::System, kClassesBase};
  case regbridge::Hive::CurrentConfig: return {false, HiveFileId::System, kCurrentConfigBase};
  case regbridge::Hive::Users: return {true, HiveFileId::System, kNoBase};
  }
  return {};
}

std::optional<HiveFileId> usersChild(std::u16string_view name, std::u16string_view userSid) {
  if (equalsNoCase(name, u".Default")) return HiveFileId::UserDefault;
  if (equalsNoCase(name, userSid)) return HiveFileId::User;
  return std::nullopt;
}

std::vector<std::u16string> usersChildren(std::u16string_view userSid) {
  std::vector<std::u16string> names{u".Default", std::u16string(userSid)};
  if (compareNames(names[0], names[1]) > 0) std::swap(names[0], names[1]);
  return names;
}

void splitNtPath(std::u16string_view path, std::vector<std::u16string_view>& tokens) {
  tokens.clear();
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == u'\\') ++i;
    std::size_t start = i;
    while (i < path.size() && path[i] != u'\\') ++i;
    if (i > start) tokens.push_back(path.substr(start, i - start));
  }
}

bool equalsNoCase(std::u16string_view a, std::u16string_view b) { return compareNames(a, b) == 0; }

} // namespace regbridge::hive
