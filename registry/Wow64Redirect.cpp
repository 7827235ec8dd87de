#include "registry/Wow64Redirect.h"

#include <span>

namespace regbridge {

namespace {

constexpr std::string_view kWow6432Node = "Wow6432Node";

// Keys under HKLM\Software that both views share (Microsoft's list for Windows 7 and later, paths below
// HKLM\Software). Wine's wine.inf makes the same keys links from Software\Wow6432Node to the 64-bit ones; here the
// 32-bit path simply is the 64-bit one, so a prefix without those links (a fresh one) behaves alike. Two of Wine's
// own spellings are kept too ("Registered Applications", CurrentVersion\Time Zones), so that its links are agreed
// with; Software\Classes is shared as well, with the class keys below.
constexpr std::string_view kSharedSoftwareKeys[] = {
    "Clients",
    "Microsoft\\COM3",
    "Microsoft\\Cryptography\\Calais\\Current",
    "Microsoft\\Cryptography\\Calais\\Readers",
    "Microsoft\\Cryptography\\Services",
    "Microsoft\\CTF\\SystemShared",
    "Microsoft\\CTF\\TIP",
    "Microsoft\\DFS",
    "Microsoft\\Driver Signing",
    "Microsoft\\EnterpriseCertificates",
    "Microsoft\\EventSystem",
    "Microsoft\\MSMQ",
    "Microsoft\\Non-Driver Signing",
    "Microsoft\\Notepad\\DefaultFonts",
    "Microsoft\\OLE",
    "Microsoft\\RAS",
    "Microsoft\\RPC",
    "Microsoft\\Shared Tools\\MSInfo",
    "Microsoft\\SystemCertificates",
    "Microsoft\\TermServLicensing",
    "Microsoft\\Transaction Server",
    "Microsoft\\Windows\\CurrentVersion\\App Paths",
    "Microsoft\\Windows\\CurrentVersion\\Control Panel\\Cursors\\Schemes",
    "Microsoft\\Windows\\CurrentVersion\\Explorer\\AutoplayHandlers",
    "Microsoft\\Windows\\CurrentVersion\\Explorer\\DriveIcons",
    "Microsoft\\Windows\\CurrentVersion\\Explorer\\KindMap",
    "Microsoft\\Windows\\CurrentVersion\\Group Policy",
    "Microsoft\\Windows\\CurrentVersion\\Policies",
    "Microsoft\\Windows\\CurrentVersion\\PreviewHandlers",
    "Microsoft\\Windows\\CurrentVersion\\Setup",
    "Microsoft\\Windows\\CurrentVersion\\Telephony\\Locations",
    "Microsoft\\Windows\\CurrentVersion\\Time Zones",
    "Microsoft\\Windows NT\\CurrentVersion\\Console",
    "Microsoft\\Windows NT\\CurrentVersion\\FontDpi",
    "Microsoft\\Windows NT\\CurrentVersion\\FontLink",
    "Microsoft\\Windows NT\\CurrentVersion\\FontMapper",
    "Microsoft\\Windows NT\\CurrentVersion\\Fonts",
    "Microsoft\\Windows NT\\CurrentVersion\\FontSubstitutes",
    "Microsoft\\Windows NT\\CurrentVersion\\Gre_Initialize",
    "Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options",
    "Microsoft\\Windows NT\\CurrentVersion\\LanguagePack",
    "Microsoft\\Windows NT\\CurrentVersion\\NetworkCards",
    "Microsoft\\Windows NT\\CurrentVersion\\Perflib",
    "Microsoft\\Windows NT\\CurrentVersion\\Ports",
    "Microsoft\\Windows NT\\CurrentVersion\\Print",
    "Microsoft\\Windows NT\\CurrentVersion\\ProfileList",
    "Microsoft\\Windows NT\\CurrentVersion\\Time Zones",
    "Policies",
    "RegisteredApplications",
    "Registered Applications",
    "Classes",
};

// The class keys of Software\Classes (HKCR, and the user's own HKCU\Software\Classes) that each view has its own
// copy of, under Software\Classes\Wow6432Node; every other class key is shared.
constexpr std::string_view kRedirectedClassKeys[] = {
    "AppID", "CLSID", "DirectShow", "Interface", "Media Type", "MediaFoundation",
};

// Names compared as Windows compares them; every name listed above is ASCII, and a non-ASCII byte never equals an
// ASCII one, so ASCII case folding is exact here.
bool sameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Whether `parts` from `at` on begin with the backslash-separated names of `listed`; `matched` gets how many
// parts that is.
bool startsWith(std::span<const std::string_view> parts, std::size_t at, std::string_view listed,
                std::size_t& matched) {
  matched = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t end = listed.find('\\', start);
    std::string_view name = listed.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (at + matched >= parts.size() || !sameName(parts[at + matched], name)) return false;
    ++matched;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

bool isSharedSoftwareKey(std::span<const std::string_view> parts, std::size_t at) {
  std::size_t matched;
  for (std::string_view listed : kSharedSoftwareKeys)
    if (startsWith(parts, at, listed, matched)) return true;
  return false;
}

// The index right after `Software\Classes` for the trees whose class keys are redirected, or npos.
std::size_t classesAt(const KeyPath& path) {
  const PathParts& p = path.parts;
  switch (path.hive) {
  case Hive::ClassesRoot: return 0;
  case Hive::LocalMachine:
    return p.size() >= 2 && sameName(p[0], "Software") && sameName(p[1], "Classes") ? 2 : std::string_view::npos;
  case Hive::CurrentUser:
    return p.size() >= 2 && sameName(p[0], "Software") && sameName(p[1], "Classes") ? 2 : std::string_view::npos;
  case Hive::Users:
    return p.size() >= 3 && sameName(p[1], "Software") && sameName(p[2], "Classes") ? 3 : std::string_view::npos;
  case Hive::CurrentConfig: return std::string_view::npos;
  }
  return std::string_view::npos;
}

// Where Wow6432Node goes into `path`, or npos when the path is the same in both views.
std::size_t insertionPoint(const KeyPath& path) {
  const PathParts& p = path.parts;
  if (std::size_t classes = classesAt(path); classes != std::string_view::npos) {
    if (p.size() <= classes) return std::string_view::npos; // Software\Classes itself is shared
    for (std::string_view name : kRedirectedClassKeys)
      if (sameName(p[classes], name)) return classes;
    return std::string_view::npos;
  }
  if (path.hive != Hive::LocalMachine || p.empty() || !sameName(p[0], "Software")) return std::string_view::npos;
  if (p.size() == 1) return 1; // HKLM\Software itself: the 32-bit one is Wow6432Node
  if (sameName(p[1], kWow6432Node) || isSharedSoftwareKey(p, 1)) return std::string_view::npos;
  return 1;
}

} // namespace

std::optional<KeyPath> wow64Redirect(const KeyPath& path) {
  if (path.view != RegistryView::Bits32) return std::nullopt;
  const std::size_t at = insertionPoint(path);
  if (at == std::string_view::npos) return std::nullopt;
  KeyPath out{path.hive, {}, path.original, path.view};
  for (std::size_t i = 0; i < path.parts.size(); ++i) {
    if (i == at) out.parts.push_back(kWow6432Node);
    out.parts.push_back(path.parts[i]);
  }
  if (at == path.parts.size()) out.parts.push_back(kWow6432Node);
  return out;
}

bool addSharedSubkeys(const KeyPath& asked, std::vector<std::string>& names,
                      const std::function<bool(const KeyPath&)>& exists) {
  const PathParts& p = asked.parts;
  // Only a redirected key under HKLM\Software has shared keys below it that its 32-bit copy lacks.
  if (asked.view != RegistryView::Bits32 || asked.hive != Hive::LocalMachine || p.empty() ||
      !sameName(p[0], "Software") || !wow64Redirect(asked))
    return false;
  bool added = false;
  for (std::string_view listed : kSharedSoftwareKeys) {
    // A listed key one level below `asked`: its parent parts are all of `asked`'s after Software.
    std::size_t split = listed.rfind('\\');
    std::string_view parent = split == std::string_view::npos ? std::string_view{} : listed.substr(0, split);
    std::string_view child = split == std::string_view::npos ? listed : listed.substr(split + 1);
    std::size_t matched = 0;
    if (parent.empty() ? p.size() != 1 : !(startsWith(p, 1, parent, matched) && 1 + matched == p.size())) continue;
    bool present = false;
    for (const std::string& name : names) present = present || sameName(name, child);
    if (present) continue;
    KeyPath shared{asked.hive, p, asked.original, RegistryView::Bits64};
    shared.parts.push_back(child);
    if (!exists(shared)) continue;
    names.emplace_back(child);
    added = true;
  }
  return added;
}

} // namespace regbridge
