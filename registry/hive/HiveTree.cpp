#include "registry/hive/HiveTree.h"

#include <algorithm>
#include <utility>

#include "registry/hive/WineCase.h"

namespace regbridge::hive {
namespace {

// Index of the first key not ordered before `name`, and whether it is that name.
std::pair<std::size_t, bool> lowerBoundKey(const std::vector<std::unique_ptr<HiveKey>>& keys,
                                           std::u16string_view name) {
  // Loading a Wine-written file appends in order: check the end before searching.
  if (!keys.empty()) {
    const int last = compareNames(keys.back()->name(), name);
    if (last < 0) return {keys.size(), false};
    if (last == 0) return {keys.size() - 1, true};
  }
  std::size_t lo = 0, hi = keys.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const int c = compareNames(keys[mid]->name(), name);
    if (c == 0) return {mid, true};
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return {lo, false};
}

std::pair<std::size_t, bool> lowerBoundValue(const std::vector<HiveValue>& values, std::u16string_view name) {
  auto cmp = [&](std::size_t i) { return -compareNames(name, values[i].name); };
  if (!values.empty()) {
    const int last = cmp(values.size() - 1);
    if (last < 0) return {values.size(), false};
    if (last == 0) return {values.size() - 1, true};
  }
  std::size_t lo = 0, hi = values.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const int c = cmp(mid);
    if (c == 0) return {mid, true};
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return {lo, false};
}

} // namespace

std::u16string foldName(std::u16string_view name) {
  std::u16string out(name.size(), u'\0');
  for (std::size_t i = 0; i < name.size(); ++i) out[i] = foldUnit(name[i]);
  return out;
}

int compareNames(std::u16string_view a, std::u16string_view b) {
  const std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i) {
    const int diff = int(foldUnit(a[i])) - int(foldUnit(b[i]));
    if (diff != 0) return diff;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

HiveKey::HiveKey(std::u16string name, HiveKey* parent)
    : name_(std::move(name)), parent_(parent), foldedHash_(foldedNameHash(name_)) {}

HiveKey::HiveKey(HiveKey&& other) noexcept
    : name_(std::move(other.name_)), parent_(other.parent_), subkeys_(std::move(other.subkeys_)),
      childIndex_(std::move(other.childIndex_)), values_(std::move(other.values_)), modified_(other.modified_),
      className_(std::move(other.className_)), foldedHash_(other.foldedHash_), isLink_(other.isLink_),
      isVolatile_(other.isVolatile_), savedLines_(other.savedLines_),
      formattedLines_(std::move(other.formattedLines_)) {
  for (auto& subkey : subkeys_) subkey->parent_ = this;
}

void HiveKey::setModified(std::uint64_t fileTime) {
  modified_ = fileTime;
  changed();
}

void HiveKey::setClassName(std::optional<std::u16string_view> name) {
  if (name) className_ = std::make_unique<std::u16string>(*name);
  else className_.reset();
  changed();
}

void HiveKey::setLink(bool isLink) {
  isLink_ = isLink;
  changed();
}

void HiveKey::setVolatile(bool isVolatile) {
  isVolatile_ = isVolatile;
  changed();
}

HiveKey* HiveKey::findSubkey(std::u16string_view name) const {
  if (childIndex_.active()) return childIndex_.find(name, foldedNameHash(name));
  const auto [index, found] = lowerBoundKey(subkeys_, name);
  return found ? subkeys_[index].get() : nullptr;
}

const HiveValue* HiveKey::findValue(std::u16string_view name) const {
  const auto [index, found] = lowerBoundValue(values_, name);
  return found ? &values_[index] : nullptr;
}

HiveKey& HiveKey::addSubkey(std::u16string_view name) {
  const auto [index, found] = lowerBoundKey(subkeys_, name);
  if (found) return *subkeys_[index];
  auto key = std::make_unique<HiveKey>(std::u16string(name), this);
  HiveKey& ref = *key;
  subkeys_.insert(subkeys_.begin() + std::ptrdiff_t(index), std::move(key));
  childIndex_.inserted(&ref, subkeys_.size(), subkeys_);
  subtreeChanged();
  return ref;
}

bool HiveKey::removeSubkey(std::u16string_view name) {
  const auto [index, found] = lowerBoundKey(subkeys_, name);
  if (!found) return false;
  childIndex_.removed(subkeys_[index].get());
  subkeys_.erase(subkeys_.begin() + std::ptrdiff_t(index));
  subtreeChanged();
  return true;
}

HiveKey::SetResult HiveKey::setValue(std::u16string_view name, std::uint32_t type, ValueBytes data) {
  changed();
  const auto [index, found] = lowerBoundValue(values_, name);
  if (found) {
    values_[index].type = type;
    values_[index].data = std::move(data);
    return SetResult::Replaced;
  }
  const bool last = index == values_.size();
  values_.insert(values_.begin() + std::ptrdiff_t(index), HiveValue{std::u16string(name), type, std::move(data)});
  return last ? SetResult::Appended : SetResult::Inserted;
}

bool HiveKey::removeValue(std::u16string_view name) {
  const auto [index, found] = lowerBoundValue(values_, name);
  if (!found) return false;
  changed();
  values_.erase(values_.begin() + std::ptrdiff_t(index));
  return true;
}

} // namespace regbridge::hive
