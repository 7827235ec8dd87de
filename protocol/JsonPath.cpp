#include "protocol/JsonPath.h"

namespace regbridge::protocol {

std::string JsonPath::str() const {
  std::string parentText = parent_ ? parent_->str() : std::string();
  if (index_ != kNoIndex) return parentText + "[" + std::to_string(index_) + "]";
  return parentText.empty() ? std::string(name_) : parentText + "." + std::string(name_);
}

} // namespace regbridge::protocol
