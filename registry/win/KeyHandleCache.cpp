#include "registry/win/KeyHandleCache.h"

#include <vector>

namespace regbridge::win {

std::wstring KeyHandleCache::slotKey(const HandleSlot& slot) {
  // The canonical path, a NUL (never in a path) and three characters for the rest: the path is what dropTree reads.
  std::wstring key(slot.canonical);
  key += L'\0';
  key += static_cast<wchar_t>(L'0' + (slot.view == KEY_WOW64_64KEY ? 1 : slot.view == KEY_WOW64_32KEY ? 2 : 0));
  key += slot.access == KeyAccess::Write ? L'w' : L'r';
  key += slot.openLink ? L'l' : L'-';
  return key;
}

SharedKey KeyHandleCache::find(const HandleSlot& slot) const {
  const std::wstring key = slotKey(slot);
  std::lock_guard lock(mutex_);
  auto it = handles_.find(key);
  return it == handles_.end() ? nullptr : it->second;
}

SharedKey KeyHandleCache::add(const HandleSlot& slot, SharedKey key) {
  std::wstring name = slotKey(slot);
  std::vector<SharedKey> released; // closed after the lock is let go: RegCloseKey is a system call
  std::lock_guard lock(mutex_);
  if (auto it = handles_.find(name); it != handles_.end()) return it->second;
  if (handles_.size() >= kMaxHandles) {
    released.reserve(handles_.size());
    for (auto& entry : handles_) released.push_back(std::move(entry.second));
    handles_.clear();
  }
  handles_.emplace(std::move(name), key);
  return key;
}

void KeyHandleCache::drop(const HandleSlot& slot, const SharedKey& key) {
  SharedKey released;
  std::lock_guard lock(mutex_);
  auto it = handles_.find(slotKey(slot));
  if (it != handles_.end() && it->second == key) {
    released = std::move(it->second);
    handles_.erase(it);
  }
}

void KeyHandleCache::dropTree(std::wstring_view canonical) {
  std::vector<SharedKey> released;
  std::lock_guard lock(mutex_);
  for (auto it = handles_.begin(); it != handles_.end();) {
    std::wstring_view path(it->first);
    path = path.substr(0, path.find(L'\0'));
    const bool inside = path.size() == canonical.size()
                            ? path == canonical
                            : path.size() > canonical.size() && path.substr(0, canonical.size()) == canonical &&
                                  path[canonical.size()] == L'\\';
    if (inside) {
      released.push_back(std::move(it->second));
      it = handles_.erase(it);
    } else {
      ++it;
    }
  }
}

void KeyHandleCache::clear() {
  std::unordered_map<std::wstring, SharedKey> released;
  std::lock_guard lock(mutex_);
  released.swap(handles_);
}

std::size_t KeyHandleCache::size() const {
  std::lock_guard lock(mutex_);
  return handles_.size();
}

} // namespace regbridge::win
