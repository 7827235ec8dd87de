// readStringValue, readValue, listValues: stored bytes decoded by the shared codec.
#include "registry/Error.h"
#include "registry/Operations.h"
#include "registry/ValueCodec.h"

namespace regbridge {

std::string ReadStringValue::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  validateValueName(params.name, params.key);
  RawValue raw = backend.readValue(path, params.name, {});
  if (raw.type != REG_SZ && raw.type != REG_EXPAND_SZ) {
    auto name = valueTypeName(raw.type);
    throw RegistryError(ErrorCode::WrongType,
                        "value '" + params.name + "' of key '" + params.key + "' is " +
                            (name.empty() ? "of type " + std::to_string(raw.type) : std::string(name)) +
                            ", not REG_SZ or REG_EXPAND_SZ; use readValue",
                        params.key, params.name);
  }
  ValueData data = decodeValue(raw.type, raw.data);
  if (auto* text = std::get_if<std::string>(&data)) return std::move(*text);
  throw RegistryError(ErrorCode::WrongType,
                      "value '" + params.name + "' of key '" + params.key +
                          "' is not a well-formed UTF-16 string; use readValue for its bytes",
                      params.key, params.name);
}

RegValue ReadValue::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  validateValueName(params.name, params.key);
  RawValue raw = backend.readValue(path, params.name, {params.openLink});
  if (params.raw) return {{raw.type}, Bytes{std::move(raw.data)}};
  return {{raw.type}, decodeValue(raw.type, raw.data)};
}

std::vector<NamedValue> ListValues::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  std::vector<NamedValue> out;
  auto values = backend.listValues(path, {params.openLink});
  out.reserve(values.size());
  for (auto& v : values) {
    if (params.raw)
      out.push_back({std::move(v.name), {v.type}, Bytes{std::move(v.data)}});
    else
      out.push_back({std::move(v.name), {v.type}, decodeValue(v.type, v.data)});
  }
  return out;
}

} // namespace regbridge
