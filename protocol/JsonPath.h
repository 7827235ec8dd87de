// Where in a message a decoder is, as a chain of stack frames: cheap to extend while decoding (no allocation), and
// rendered ("params.value.data[2]") only when something is wrong.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace regbridge::protocol {

class JsonPath {
public:
  static JsonPath root(std::string_view name) { return JsonPath(nullptr, name, kNoIndex); }
  JsonPath member(std::string_view name) const { return JsonPath(this, name, kNoIndex); }
  JsonPath element(std::size_t index) const { return JsonPath(this, {}, index); }
  std::string str() const;

private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  JsonPath(const JsonPath* parent, std::string_view name, std::size_t index)
      : parent_(parent), name_(name), index_(index) {}
  const JsonPath* parent_;
  std::string_view name_;
  std::size_t index_;
};

// A value that does not decode. what() is "<path>: <problem>"; the dispatcher puts the method name in front.
class DecodeError : public std::runtime_error {
public:
  DecodeError(const JsonPath& path, const std::string& problem) : std::runtime_error(path.str() + ": " + problem) {}
};

} // namespace regbridge::protocol
