#include "registry/hive/PathNames.h"

#include "registry/Unicode.h"

namespace regbridge::hive {

bool utf8Into(std::u16string& out, std::string_view in) {
  out.resize(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c >= 0x80) {
      auto converted = utf8ToUtf16(in);
      if (!converted) return false;
      out = *converted;
      return true;
    }
    out[i] = char16_t(c);
  }
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
