// An in-memory Backend for the protocol tests (dispatch, golden transcripts): just enough registry semantics
// (case-insensitive names, implicit parents, not-found errors) to exercise every operation over the wire without
// a store on disk. Deterministic: every key reports the same time, so transcripts can be compared byte for byte.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <string>

#include "registry/Backend.h"
#include "registry/Error.h"
#include "registry/Value.h"

namespace regbridge::test {

class DispatchFakeBackend : public Backend {
public:
  // 2026-11-25T06:05:50.123Z
  static constexpr std::uint64_t kKeyTime = 134400603501230000ULL;
  int flushes = 0;

  std::string_view kind() const override { return "fake"; }
  std::string location() const override { return "/fake/prefix"; }

  RawValue readValue(const KeyPath& path, std::string_view name, OpenOptions) override {
    std::lock_guard lock(mutex_);
    auto& key = existing(path);
    auto it = key.values.find(lower(name));
    if (it == key.values.end())
      throw RegistryError(ErrorCode::ValueNotFound,
                          "value '" + std::string(name) + "' not found in key '" + std::string(path.original) + "'",
                          std::string(path.original), std::string(name));
    return {it->second.type, it->second.data};
  }
  std::vector<NamedRawValue> listValues(const KeyPath& path, OpenOptions) override {
    std::lock_guard lock(mutex_);
    std::vector<NamedRawValue> out;
    for (auto& [_, v] : existing(path).values) out.push_back(v);
    return out;
  }
  std::vector<std::string> listSubkeys(const KeyPath& path, OpenOptions) override {
    std::lock_guard lock(mutex_);
    existing(path);
    std::vector<std::string> out;
    for (auto& [id, key] : keys_)
      if (isChild(lower(path.toString()), id)) out.push_back(key.name);
    return out;
  }
  bool keyExists(const KeyPath& path) override {
    std::lock_guard lock(mutex_);
    return keys_.count(lower(path.toString())) > 0;
  }
  RawKeyInfo getKeyInfo(const KeyPath& path, OpenOptions) override {
    std::lock_guard lock(mutex_);
    auto& key = existing(path);
    std::uint32_t subkeys = 0;
    for (auto& [id, _] : keys_) subkeys += isChild(lower(path.toString()), id);
    return {subkeys, static_cast<std::uint32_t>(key.values.size()), kKeyTime, std::nullopt, std::nullopt};
  }
  void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    std::lock_guard lock(mutex_);
    create(path);
    keys_[lower(path.toString())].values[lower(name)] = {std::string(name), type, {data.begin(), data.end()}};
  }
  void compareAndSetValue(const KeyPath& path, std::string_view name, const ExpectedValue& expected, std::uint32_t type,
                          std::span<const std::uint8_t> data) override {
    std::lock_guard lock(mutex_);
    const NamedRawValue* current = nullptr;
    if (auto key = keys_.find(lower(path.toString())); key != keys_.end())
      if (auto it = key->second.values.find(lower(name)); it != key->second.values.end()) current = &it->second;
    bool asExpected = expected.matches ? current && expected.matches(current->type, current->data) : !current;
    if (!asExpected) throwValueChanged(path, name, expected, current != nullptr);
    create(path);
    keys_[lower(path.toString())].values[lower(name)] = {std::string(name), type, {data.begin(), data.end()}};
  }
  void deleteValue(const KeyPath& path, std::string_view name) override {
    std::lock_guard lock(mutex_);
    if (existing(path).values.erase(lower(name)) == 0)
      throw RegistryError(ErrorCode::ValueNotFound, "value '" + std::string(name) + "' not found",
                          std::string(path.original), std::string(name));
  }
  void createKey(const KeyPath& path) override {
    std::lock_guard lock(mutex_);
    create(path);
  }
  void deleteKey(const KeyPath& path, bool recursive) override {
    std::lock_guard lock(mutex_);
    existing(path);
    std::string id = lower(path.toString());
    bool hasSubkeys = std::any_of(keys_.begin(), keys_.end(), [&](auto& k) { return isChild(id, k.first); });
    if (hasSubkeys && !recursive)
      throw RegistryError(ErrorCode::KeyHasSubkeys, "key '" + std::string(path.original) + "' has subkeys",
                          std::string(path.original));
    std::erase_if(keys_, [&](auto& k) { return k.first == id || k.first.starts_with(id + "\\"); });
  }
  void flush() override {
    std::lock_guard lock(mutex_);
    ++flushes;
  }

private:
  struct Key {
    std::string name; // last part, as first written
    std::map<std::string, NamedRawValue> values;
  };

  static std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  static bool isChild(const std::string& parent, const std::string& id) {
    return id.size() > parent.size() + 1 && id.starts_with(parent + "\\") &&
           id.find('\\', parent.size() + 1) == std::string::npos;
  }
  Key& existing(const KeyPath& path) {
    auto it = keys_.find(lower(path.toString()));
    if (it == keys_.end())
      throw RegistryError(ErrorCode::KeyNotFound, "key '" + std::string(path.original) + "' not found",
                          std::string(path.original));
    return it->second;
  }
  void create(const KeyPath& path) {
    std::string id = std::string(hiveName(path.hive));
    for (const auto& part : path.parts) {
      id += '\\';
      id += part;
      keys_.try_emplace(lower(id), Key{std::string(part), {}});
    }
  }

  std::mutex mutex_;
  std::map<std::string, Key> keys_;
};

} // namespace regbridge::test
