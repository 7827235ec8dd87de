// Decoded readStringValue results, reused while the backend's servingVersion is unchanged, for ReadStringValue::run
// (the helper's path, whose answers are UTF-8 anyway). Polling the same setting is what extensions do most; an answer
// then costs a hash lookup instead of a decode. Per thread, so a hit takes no lock. The addon does without it: it
// makes its JS strings from the stored UTF-16 (Operations.h, Visitable), and the hive store finds the key again
// from its index (registry/hive/PathIndex.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "registry/KeyPath.h"

namespace regbridge {

class StringReadCache {
public:
  // The cached text for (key, name) in `view` (the same text names other keys in another view) if it was stored
  // under this version, else null. The text is this thread's and
  // stays valid until the next store() on this thread: copy it or use it before then.
  static const std::string* find(std::uint64_t version, std::string_view key, std::string_view name, RegistryView view);
  // Only successful reads are stored, so a hit also means that the path and name were valid.
  static void store(std::uint64_t version, std::string_view key, std::string_view name, RegistryView view,
                    const std::string& text);
};

} // namespace regbridge
