// Method name -> (Backend&, JSON params) -> JSON result, built from the handler table with no per-method code:
// one generic wrapper (callOperation<Op>) is instantiated for every operation of `Operations`.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "protocol/JsonCodec.h"
#include "protocol/JsonWrite.h"
#include "protocol/RpcError.h"
#include "registry/Backend.h"
#include "registry/Operations.h"

namespace regbridge::protocol {

struct OperationEntry {
  std::string_view method;
  bool mutates;
  // Throws RpcError (-32602) for params that do not decode; RegistryError from the operation passes through.
  nlohmann::ordered_json (*call)(Backend& backend, const nlohmann::ordered_json& params);
  // As call, with the result appended to `out` as JSON text (JsonWrite.h), the same text as appendJsonWtf8 of
  // call's. Nothing is written when `abandoned` is set by the time the operation returns: nobody will read it.
  void (*write)(Backend& backend, const nlohmann::ordered_json& params, std::string& out,
                const std::atomic<bool>* abandoned);
};

template <class Op> typename Op::Params decodeParams(const nlohmann::ordered_json& params) {
  typename Op::Params decoded{};
  if (params.is_array())
    throw invalidParams(std::string(Op::method) + ": params must be an object (by-name), not an array");
  try {
    fromJson(params, decoded, JsonPath::root("params"));
  } catch (const DecodeError& e) {
    throw invalidParams(std::string(Op::method) + ": " + e.what());
  }
  return decoded;
}

template <class Op> nlohmann::ordered_json callOperation(Backend& backend, const nlohmann::ordered_json& params) {
  return toJson(Op::run(backend, decodeParams<Op>(params)));
}

template <class Op>
void writeOperation(Backend& backend, const nlohmann::ordered_json& params, std::string& out,
                    const std::atomic<bool>* abandoned) {
  auto result = Op::run(backend, decodeParams<Op>(params));
  if (abandoned && abandoned->load()) return;
  appendJson(out, result);
}

template <class Ops> class BasicDispatcher {
public:
  static constexpr std::size_t kSize = std::tuple_size_v<Ops>;

  // Nullptr for a name that is not in the table. A linear scan: for a dozen short names it is as fast as a hash and
  // keeps the table constexpr.
  static const OperationEntry* find(std::string_view method) {
    for (const auto& entry : kTable)
      if (entry.method == method) return &entry;
    return nullptr;
  }
  static std::span<const OperationEntry> operations() { return kTable; }

private:
  template <std::size_t... I> static constexpr std::array<OperationEntry, kSize> build(std::index_sequence<I...>) {
    return {OperationEntry{std::tuple_element_t<I, Ops>::method, std::tuple_element_t<I, Ops>::mutates,
                           &callOperation<std::tuple_element_t<I, Ops>>,
                           &writeOperation<std::tuple_element_t<I, Ops>>}...};
  }
  static constexpr std::array<OperationEntry, kSize> kTable = build(std::make_index_sequence<kSize>{});
};

using Dispatcher = BasicDispatcher<Operations>;

} // namespace regbridge::protocol
