#include "addon/StoreObject.h"

#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "addon/AsyncCall.h"
#include "addon/Errors.h"
#include "addon/Marshal.h"
#include "registry/Operations.h"

namespace regbridge::addon {

namespace {

// Enough for every params struct: one more than the longest field list, to notice extra arguments.
constexpr std::size_t kMaxArgs = 8;

// A call's receiver and positional arguments, read with one napi_get_cb_info.
struct Call {
  napi_env env;
  std::size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  napi_value self = nullptr;

  Call(napi_env env, napi_callback_info info) : env(env) {
    check(env, napi_get_cb_info(env, info, &argc, argv, &self, nullptr));
  }

  // The Store behind `this`; a JS Error when the method was detached from its Store.
  StoreObject& store(std::string_view method) const {
    void* wrapped = nullptr;
    if (napi_unwrap(env, self, &wrapped) != napi_ok || !wrapped)
      throw toJsError(Napi::Env(env), {"ERR_INVALID_ARGUMENT",
                                       std::string(method) + " must be called on a Store object",
                                       {},
                                       std::nullopt});
    return *static_cast<StoreObject*>(wrapped); // what ObjectWrap wraps, and how its Unwrap casts

  }

  template <class Op> typename Op::Params params() const {
    static_assert(std::tuple_size_v<std::remove_const_t<decltype(fieldsOf<typename Op::Params>())>> < kMaxArgs,
                  "raise kMaxArgs");
    return paramsFromArgs<typename Op::Params>(env, argc, argv, Op::method);
  }
};

// What node-addon-api's wrappers do around a callback: a Napi::Error becomes the pending JS exception.
template <class Body> napi_value guarded(napi_env env, Body&& body) noexcept {
  try {
    return body();
  } catch (const Napi::Error& error) {
    error.ThrowAsJavaScriptException();
  } catch (...) {
    // Only Napi::Error can get here (everything else is captured into an ErrorInfo first); never let it escape.
    napi_throw_error(env, "ERR_INTERNAL", "internal error in the regbridge addon");
  }
  return nullptr;
}

napi_value rejected(Napi::Env env, Napi::Value reason) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(reason);
  return deferred.Promise();
}

} // namespace

StoreObject::StoreObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<StoreObject>(info) {}

template <class Op> napi_value StoreObject::callSync(napi_env env, napi_callback_info info) noexcept {
  return guarded(env, [&]() -> napi_value {
    static const std::string name = std::string(Op::method) + "Sync";
    Call call(env, info);
    StoreObject& self = call.store(name);
    if (!self.backend_) throw toJsError(Napi::Env(env), ErrorInfo::closed(name));
    napi_value result = nullptr;
    std::optional<ErrorInfo> error = captureErrors([&] {
      auto params = call.params<Op>();
      if constexpr (std::is_same_v<typename Op::Result, Empty>) {
        Op::run(*self.backend_, params);
        result = undefinedJs(env);
      } else {
        result = toJs(env, Op::run(*self.backend_, params));
      }
    });
    if (error) throw toJsError(Napi::Env(env), *error);
    return result;
  });
}

template <class Op> napi_value StoreObject::callAsync(napi_env env, napi_callback_info info) noexcept {
  return guarded(env, [&]() -> napi_value {
    Napi::Env jsEnv(env);
    Call call(env, info);
    StoreObject* self = nullptr;
    try {
      self = &call.store(Op::method);
    } catch (const Napi::Error& error) {
      return rejected(jsEnv, error.Value());
    }
    if (!self->backend_) return rejected(jsEnv, toJsError(jsEnv, ErrorInfo::closed(Op::method)).Value());
    std::optional<typename Op::Params> params;
    std::optional<ErrorInfo> error;
    try {
      error = captureErrors([&] { params.emplace(call.params<Op>()); });
    } catch (const Napi::Error& jsError) {
      return rejected(jsEnv, jsError.Value()); // a JS exception while reading the arguments (a throwing getter)
    }
    if (error) return rejected(jsEnv, toJsError(jsEnv, *error).Value());
    return AsyncCall<Op>::start(env, call.self, self->backend_, std::move(*params));
  });
}

Napi::Value StoreObject::close(const Napi::CallbackInfo& info) {
  backend_.reset(); // work in flight keeps its own reference and finishes
  return info.Env().Undefined();
}

namespace {
napi_property_descriptor method(const char* name, napi_callback callback) {
  napi_property_descriptor descriptor{};
  descriptor.utf8name = name;
  descriptor.method = callback;
  descriptor.attributes = napi_default_method;
  return descriptor;
}
} // namespace

Napi::Function StoreObject::defineClass(Napi::Env env) {
  // napi_define_class copies the names; they only have to outlive this function.
  std::vector<std::string> names;
  names.reserve(2 * std::tuple_size_v<Operations>);
  std::vector<Napi::ClassPropertyDescriptor<StoreObject>> properties;
  std::apply(
      [&](auto... op) {
        auto add = [&](auto descriptor) {
          using Op = decltype(descriptor);
          names.push_back(std::string(Op::method) + "Sync");
          properties.push_back(method(names.back().c_str(), &StoreObject::callSync<Op>));
          names.push_back(std::string(Op::method));
          properties.push_back(method(names.back().c_str(), &StoreObject::callAsync<Op>));
        };
        (add(op), ...);
      },
      Operations{});
  properties.push_back(InstanceMethod<&StoreObject::close>("close"));
  return DefineClass(env, "Store", properties);
}

} // namespace regbridge::addon
