// The JS Store class: one opened backend, and for every operation of the handler table a synchronous
// `<method>Sync(...)` and a promise-returning `<method>(...)`, plus close(). Instances come from openStore().
#pragma once

#include <napi.h>

#include <memory>

#include "registry/Backend.h"

namespace regbridge::addon {

class StoreObject : public Napi::ObjectWrap<StoreObject> {
public:
  static Napi::Function defineClass(Napi::Env env);

  // Never throws: a Store made with `new` from JS has no backend and answers ERR_CLOSED. openStore() attaches one.
  explicit StoreObject(const Napi::CallbackInfo& info);

  void attach(std::unique_ptr<Backend> backend) { backend_ = std::move(backend); }

  // Raw napi callbacks rather than node-addon-api's InstanceMethod: that wrapper builds a CallbackInfo and a
  // second copy of the arguments on every call, which shows on the synchronous fast path.
  template <class Op> static napi_value callSync(napi_env env, napi_callback_info info) noexcept;
  template <class Op> static napi_value callAsync(napi_env env, napi_callback_info info) noexcept;
  Napi::Value close(const Napi::CallbackInfo& info);

private:
  // Shared with the async work in flight, which keeps the backend until it ends even if close() runs meanwhile.
  std::shared_ptr<Backend> backend_;
};

} // namespace regbridge::addon
