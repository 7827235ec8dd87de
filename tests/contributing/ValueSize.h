// A made-up operation, added to the handler table only by the build of tests/contributing/
// (REGBRIDGE_EXTRA_OPERATIONS): it is what CONTRIBUTING.md's walk-through writes, in one file, so that the test can
// prove the walk-through's promise — a params struct with its field list, a function and one table line reach both
// modes and the TypeScript types with nothing else written. Registry/Operations.h includes this file after its own
// declarations, outside any namespace.
#pragma once

namespace regbridge {

struct ValueSizeParams {
  std::string key;
  std::string name;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const ValueSizeParams*) {
  return std::tuple{field("key", &ValueSizeParams::key), field("name", &ValueSizeParams::name),
                    field("view", &ValueSizeParams::view)};
}

struct ValueSize {
  static constexpr std::string_view method = "valueSize";
  static constexpr std::string_view doc = "The size of a value's stored data, in bytes.";
  static constexpr bool mutates = false;
  using Params = ValueSizeParams;
  using Result = std::uint32_t;
  static Result run(Backend& backend, const Params& params) {
    KeyPath path = KeyPath::parse(params.key);
    path.view = params.view;
    return static_cast<std::uint32_t>(backend.readValue(path, params.name, {}).data.size());
  }
};

using ExtraOperations = std::tuple<ValueSize>;

} // namespace regbridge
