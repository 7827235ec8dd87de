// readStringValue, readValue, listValues: stored bytes decoded by the shared codec.
#include "registry/Error.h"
#include "registry/Operations.h"
#include "registry/Unicode.h"
#include "registry/ValueCodec.h"
#include "registry/operations/StringReadCache.h"

namespace regbridge {

void ReadStringValue::refuse(const Params& params, std::uint32_t type) {
  if (type != REG_SZ && type != REG_EXPAND_SZ) {
    auto name = valueTypeName(type);
    throw RegistryError(ErrorCode::WrongType,
                        "value '" + params.name + "' of key '" + params.key + "' is " +
                            (name.empty() ? "of type " + std::to_string(type) : std::string(name)) +
                            ", not REG_SZ or REG_EXPAND_SZ; use readValue",
                        params.key, params.name);
  }
  throw RegistryError(ErrorCode::WrongType,
                      "value '" + params.name + "' of key '" + params.key +
                          "' has an odd number of bytes, so it is no UTF-16 string; use readValue for its bytes",
                      params.key, params.name);
}

std::string ReadStringValue::run(Backend& backend, const Params& params) {
  // The version is taken before the read: if the store changes meanwhile, the result is stored under a version
  // that is already gone and never served.
  const std::uint64_t version = backend.servingVersion();
  if (const std::string* cached = StringReadCache::find(version, params.key, params.name, params.view)) return *cached;
  // Decoded in place, under the backend's read lock: no copy of the stored bytes.
  struct Decoded {
    const Params* params;
    std::uint32_t type = REG_NONE;
    std::optional<std::string> result;
    void text(std::span<const std::uint8_t> units) { utf8FromUtf16Le(result.emplace(), units.data(), units.size()); }
  } decoded{&params, REG_NONE, std::nullopt};
  visit(
      backend, params,
      [](void* context, std::uint32_t type, std::span<const std::uint8_t> bytes) {
        auto& out = *static_cast<Decoded*>(context);
        out.type = type;
        decode(*out.params, type, bytes, out);
      },
      &decoded);
  if (!decoded.result) refuse(params, decoded.type);
  StringReadCache::store(version, params.key, params.name, params.view, *decoded.result);
  return std::move(*decoded.result);
}

RegValue ReadValue::run(Backend& backend, const Params& params) {
  // Decoded in place, under the backend's read lock, by the same reading the addon builds its JS values with.
  struct Context {
    const Params* params;
    std::uint32_t type = REG_NONE;
    ValueDataOut out;
  } context{&params, REG_NONE, {}};
  visit(
      backend, params,
      [](void* c, std::uint32_t type, std::span<const std::uint8_t> bytes) {
        auto& context = *static_cast<Context*>(c);
        context.type = type;
        decode(*context.params, type, bytes, context.out);
      },
      &context);
  return {{context.type}, std::move(context.out.data)};
}

std::vector<NamedValue> ListValues::run(Backend& backend, const Params& params) {
  KeyPath path = KeyPath::parse(params.key);
  path.view = params.view;
  std::vector<NamedValue> out;
  auto values = backend.listValues(path, {params.openLink});
  out.reserve(values.size());
  for (auto& v : values) {
    if (params.raw) out.push_back({std::move(v.name), {v.type}, Bytes{std::move(v.data)}});
    else out.push_back({std::move(v.name), {v.type}, decodeValue(v.type, v.data)});
  }
  return out;
}

} // namespace regbridge
