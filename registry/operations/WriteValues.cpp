// writeValue, compareAndSetValue, deleteValue.
#include "registry/Operations.h"
#include "registry/ValueCodec.h"

namespace regbridge {

Empty WriteValue::run(Backend& backend, const Params& params) {
  // Encoded first: before touching the store, so that bad data never leaves a half-made key behind, and before the
  // path, so that a call with both wrong fails alike in both placements (the pipe client checks the data's kind
  // before it sends anything).
  std::vector<std::uint8_t> bytes = encodeValue(params.value, params.key, params.name);
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  validateValueName(params.name, params.key);
  backend.writeValue(path, params.name, params.value.type.code, bytes);
  return {};
}

Empty CompareAndSetValue::run(Backend& backend, const Params& params) {
  // Both values checked first, in argument order, as writeValue checks its value: before the store is touched and
  // before the path, as the pipe client checks them before it sends anything.
  ExpectedValue expected;
  std::vector<std::uint8_t> expectedBytes;
  if (params.expected) {
    expectedBytes = encodeValue(*params.expected, params.key, params.name, ValueRole::Expected);
    expected.matches = [&](std::uint32_t type, std::span<const std::uint8_t> bytes) {
      return storedValueMatches(*params.expected, expectedBytes, type, bytes);
    };
  }
  std::vector<std::uint8_t> bytes = encodeValue(params.value, params.key, params.name);
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  validateValueName(params.name, params.key);
  backend.compareAndSetValue(path, params.name, expected, params.value.type.code, bytes);
  return {};
}

Empty DeleteValue::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  validateValueName(params.name, params.key);
  backend.deleteValue(path, params.name);
  return {};
}

} // namespace regbridge
