// The Win32 backend: Backend's operations as advapi32 calls on cached key handles (KeyHandleCache), with names in
// UTF-16 (KeyPaths, WideText), errors through one table (Win32Error) and compareAndSetValue under a per-key named
// mutex (CasLock).
#include "registry/win/Win32Backend.h"

#include <algorithm>
#include <cstring>

#include "registry/Error.h"
#include "registry/Value.h"
#include "registry/win/CasLock.h"
#include "registry/win/KeyDelete.h"
#include "registry/win/KeyHandleCache.h"
#include "registry/win/KeyPaths.h"
#include "registry/win/WideText.h"
#include "registry/win/Win32Error.h"

namespace regbridge {

namespace win {
namespace {

// Read handles may query values, enumerate and read the key's info; write handles may also set and delete values.
// Neither asks for more, so that a key whose security grants only that much still serves.
REGSAM accessMask(KeyAccess access) {
  return access == KeyAccess::Write ? KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_SET_VALUE
                                    : KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS;
}

enum class OpenMode { Open, OpenLink, Create };

// The status of a call on a key, and whether it failed opening the key (then ERROR_FILE_NOT_FOUND is the key's) or
// later (then it may be the value's).
struct Outcome {
  LONG status = ERROR_SUCCESS;
  bool atOpen = false;
};

// Value names are NUL-terminated in every Win32 registry function: a name with a NUL in it would name another
// value (the part before the NUL), so it is refused rather than cut.
std::wstring wideValueName(std::string_view name, const KeyPath& path) {
  if (name.find('\0') != std::string_view::npos) {
    std::string shown;
    for (char c : name) c == '\0' ? shown += "\\0" : shown += c;
    throw RegistryError(ErrorCode::InvalidArgument,
                        "the value name '" + shown +
                            "' contains a NUL character, which Windows' registry functions cannot pass (they take "
                            "NUL-terminated names)",
                        std::string(path.original), std::string(name));
  }
  auto wide = wideFromUtf8(name);
  if (!wide)
    throw RegistryError(ErrorCode::InvalidArgument, "the value name is not valid UTF-8", std::string(path.original),
                        std::string(name));
  return std::move(*wide);
}

bool isStringType(DWORD type) { return type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ; }

// RegSetValueExW "adds the terminating NUL the caller forgot to count": for a string type whose data does not end
// in a NUL unit, when the unit just after the data (read past the caller's buffer) is NUL, it stores one unit more
// (Windows does this, and Wine copies it, "yes NT does this"). The stored bytes must be exactly the caller's, so
// such data is written from a copy followed by a non-NUL unit. The copy starts two bytes in, behind a non-NUL unit
// too: for one byte of data the check reads the unit before it.
class SetValueData {
public:
  SetValueData(DWORD type, std::span<const std::uint8_t> data) : data_(data) {
    const bool endsInNul =
        data.size() >= 2 && data.size() % 2 == 0 && data[data.size() - 1] == 0 && data[data.size() - 2] == 0;
    if (!isStringType(type) || data.empty() || endsInNul) return;
    guarded_.assign(data.size() + 4, 0xFF);
    std::memcpy(guarded_.data() + 2, data.data(), data.size());
    data_ = std::span<const std::uint8_t>(guarded_.data() + 2, data.size());
  }
  const BYTE* bytes() const { return data_.empty() ? nullptr : data_.data(); }
  DWORD size() const { return static_cast<DWORD>(data_.size()); }

private:
  std::span<const std::uint8_t> data_;
  std::vector<std::uint8_t> guarded_;
};

// RegQueryValueExW into `out`, growing the buffer for as long as it answers ERROR_MORE_DATA: no fixed cap (a value
// may be many megabytes), and a value that grows between two calls is simply asked for again.
LONG queryValue(HKEY key, const wchar_t* name, RawValue& out) {
  out.data.resize(std::max<std::size_t>(out.data.capacity(), 256));
  while (true) {
    DWORD type = REG_NONE;
    DWORD size = static_cast<DWORD>(out.data.size());
    const LONG status = RegQueryValueExW(key, name, nullptr, &type, out.data.data(), &size);
    if (status == ERROR_SUCCESS) {
      out.type = type;
      out.data.resize(size);
      return status;
    }
    if (status != ERROR_MORE_DATA) return status;
    out.data.resize(std::max<std::size_t>(size, out.data.size() * 2));
  }
}

class Win32Backend final : public Backend {
public:
  std::string_view kind() const override { return "win32"; }
  std::string location() const override { return {}; }

  RawValue readValue(const KeyPath& path, std::string_view name, OpenOptions options) override {
    const std::wstring valueName = wideValueName(name, path);
    const WidePath wide = widePath(path);
    RawValue value;
    const Outcome outcome = withKey(wide, KeyAccess::Read, options.openLink ? OpenMode::OpenLink : OpenMode::Open,
                                    [&](HKEY key) { return queryValue(key, valueName.c_str(), value); });
    check(outcome, Action::OpenKey, Action::ReadValue, path, name);
    return value;
  }

  std::vector<NamedRawValue> listValues(const KeyPath& path, OpenOptions options) override {
    const WidePath wide = widePath(path);
    std::vector<NamedRawValue> values;
    const Outcome outcome = withKey(wide, KeyAccess::Read, options.openLink ? OpenMode::OpenLink : OpenMode::Open,
                                    [&](HKEY key) { return enumerateValues(key, values); });
    check(outcome, Action::OpenKey, Action::ReadKey, path);
    return values;
  }

  std::vector<std::string> listSubkeys(const KeyPath& path, OpenOptions options) override {
    const WidePath wide = widePath(path);
    std::vector<std::string> names;
    const Outcome outcome = withKey(wide, KeyAccess::Read, options.openLink ? OpenMode::OpenLink : OpenMode::Open,
                                    [&](HKEY key) { return enumerateSubkeys(key, names); });
    check(outcome, Action::OpenKey, Action::ReadKey, path);
    return names;
  }

  bool keyExists(const KeyPath& path) override {
    // Not through the cache: a cached handle would answer for a key that another program has deleted since.
    const WidePath wide = widePath(path);
    HKEY key = nullptr;
    const LONG status = openKeyPath(wide, KEY_QUERY_VALUE, false, &key);
    if (status == ERROR_SUCCESS) RegCloseKey(key);
    // Windows checks access after it has found the key: a key this user may not open exists all the same.
    if (status == ERROR_SUCCESS || status == ERROR_ACCESS_DENIED) return true;
    if (status == ERROR_FILE_NOT_FOUND || status == ERROR_PATH_NOT_FOUND) return false;
    throw win32Error(status, Action::OpenKey, path.original);
  }

  RawKeyInfo getKeyInfo(const KeyPath& path, OpenOptions options) override {
    const WidePath wide = widePath(path);
    RawKeyInfo info;
    const Outcome outcome = withKey(wide, KeyAccess::Read, options.openLink ? OpenMode::OpenLink : OpenMode::Open,
                                    [&](HKEY key) { return keyInfo(key, options.openLink, info); });
    check(outcome, Action::OpenKey, Action::ReadKey, path);
    return info;
  }

  void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    const std::wstring valueName = wideValueName(name, path);
    const WidePath wide = widePath(path);
    const SetValueData bytes(type, data);
    CasLock lock(locks_, wide.canonical, std::string(path.original));
    const Outcome outcome = withKey(wide, KeyAccess::Write, OpenMode::Create, [&](HKEY key) {
      return RegSetValueExW(key, valueName.c_str(), 0, type, bytes.bytes(), bytes.size());
    });
    check(outcome, Action::ChangeKey, Action::WriteValue, path, name);
  }

  void compareAndSetValue(const KeyPath& path, std::string_view name, const ExpectedValue& expected, std::uint32_t type,
                          std::span<const std::uint8_t> data) override {
    const std::wstring valueName = wideValueName(name, path);
    const WidePath wide = widePath(path);
    const SetValueData bytes(type, data);
    CasLock lock(locks_, wide.canonical, std::string(path.original));
    // The check and the write on one handle: had the key been deleted in between, the write fails with
    // ERROR_KEY_DELETED and withKey runs both again on the key as it is now, instead of writing into a new key
    // the check never saw.
    bool changed = false;
    bool exists = false;
    Outcome outcome = withKey(wide, KeyAccess::Write, OpenMode::Open, [&](HKEY key) {
      RawValue current;
      const LONG status = queryValue(key, valueName.c_str(), current);
      if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND) return status;
      exists = status == ERROR_SUCCESS;
      changed = expected.matches ? !exists || !expected.matches(current.type, current.data) : exists;
      if (changed) return LONG(ERROR_SUCCESS);
      return RegSetValueExW(key, valueName.c_str(), 0, type, bytes.bytes(), bytes.size());
    });
    if (changed) throwValueChanged(path, name, expected, exists);
    if (outcome.atOpen && (outcome.status == ERROR_FILE_NOT_FOUND || outcome.status == ERROR_PATH_NOT_FOUND)) {
      // No key, so no value: right only when none was expected. Then the key is made as writeValue makes it; every
      // regbridge writer of this key waits on the lock meanwhile.
      if (expected.matches) throwValueChanged(path, name, expected, false);
      outcome = withKey(wide, KeyAccess::Write, OpenMode::Create, [&](HKEY key) {
        return RegSetValueExW(key, valueName.c_str(), 0, type, bytes.bytes(), bytes.size());
      });
    }
    check(outcome, Action::ChangeKey, Action::WriteValue, path, name);
  }

  void deleteValue(const KeyPath& path, std::string_view name) override {
    const std::wstring valueName = wideValueName(name, path);
    const WidePath wide = widePath(path);
    CasLock lock(locks_, wide.canonical, std::string(path.original));
    const Outcome outcome = withKey(wide, KeyAccess::Write, OpenMode::Open,
                                    [&](HKEY key) { return RegDeleteValueW(key, valueName.c_str()); });
    check(outcome, Action::ChangeKey, Action::DeleteValue, path, name);
  }

  void createKey(const KeyPath& path) override {
    // Only the right to look at it: creating an existing key changes nothing, so a key that refuses writes may
    // still be "created" (as the hive store, and `reg add` of an existing key).
    const WidePath wide = widePath(path);
    HKEY key = nullptr;
    const LONG status = createKeyPath(wide, KEY_QUERY_VALUE, &key);
    if (status != ERROR_SUCCESS) throw win32Error(status, Action::ChangeKey, path.original);
    RegCloseKey(key);
  }

  void deleteKey(const KeyPath& path, bool recursive) override {
    const std::string key(path.original);
    if (path.parts.empty())
      throw RegistryError(ErrorCode::AccessDenied, "cannot delete '" + key + "': it is a hive root", key);
    const WidePath wide = widePath(path);
    HKEY opened = nullptr;
    // The last name itself, a link included (REG_OPTION_OPEN_LINK): deleting a link deletes the link.
    LONG status = openKeyPath(wide, kDeleteAccess, true, &opened);
    if (status != ERROR_SUCCESS) throw win32Error(status, Action::DeleteKey, key);
    struct Closer {
      HKEY key;
      ~Closer() { RegCloseKey(key); }
    } closer{opened};
    DWORD subkeys = 0;
    status = RegQueryInfoKeyW(opened, nullptr, nullptr, nullptr, &subkeys, nullptr, nullptr, nullptr, nullptr, nullptr,
                              nullptr, nullptr);
    if (status != ERROR_SUCCESS) throw win32Error(status, Action::DeleteKey, key);
    if (subkeys && !recursive) throw hasSubkeys(key, subkeys);
    if (recursive) status = deleteSubkeys(opened, wide.view);
    if (status == ERROR_SUCCESS) status = deleteOpenedKey(opened);
    // Handles under the deleted key would only answer ERROR_KEY_DELETED now; the subkeys deleted before a failure
    // are gone too.
    handles_.dropTree(wide.canonical);
    if (status == ERROR_ACCESS_DENIED && !recursive) {
      // Windows refuses to delete a key that has subkeys with ERROR_ACCESS_DENIED: one made since the check.
      DWORD now = 0;
      if (RegQueryInfoKeyW(opened, nullptr, nullptr, nullptr, &now, nullptr, nullptr, nullptr, nullptr, nullptr,
                           nullptr, nullptr) == ERROR_SUCCESS &&
          now)
        throw hasSubkeys(key, now);
    }
    if (status != ERROR_SUCCESS) throw win32Error(status, Action::DeleteKey, key);
  }

  void flush() override {
    // HKEY_CURRENT_USER is a key of HKEY_USERS' hives and HKCR/HKCC views of HKLM's, but each predefined key is
    // flushed as such: RegFlushKey writes the hive the key is in.
    for (HKEY root : {HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_USERS}) {
      const LONG status = RegFlushKey(root);
      if (status != ERROR_SUCCESS) throw win32Error(status, Action::Flush, "");
    }
  }

private:
  static RegistryError hasSubkeys(const std::string& key, DWORD count) {
    // The hive store's words (HiveStore.cpp deleteKey).
    return RegistryError(ErrorCode::KeyHasSubkeys,
                         "cannot delete '" + key + "': it has " + std::to_string(count) +
                             " subkey(s); delete those first or delete recursively",
                         key);
  }

  static void check(const Outcome& outcome, Action opening, Action afterOpen, const KeyPath& path,
                    std::optional<std::string_view> name = std::nullopt) {
    if (outcome.status == ERROR_SUCCESS) return;
    const std::string valueName = name ? std::string(*name) : std::string();
    throw win32Error(outcome.status, outcome.atOpen ? opening : afterOpen, path.original, name ? &valueName : nullptr);
  }

  // Runs `use` on the cached handle for the key (opened or created now if there is none) and returns its status.
  // ERROR_KEY_DELETED means another program deleted the key under the cached handle: the handle is dropped and
  // `use` runs once more on the key opened again (ERROR_FILE_NOT_FOUND then, if it is still gone).
  template <class Use> Outcome withKey(const WidePath& wide, KeyAccess access, OpenMode mode, Use&& use) {
    const HandleSlot slot{wide.canonical, wide.view, access, mode == OpenMode::OpenLink};
    for (int attempt = 0;; ++attempt) {
      SharedKey key = handles_.find(slot);
      if (!key) {
        HKEY opened = nullptr;
        const LONG status = mode == OpenMode::Create
                                ? createKeyPath(wide, accessMask(access), &opened)
                                : openKeyPath(wide, accessMask(access), mode == OpenMode::OpenLink, &opened);
        if (status != ERROR_SUCCESS) return {status, true};
        key = handles_.add(slot, std::make_shared<const KeyHandle>(opened));
      }
      const LONG status = use(key->get());
      if (status == ERROR_KEY_DELETED) {
        handles_.drop(slot, key);
        if (attempt == 0) continue;
      }
      return {status, false};
    }
  }

  static LONG enumerateValues(HKEY key, std::vector<NamedRawValue>& values) {
    values.clear();
    DWORD count = 0, longestName = 0, longestData = 0;
    LONG status = RegQueryInfoKeyW(key, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &count, &longestName,
                                   &longestData, nullptr, nullptr);
    if (status != ERROR_SUCCESS) return status;
    values.reserve(count);
    std::wstring name(longestName + 1, L'\0');
    std::vector<std::uint8_t> data(std::max<DWORD>(longestData, 1));
    for (DWORD index = 0;;) {
      DWORD nameLength = static_cast<DWORD>(name.size());
      DWORD dataLength = static_cast<DWORD>(data.size());
      DWORD type = REG_NONE;
      status = RegEnumValueW(key, index, name.data(), &nameLength, nullptr, &type, data.data(), &dataLength);
      if (status == ERROR_NO_MORE_ITEMS) return ERROR_SUCCESS;
      if (status == ERROR_MORE_DATA) {
        // The value grew (or a longer one took its index) since the sizes were read: the same index, bigger
        // buffers. The name buffer goes straight to the longest name Windows allows.
        name.resize(kMaxValueNameLength + 1);
        data.resize(std::max<std::size_t>(dataLength, data.size() * 2));
        continue;
      }
      if (status != ERROR_SUCCESS) return status;
      values.push_back({utf8FromWide(std::wstring_view(name.data(), nameLength)), type,
                        std::vector<std::uint8_t>(data.begin(), data.begin() + dataLength)});
      ++index;
    }
  }

  static LONG enumerateSubkeys(HKEY key, std::vector<std::string>& names) {
    names.clear();
    std::wstring name(kMaxKeyNameLength + 1, L'\0');
    for (DWORD index = 0;;) {
      DWORD length = static_cast<DWORD>(name.size());
      const LONG status = RegEnumKeyExW(key, index, name.data(), &length, nullptr, nullptr, nullptr, nullptr);
      if (status == ERROR_NO_MORE_ITEMS) return ERROR_SUCCESS;
      if (status == ERROR_MORE_DATA) {
        name.resize(name.size() * 2);
        continue;
      }
      if (status != ERROR_SUCCESS) return status;
      names.push_back(utf8FromWide(std::wstring_view(name.data(), length)));
      ++index;
    }
  }

  static LONG keyInfo(HKEY key, bool openLink, RawKeyInfo& info) {
    std::wstring className(64, L'\0');
    while (true) {
      DWORD classLength = static_cast<DWORD>(className.size());
      DWORD subkeys = 0, values = 0;
      FILETIME written{};
      const LONG status = RegQueryInfoKeyW(key, className.data(), &classLength, nullptr, &subkeys, nullptr, nullptr,
                                           &values, nullptr, nullptr, nullptr, &written);
      // Windows answers a class longer than the buffer with ERROR_MORE_DATA, Wine with ERROR_INSUFFICIENT_BUFFER.
      // A class is one counted string (at most 32,767 units), so the doubling ends.
      if ((status == ERROR_MORE_DATA || status == ERROR_INSUFFICIENT_BUFFER) && className.size() <= 32768) {
        className.resize(std::max<std::size_t>(classLength + 1, className.size() * 2));
        continue;
      }
      if (status != ERROR_SUCCESS) return status;
      info.subkeyCount = subkeys;
      info.valueCount = values;
      info.lastWriteFileTime = (std::uint64_t(written.dwHighDateTime) << 32) | written.dwLowDateTime;
      // Windows reports a key without a class as a class of length 0, as the hive store reports none.
      if (classLength) info.className = utf8FromWide(std::wstring_view(className.data(), classLength));
      break;
    }
    if (!openLink) return ERROR_SUCCESS;
    // A link key (opened itself) names its target in SymbolicLinkValue, a REG_LINK of UTF-16 without a final NUL.
    RawValue target;
    const LONG status = queryValue(key, L"SymbolicLinkValue", target);
    if (status == ERROR_FILE_NOT_FOUND) return ERROR_SUCCESS;
    if (status != ERROR_SUCCESS) return status;
    if (target.type != REG_LINK || target.data.size() % 2) return ERROR_SUCCESS;
    std::wstring text(target.data.size() / 2, L'\0');
    std::memcpy(text.data(), target.data.data(), target.data.size());
    while (!text.empty() && text.back() == L'\0') text.pop_back();
    info.linkTarget = utf8FromWide(text);
    return ERROR_SUCCESS;
  }

  KeyHandleCache handles_;
  CasLockTable locks_;
};

} // namespace
} // namespace win

std::unique_ptr<Backend> openWin32Backend() { return std::make_unique<win::Win32Backend>(); }

} // namespace regbridge
