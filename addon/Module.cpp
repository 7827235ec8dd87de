// The addon's entry point: `version` and `openStore(prefix)`. All state lives in one per-environment object, so the
// addon loads in several worker_threads at once; Node deletes it when the environment is torn down.
#include <napi.h>

#include "addon/Errors.h"
#include "addon/Marshal.h"
#include "addon/StoreObject.h"
#include "registry/Backend.h"

namespace regbridge::addon {

namespace {

// openStore(prefix: string): a Store over the backend for that prefix ('' selects the default prefix).
Napi::Value openStore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::unique_ptr<Backend> backend;
  std::optional<ErrorInfo> error = captureErrors([&] {
    BackendOptions options;
    options.prefix = stringFromJs(env, info[0], ArgContext{"openStore", 0, "prefix"});
    backend = openBackend(options);
  });
  if (error) throw toJsError(env, *error);
  return makeStoreObject(env, *env.GetInstanceData<AddonState>(), std::move(backend));
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new AddonState()); // deleted by Node when this environment is torn down
  exports.Set("version", Napi::String::New(env, REGBRIDGE_VERSION));
  exports.Set("openStore", Napi::Function::New<openStore>(env, "openStore"));
  return exports;
}

} // namespace

} // namespace regbridge::addon

NAPI_MODULE_INIT() { return Napi::RegisterModule(env, exports, regbridge::addon::init); }
