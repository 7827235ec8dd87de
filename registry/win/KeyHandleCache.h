// Opened registry keys kept for the next call on the same key: opening a key is a round trip to the kernel (under
// Wine, to wineserver) that most calls would otherwise repeat. Thread-safe.
//
// A handle is the key object it was opened on, not its path. A key another program deletes makes the handle
// answer ERROR_KEY_DELETED, and the backend then drops it and opens the path again. What a handle cannot tell:
// a key another program renames (RegRenameKey) or a symbolic link it points elsewhere on the way to the key; the
// handle serves the key it was opened on until it leaves the cache (a delete through this backend, or the bound).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <windows.h>

namespace regbridge::win {

// One open HKEY, closed when the last user lets go: a handle dropped from the cache while another thread still
// uses it stays open until that thread is done.
class KeyHandle {
public:
  explicit KeyHandle(HKEY key) : key_(key) {}
  ~KeyHandle() { RegCloseKey(key_); }
  KeyHandle(const KeyHandle&) = delete;
  KeyHandle& operator=(const KeyHandle&) = delete;
  HKEY get() const { return key_; }

private:
  HKEY key_;
};

using SharedKey = std::shared_ptr<const KeyHandle>;

enum class KeyAccess : unsigned char { Read, Write };

// What a cached handle was opened for: the key (its canonical path), the view flag, the access and whether a link
// was opened itself. Handles for different slots of one key are different handles.
struct HandleSlot {
  std::wstring_view canonical;
  REGSAM view = 0;
  KeyAccess access = KeyAccess::Read;
  bool openLink = false;
};

class KeyHandleCache {
public:
  // Bounded: a walk over the whole registry must not keep a handle per key it passed. When full it starts again;
  // handles still in use live on with their users.
  static constexpr std::size_t kMaxHandles = 256;

  SharedKey find(const HandleSlot& slot) const;
  // Caches `key` unless another thread cached one for the slot first; returns the one cached.
  SharedKey add(const HandleSlot& slot, SharedKey key);
  // Forgets the slot's handle if it is still `key` (a handle that failed, say ERROR_KEY_DELETED), so that the next
  // call opens the key again.
  void drop(const HandleSlot& slot, const SharedKey& key);
  // Forgets the handles of the key and of every key under it, in every view and access: after a delete.
  void dropTree(std::wstring_view canonical);
  void clear();
  std::size_t size() const;

private:
  static std::wstring slotKey(const HandleSlot& slot);

  mutable std::mutex mutex_;
  std::unordered_map<std::wstring, SharedKey> handles_;
};

} // namespace regbridge::win
