// Resolving key paths inside the store's hives, following symbolic links the way Windows and Wine do: a key marked
// `#link` stands for the key its `SymbolicLinkValue` (REG_LINK, an NT path such as
// `\Registry\Machine\Software\Classes`) names, which may be in another file.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "registry/hive/HiveTree.h"
#include "registry/hive/PrefixLayout.h"

namespace regbridge::hive {

// What resolution needs from the store. Either may throw when the store must first load a file (the store catches
// that, loads, and retries).
class HiveRoots {
public:
  virtual HiveKey& root(HiveFileId file) const = 0;
  virtual std::u16string_view userSid() const = 0;

protected:
  ~HiveRoots() = default;
};

// Wine's follow_symlink gives up beyond 16 nested links; the total cap keeps a crafted hive (links whose targets
// go through links, many times over) from costing exponential time.
inline constexpr int kMaxLinkDepth = 16;
inline constexpr int kMaxLinkFollows = 256;

struct Walk {
  enum class Stop {
    Complete,   // every part exists; `key` is the key named (the link itself when the last part is one and
                // openLastLink was asked)
    Missing,    // parts[matched] does not exist under `key`
    BrokenLink, // a link on the way points nowhere, loops or nests too deep; `problem` says which and why
  };
  Stop stop = Stop::Complete;
  HiveKey* key = nullptr; // the deepest key reached, links replaced by their targets
  HiveFileId file = HiveFileId::System;
  std::size_t matched = 0;
  std::string problem;
};

// Walks `parts` down from the root of `file`. Every link met on the way is followed; the last part's only when
// `openLastLink` is false.
Walk walkPath(const HiveRoots& roots, HiveFileId file, std::span<const std::u16string_view> parts, bool openLastLink);

// The NT path a link key names, as stored (UTF-16, trailing NULs dropped); nullopt without a SymbolicLinkValue.
std::optional<std::u16string> linkTargetOf(const HiveKey& key);

// `\Registry\Machine\Software\X` for a key of system.reg, for messages.
std::u16string ntPathOf(HiveFileId file, const HiveKey& key, std::u16string_view userSid);

} // namespace regbridge::hive
