// The addon's entry point: `version`, `openStore(prefix)` and the store functions (`store`, StoreObject.h). All state
// lives in one per-environment object, so the addon loads in several worker_threads at once; Node deletes it when the
// environment is torn down.
#include <napi.h>

#include "addon/Errors.h"
#include "addon/Marshal.h"
#include "addon/StoreObject.h"
#include "registry/Backend.h"
#include "registry/Operations.h"

namespace regbridge::addon {

namespace {

// openStore(prefix: string, mapError?: (error) => unknown): the handle of a store over the backend for that prefix
// ('' selects the default prefix), for the store functions. Every error the store throws or rejects with is passed
// through mapError first (Errors.h).
Napi::Value openStore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::unique_ptr<Backend> backend;
  napi_value mapError = nullptr;
  std::optional<ErrorInfo> error = captureErrors([&] {
    if (!info[1].IsUndefined()) {
      if (!info[1].IsFunction())
        throwInvalidArgument(env, ArgContext{"openStore", 1, "mapError"}, "a function or undefined", info[1]);
      mapError = info[1];
    }
    BackendOptions options;
    options.prefix = stringFromJs(env, info[0], ArgContext{"openStore", 0, "prefix"});
    backend = openBackend(options);
  });
  if (error) throw toJsError(env, *error, mapError);
  return makeStore(env, *env.GetInstanceData<AddonState>(), std::move(backend), mapError);
}

// { method: [param names in argument order] } for every operation of the handler table, so that the TypeScript
// client can check at test time that its copy of the table (transport/Transport.ts) has not drifted.
Napi::Object operationsTable(Napi::Env env) {
  Napi::Object table = Napi::Object::New(env);
  std::apply(
      [&](auto... op) {
        auto add = [&](auto descriptor) {
          using Op = decltype(descriptor);
          Napi::Array names = Napi::Array::New(env);
          std::apply([&](auto... field) { (names.Set(names.Length(), std::string(field.name)), ...); },
                     fieldsOf<typename Op::Params>());
          table.Set(std::string(Op::method), names);
        };
        (add(op), ...);
      },
      Operations{});
  return table;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* addon = new AddonState();
  env.SetInstanceData(addon); // deleted by Node when this environment is torn down
  exports.Set("version", Napi::String::New(env, REGBRIDGE_VERSION));
  exports.Set("store", makeStoreFunctions(env, *addon));
  exports.Set("openStore", Napi::Function::New<openStore>(env, "openStore"));
  exports.Set("operations", operationsTable(env));
  return exports;
}

} // namespace

} // namespace regbridge::addon

NAPI_MODULE_INIT() { return Napi::RegisterModule(env, exports, regbridge::addon::init); }
