#include "registry/operations/StringReadCache.h"

#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace regbridge {

namespace {

// Bounded: a caller walking a whole hive must not grow it without end; when full it starts again.
constexpr std::size_t kMaxEntries = 4096;

struct Entry {
  std::uint64_t version;
  std::string text;
};

// (key, view, name) packed in one string: the key, a NUL (it cannot occur in a valid key path), the view as one
// byte, the name.
struct KeyView {
  std::string_view key;
  std::string_view name;
  char view;
};

// Eight bytes per multiply, the tail read as two overlapping words (wyhash's way): std::hash (murmur) of the key and
// of the name was a tenth of a cached readStringValueSync. Keys are our callers' paths, not adversarial input.
std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
std::uint64_t load4(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  __uint128_t m = static_cast<__uint128_t>(h ^ v) * 0x9e3779b97f4a7c15ULL;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}
std::uint64_t hashBytes(std::uint64_t h, std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n > 8; n -= 8, p += 8) h = mix(h, load8(p));
  std::uint64_t tail = 0;
  if (n >= 4) tail = load4(p) | load4(p + n - 4) << 32;
  else if (n > 0)
    tail = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
           static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  return mix(h ^ s.size(), tail);
}

struct Hash {
  using is_transparent = void;
  std::size_t operator()(const KeyView& view) const {
    return hashBytes(hashBytes(0x243f6a8885a308d3ULL ^ static_cast<unsigned char>(view.view), view.key), view.name);
  }
  std::size_t operator()(const std::string& packed) const {
    std::string_view all(packed);
    std::size_t split = all.find('\0');
    return (*this)(KeyView{all.substr(0, split), all.substr(split + 2), all[split + 1]});
  }
};

struct Equal {
  using is_transparent = void;
  static bool same(std::string_view packed, const KeyView& view) {
    return packed.size() == view.key.size() + 2 + view.name.size() && packed.substr(0, view.key.size()) == view.key &&
           packed[view.key.size()] == '\0' && packed[view.key.size() + 1] == view.view &&
           packed.substr(view.key.size() + 2) == view.name;
  }
  bool operator()(const std::string& a, const std::string& b) const { return a == b; }
  bool operator()(const std::string& a, const KeyView& b) const { return same(a, b); }
  bool operator()(const KeyView& a, const std::string& b) const { return same(b, a); }
};

using Map = std::unordered_map<std::string, Entry, Hash, Equal>;

Map& threadMap() {
  thread_local Map map;
  return map;
}

} // namespace

const std::string* StringReadCache::find(std::uint64_t version, std::string_view key, std::string_view name,
                                         RegistryView view) {
  if (version == 0) return nullptr;
  Map& map = threadMap();
  auto it = map.find(KeyView{key, name, static_cast<char>(view)});
  if (it == map.end() || it->second.version != version) return nullptr;
  return &it->second.text;
}

void StringReadCache::store(std::uint64_t version, std::string_view key, std::string_view name, RegistryView view,
                            const std::string& text) {
  if (version == 0) return;
  Map& map = threadMap();
  if (map.size() >= kMaxEntries) map.clear();
  std::string packed;
  packed.reserve(key.size() + 2 + name.size());
  packed.append(key).push_back('\0');
  packed.push_back(static_cast<char>(view));
  packed.append(name);
  map.insert_or_assign(std::move(packed), Entry{version, text});
}

} // namespace regbridge
