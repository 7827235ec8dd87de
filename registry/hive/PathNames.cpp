#include "registry/hive/PathNames.h"

#include <cstdint>
#include <cstring>

#include "registry/Unicode.h"

namespace regbridge::hive {

bool utf8Into(std::u16string& out, std::string_view in) {
  // Names are nearly always ASCII: check eight bytes at a time, then widen in a loop the compiler vectorises.
  std::size_t i = 0;
  for (; i + 8 <= in.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, in.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  for (; i < in.size(); ++i)
    if (static_cast<unsigned char>(in[i]) >= 0x80) {
      auto converted = utf8ToUtf16(in);
      if (!converted) return false;
      out = *converted;
      return true;
    }
  out.resize(in.size());
  char16_t* to = out.data();
  const auto* from = reinterpret_cast<const unsigned char*>(in.data());
  for (std::size_t j = 0; j < in.size(); ++j) to[j] = char16_t(from[j]);
  return true;
}

void PathNames::assign(std::span<const std::u16string_view> base, std::span<const std::string_view> parts,
                       std::size_t skip) {
  std::size_t count = parts.size() > skip ? parts.size() - skip : 0;
  if (storage_.size() < count) storage_.resize(count);
  views_.assign(base.begin(), base.end());
  for (std::size_t i = 0; i < count; ++i) {
    // KeyPath::parse has checked the UTF-8 already.
    utf8Into(storage_[i], parts[skip + i]);
    views_.push_back(storage_[i]);
  }
}

PathNames& threadPathNames() {
  thread_local PathNames names;
  return names;
}

std::u16string& threadValueName() {
  thread_local std::u16string name;
  return name;
}

} // namespace regbridge::hive
