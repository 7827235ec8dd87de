// Key and value names in the UTF-16 the trees store, converted from the caller's UTF-8. The read path converts
// into buffers that each thread reuses, so that a read allocates nothing for its names once warm.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regbridge::hive {

// UTF-8 -> UTF-16 into `out`, reusing its capacity; ASCII takes a fast path. False when `in` is not UTF-8.
bool utf8Into(std::u16string& out, std::string_view in);

// A mount's base keys followed by the caller's parts, e.g. HKCR\.txt -> {Software, Classes, .txt}.
class PathNames {
public:
  // `skip` leading parts are left out (HKEY_USERS' first part names the file instead).
  void assign(std::span<const std::u16string_view> base, std::span<const std::string_view> parts, std::size_t skip);
  std::span<const std::u16string_view> all() const { return views_; }

private:
  std::vector<std::u16string> storage_;
  std::vector<std::u16string_view> views_;
};

// This thread's reusable buffers, for reads only: a write batch runs changes on whichever thread leads it.
PathNames& threadPathNames();
std::u16string& threadValueName();

} // namespace regbridge::hive
