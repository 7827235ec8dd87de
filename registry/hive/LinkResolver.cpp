#include "registry/hive/LinkResolver.h"

#include <array>
#include <vector>

#include "registry/Unicode.h"

namespace regbridge::hive {

namespace {

constexpr std::u16string_view kSymbolicLinkValue = u"SymbolicLinkValue";

struct Budget {
  int follows = 0;
};

// A link's target and its names, per nesting depth and per thread, reused from one resolution to the next.
struct LinkScratch {
  std::u16string target;
  std::vector<std::u16string_view> parts;
};
LinkScratch& linkScratch(int depth) {
  thread_local std::array<LinkScratch, kMaxLinkDepth + 1> scratch;
  return scratch[std::size_t(depth)];
}

// The NT path a link key names, as stored (trailing NULs dropped), into `out`; false without a SymbolicLinkValue.
bool linkTargetInto(const HiveKey& key, std::u16string& out) {
  const HiveValue* value = key.findValue(kSymbolicLinkValue);
  if (!value) return false;
  out.resize(value->data.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = char16_t(value->data[2 * i] | value->data[2 * i + 1] << 8);
  while (!out.empty() && out.back() == u'\0') out.pop_back();
  return true;
}

Walk walkFrom(const HiveRoots& roots, HiveFileId file, std::span<const std::u16string_view> parts, bool openLastLink,
              int depth, Budget& budget);

std::string describe(const HiveRoots& roots, HiveFileId file, const HiveKey& key) {
  // Only user.reg's paths need the SID; asking for it elsewhere could load user.reg for nothing.
  return utf16ToUtf8(ntPathOf(file, key, file == HiveFileId::User ? roots.userSid() : std::u16string_view()));
}

// Replaces `key` (a link) by its target; false with `problem` set when it has none.
bool follow(const HiveRoots& roots, HiveKey*& key, HiveFileId& file, int depth, Budget& budget, std::string& problem) {
  if (depth > kMaxLinkDepth) {
    problem = "the symbolic link " + describe(roots, file, *key) + " leads through more than " +
              std::to_string(kMaxLinkDepth) + " nested links (a loop?)";
    return false;
  }
  if (++budget.follows > kMaxLinkFollows) {
    problem = "resolving the path follows more than " + std::to_string(kMaxLinkFollows) +
              " symbolic links (links through links, or a loop?); the last was " + describe(roots, file, *key);
    return false;
  }
  // The target's text and names stay in use while the walk below follows further links: one buffer per depth.
  LinkScratch& scratch = linkScratch(depth);
  std::u16string& target = scratch.target;
  if (!linkTargetInto(*key, target)) {
    problem = "the symbolic link " + describe(roots, file, *key) + " has no SymbolicLinkValue";
    return false;
  }
  auto targetFile = parseNtPath(
      target, [&] { return roots.userSid(); }, scratch.parts);
  if (!targetFile) {
    problem = "the symbolic link " + describe(roots, file, *key) + " points to " + utf16ToUtf8(target) +
              ", which is not in a hive of this store";
    return false;
  }
  Walk inner = walkFrom(roots, *targetFile, scratch.parts, false, depth + 1, budget);
  if (inner.stop == Walk::Stop::BrokenLink) {
    problem = std::move(inner.problem);
    return false;
  }
  if (inner.stop == Walk::Stop::Missing) {
    problem = "the symbolic link " + describe(roots, file, *key) + " points to " + utf16ToUtf8(target) +
              ", which does not exist";
    return false;
  }
  key = inner.key;
  file = inner.file;
  return true;
}

Walk walkFrom(const HiveRoots& roots, HiveFileId file, std::span<const std::u16string_view> parts, bool openLastLink,
              int depth, Budget& budget) {
  Walk walk;
  walk.file = file;
  walk.key = &roots.root(file);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    HiveKey* sub = walk.key->findSubkey(parts[i]);
    if (!sub) {
      walk.stop = Walk::Stop::Missing;
      walk.matched = i;
      return walk;
    }
    bool last = i + 1 == parts.size();
    if (sub->isLink() && !(last && openLastLink)) {
      if (!follow(roots, sub, walk.file, depth, budget, walk.problem)) {
        walk.stop = Walk::Stop::BrokenLink;
        walk.matched = i;
        return walk;
      }
    }
    walk.key = sub;
  }
  walk.matched = parts.size();
  return walk;
}

} // namespace

Walk walkPath(const HiveRoots& roots, HiveFileId file, std::span<const std::u16string_view> parts, bool openLastLink) {
  Budget budget;
  return walkFrom(roots, file, parts, openLastLink, 0, budget);
}

std::optional<std::u16string> linkTargetOf(const HiveKey& key) {
  std::u16string target;
  if (!linkTargetInto(key, target)) return std::nullopt;
  return target;
}

std::u16string ntPathOf(HiveFileId file, const HiveKey& key, std::u16string_view userSid) {
  std::vector<const HiveKey*> chain;
  for (const HiveKey* k = &key; k && k->parent(); k = k->parent()) chain.push_back(k);
  std::u16string path = u"\\Registry\\";
  switch (file) {
  case HiveFileId::System: path += u"Machine"; break;
  case HiveFileId::User:
    path += u"User\\";
    path += userSid;
    break;
  case HiveFileId::UserDefault: path += u"User\\.Default"; break;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    path += u'\\';
    path += (*it)->name();
  }
  return path;
}

} // namespace regbridge::hive
