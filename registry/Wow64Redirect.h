// The 32-bit registry view of 64-bit Windows, for a backend that keeps both views in one tree as Windows' own hives
// and Wine's registry do: a 32-bit program's HKLM\Software\X is HKLM\Software\Wow6432Node\X, and its HKCR\CLSID is
// HKLM\Software\Classes\Wow6432Node\CLSID. Which keys move is Microsoft's "Registry Keys Affected by WOW64" list,
// the same one Wine's wine.inf turns into links under Wow6432Node, so a prefix written by either reads the same in
// the other. The Win32 backend needs none of this: it passes KEY_WOW64_32KEY and Windows redirects.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/KeyPath.h"

namespace regbridge {

// The path `path` names in the single tree: empty when it is the same path (any view but Bits32, a key outside the
// redirected trees, a shared key, a path that names Wow6432Node itself). The result's parts are views into `path`'s
// text and a static "Wow6432Node"; `original` stays the caller's text, so errors name the key as it was asked for.
std::optional<KeyPath> wow64Redirect(const KeyPath& path);

// A backend method's `path` in the 32-bit view: `Wow64Path at(asked); const KeyPath& path = at;`.
class Wow64Path {
public:
  // The view is tested here, inline, so that calls in the other views pay no function call.
  explicit Wow64Path(const KeyPath& asked)
      : redirected_(asked.view == RegistryView::Bits32 ? wow64Redirect(asked) : std::nullopt),
        path_(redirected_ ? *redirected_ : asked) {}
  Wow64Path(const Wow64Path&) = delete;
  Wow64Path& operator=(const Wow64Path&) = delete;
  operator const KeyPath&() const { return path_; }

private:
  std::optional<KeyPath> redirected_;
  const KeyPath& path_;
};

// Listing a redirected key shows the shared keys right under it too, which live in the 64-bit tree: for `asked` in
// the 32-bit view, appends to `names` the name of each shared key directly under it for which `exists` (given its
// 64-bit path) says yes and that `names` lacks (compared without case). Returns whether it appended any.
bool addSharedSubkeys(const KeyPath& asked, std::vector<std::string>& names,
                      const std::function<bool(const KeyPath&)>& exists);

} // namespace regbridge
