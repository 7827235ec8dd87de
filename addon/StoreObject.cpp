#include "addon/StoreObject.h"

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "addon/CallQueue.h"
#include "addon/Errors.h"
#include "addon/Marshal.h"
#include "registry/Operations.h"

namespace regbridge::addon {

// Owned by the store's handle (an External): it goes when the handle is collected.
struct StoreState {
  // Tells a handle openStore made from an External some other code made, which the store functions refuse.
  static constexpr std::uint64_t kTag = 0x7265676272696467; // "regbridg"
  std::uint64_t tag = kTag;
  std::shared_ptr<Backend> backend;   // null once closed; shared with the async calls in flight
  AddonState* addon;                  // null once the environment is torn down
  napi_ref mapError = nullptr;        // the client's error mapper (openStore's second argument), or null
  std::uint32_t* valueInfo = nullptr; // the environment's `valueInfo` (AddonState)
  BytePool bytePool;                  // readValueData's small byte values
  // The asynchronous calls not answered at once; shared with the work item running them, which may outlive the store.
  std::shared_ptr<CallQueue> queue = std::make_shared<CallQueue>();
};

AddonState::~AddonState() {
  for (StoreState* store : stores_) {
    store->backend.reset();
    store->addon = nullptr;
  }
}

namespace {

// Enough for every params struct after the store handle: one more than the longest field list, to notice extra
// arguments.
constexpr std::size_t kMaxArgs = 9;

// The store of a handle openStore made, or null for any other value.
StoreState* storeOf(napi_env env, napi_value handle) noexcept {
  void* data = nullptr;
  if (!handle || napi_get_value_external(env, handle, &data) != napi_ok || !data) return nullptr;
  auto* store = static_cast<StoreState*>(data);
  return store->tag == StoreState::kTag ? store : nullptr;
}

// A call's store (its first argument) and the operation's positional arguments after it, read with one
// napi_get_cb_info.
struct Call {
  napi_env env;
  std::size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  StoreState* store = nullptr;

  Call(napi_env env, napi_callback_info info) : env(env) {
    check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
    store = storeOf(env, argc > 0 ? argv[0] : nullptr);
    if (!store)
      throw Napi::TypeError::New(env, "regbridge addon: a store function's first argument is the handle openStore "
                                      "returned");
  }

  template <class Op> void readParams(typename Op::Params& params) const {
    static_assert(std::tuple_size_v<std::remove_const_t<decltype(fieldsOf<typename Op::Params>())>> + 1 < kMaxArgs,
                  "raise kMaxArgs");
    paramsFromArgs(env, argc - 1, argv + 1, Op::method, params);
  }
};

// A call's params. A read's are this thread's, reused from call to call: their strings keep their capacity, so that
// reading the arguments allocates nothing once warm (two allocations were a tenth of a readStringValueSync). Not a
// write's, whose value may be large and is not worth keeping. A call that finds them taken (a getter calling back
// into the store while arguments are read) gets its own.
template <class Op> class ParamsFor {
  using Params = typename Op::Params;
  struct Reused {
    Params params;
    bool taken = false;
  };
  static Reused& reused() {
    thread_local Reused slot;
    return slot;
  }

public:
  ParamsFor() {
    if constexpr (!Op::mutates) {
      Reused& slot = reused(); // a thread_local: looked up once, here
      if (!slot.taken) {
        slot.taken = true;
        slot_ = &slot;
        params_ = &slot.params;
        return;
      }
    }
    params_ = &own_.emplace();
  }
  ~ParamsFor() {
    if (slot_) slot_->taken = false;
  }
  ParamsFor(const ParamsFor&) = delete;
  ParamsFor& operator=(const ParamsFor&) = delete;
  Params& operator*() { return *params_; }

private:
  Params* params_;
  Reused* slot_ = nullptr; // the reused params, when these are they
  std::optional<Params> own_;
};

// A read of one stored value, made a JS value from the stored bytes under the backend's read lock (Operations.h,
// Visitable): no copy of the bytes and no UTF-8 string on the way.
template <class Op> struct Visit {
  const typename Op::Params* params;
  JsValueOut out;
  std::uint32_t type = 0;
  bool decoded = false;

  static void use(void* context, std::uint32_t type, std::span<const std::uint8_t> bytes) {
    auto& visit = *static_cast<Visit*>(context);
    visit.type = type;
    visit.decoded = Op::decode(*visit.params, type, bytes, visit.out);
  }
};

// readValue's data alone, its type code (and where small bytes lie in the store's byte pool) written to the store's
// `valueInfo`, which the client reads at once and builds the { type, data } object from in JS: an object literal there
// costs a fraction of napi_create_object and two napi_set_named_property calls, which were most of a readValueSync. A
// call that goes to a worker thread resolves with the whole value, as readValue does (StoreObject.h).
template <class Op> struct DataOnly : Op {};
template <class Op> struct IsDataOnly : std::false_type {};
template <class Op> struct IsDataOnly<DataOnly<Op>> : std::true_type {};

template <class Op>
napi_value visitToJs(napi_env env, Backend& backend, const typename Op::Params& params, StoreState& store) {
  Visit<Op> visit{&params, {env}};
  if constexpr (IsDataOnly<Op>::value) visit.out.pool = &store.bytePool;
  Op::visit(backend, params, &Visit<Op>::use, &visit);
  if (!visit.decoded) {
    if constexpr (requires { Op::refuse(params, visit.type); }) Op::refuse(params, visit.type);
    throw std::logic_error("a value read returned nothing");
  }
  napi_value data = visit.out.result();
  if constexpr (IsDataOnly<Op>::value) {
    store.valueInfo[0] = visit.type;
    store.valueInfo[1] = visit.out.pooled;
    store.valueInfo[2] = visit.out.poolOffset;
    store.valueInfo[3] = visit.out.bytesLength;
    return data;
  } else if constexpr (std::is_same_v<typename Op::Result, RegValue>) {
    napi_value object;
    check(env, napi_create_object(env, &object));
    check(env, napi_set_named_property(env, object, "type", valueTypeToJs(env, {visit.type})));
    check(env, napi_set_named_property(env, object, "data", data));
    return object;
  } else {
    return data;
  }
}

// The operation's result as a JS value: built from the stored bytes for a read of one value, else from Op::run.
template <class Op>
napi_value runToJs(napi_env env, Backend& backend, const typename Op::Params& params, StoreState& store) {
  if constexpr (Visitable<Op>) {
    return visitToJs<Op>(env, backend, params, store);
  } else if constexpr (std::is_same_v<typename Op::Result, Empty>) {
    Op::run(backend, params);
    return undefinedJs(env);
  } else {
    return toJs(env, Op::run(backend, params));
  }
}

// Throws `error` passed through the store's error mapper (Errors.h), so that everything a store function throws is
// mapped and the client can call them without a handler of its own. Only failures come here: reading the call's
// store handle again is no cost worth saving. A call without a valid handle has no mapper.
void throwMapped(napi_env env, napi_callback_info info, napi_value error) noexcept {
  std::size_t argc = 1;
  napi_value handle = nullptr;
  napi_value mapError = nullptr;
  if (napi_get_cb_info(env, info, &argc, &handle, nullptr, nullptr) == napi_ok && argc > 0) {
    if (StoreState* store = storeOf(env, handle))
      if (store->mapError && napi_get_reference_value(env, store->mapError, &mapError) != napi_ok) mapError = nullptr;
  }
  napi_throw(env, mapJsError(env, mapError, error));
}

// What node-addon-api's wrappers do around a callback: a Napi::Error becomes the pending JS exception; and it is
// mapped on the way.
template <class Body> napi_value guarded(napi_env env, napi_callback_info info, Body&& body) noexcept {
  try {
    return body();
  } catch (const Napi::Error& error) {
    // Raw napi calls: ThrowAsJavaScriptException may itself throw, and nothing may leave this function.
    napi_value value = nullptr;
    try {
      value = error.Value();
    } catch (...) {}
    if (value) throwMapped(env, info, value);
  } catch (...) {
    // Core errors were captured into an ErrorInfo already; this is what is left (bad_alloc building a message).
    napi_value code = nullptr;
    napi_value message = nullptr;
    napi_value internal = nullptr;
    if (napi_create_string_utf8(env, "ERR_INTERNAL", NAPI_AUTO_LENGTH, &code) == napi_ok &&
        napi_create_string_utf8(env, "internal error in the regbridge addon", NAPI_AUTO_LENGTH, &message) == napi_ok &&
        napi_create_error(env, code, message, &internal) == napi_ok)
      throwMapped(env, info, internal);
  }
  return nullptr;
}

// A promise rejected already; its reactions still run only after the caller's code, as promises do.
napi_value rejected(napi_env env, napi_value reason) {
  napi_deferred deferred;
  napi_value promise;
  check(env, napi_create_promise(env, &deferred, &promise));
  check(env, napi_reject_deferred(env, deferred, reason));
  return promise;
}

// The store's error mapper, or null; only errors need it.
napi_value mapperOf(napi_env env, const StoreState& store) {
  napi_value mapError = nullptr;
  if (store.mapError) check(env, napi_get_reference_value(env, store.mapError, &mapError));
  return mapError;
}

template <class Op> napi_value callSync(napi_env env, napi_callback_info info) noexcept {
  return guarded(env, info, [&]() -> napi_value {
    Call call(env, info);
    Backend* backend = call.store->backend.get();
    if (!backend) throw toJsError(Napi::Env(env), ErrorInfo::closed(Op::method));
    napi_value result = nullptr;
    ParamsFor<Op> params;
    std::optional<ErrorInfo> error = captureErrors([&] {
      call.readParams<Op>(*params);
      result = runToJs<Op>(env, *backend, *params, *call.store);
    });
    if (error) throw toJsError(Napi::Env(env), *error); // mapped in guarded
    return result;
  });
}

template <class Op> napi_value callAsync(napi_env env, napi_callback_info info) noexcept {
  return guarded(env, info, [&]() -> napi_value {
    Call call(env, info);
    // Every rejection goes through the mapper, the exception of a throwing getter too, as the client's own handler
    // on the promise did.
    auto reject = [&](napi_value error) { return rejected(env, mapJsError(env, mapperOf(env, *call.store), error)); };
    if (!call.store->backend) return reject(toJsError(Napi::Env(env), ErrorInfo::closed(Op::method)).Value());
    ParamsFor<Op> params;
    // Initialised from captureErrors, not assigned: assigning the optional ErrorInfo (144 bytes) zeroed a temporary
    // with `rep stos` on every call, a tenth of this function's time.
    napi_value getterError = nullptr;
    std::optional<ErrorInfo> error = captureErrors([&] {
      try {
        call.readParams<Op>(*params);
      } catch (const Napi::Error& jsError) {
        getterError = jsError.Value(); // a JS exception while reading the arguments (a throwing getter)
      }
    });
    if (getterError) return reject(getterError);
    if (error) return reject(toJsError(Napi::Env(env), *error).Value());
    if constexpr (!Op::mutates) {
      // Behind calls still in the store's queue, a read waits its turn there: answered here, it would overtake them
      // and miss what the writes among them write.
      if (call.store->queue->idle()) {
        // A read the backend can answer from memory is answered here: the hop to the thread pool and back costs
        // ~30 us, the read ~0.2 us. Inside the scope the backend throws WouldBlock instead of touching the disk;
        // then the read is queued as writes are. The answer is the result itself (StoreObject.h).
        napi_value result = nullptr;
        bool blocked = false;
        std::optional<ErrorInfo> failure = captureErrors([&] {
          NoBlockingScope scope;
          try {
            result = runToJs<Op>(env, *call.store->backend, *params, *call.store);
          } catch (const WouldBlock&) {
            blocked = true;
          }
        });
        if (failure) return reject(toJsError(Napi::Env(env), *failure).Value());
        if (!blocked) return result;
      }
    }
    // Queued, reads that touch the disk too: run beside the queue, such a read (a first load) could finish after a
    // write made later and see it. Writes run as groups that share one save (CallQueue.h). Moved, not copied: a
    // write's value may be large; a read's reused params are assigned whole by the next call.
    auto [queued, promise] =
        QueuedOperation<Op>::make(env, call.store->backend, std::move(*params), mapperOf(env, *call.store));
    call.store->queue->push(env, std::move(queued));
    return promise;
  });
}

napi_value close(napi_env env, napi_callback_info info) noexcept {
  return guarded(env, info, [&]() -> napi_value {
    Call call(env, info);
    call.store->backend.reset(); // calls in flight keep their own reference and finish
    return undefinedJs(env);
  });
}

void releaseStore(napi_env env, void* data, void*) {
  auto* store = static_cast<StoreState*>(data);
  if (store->addon) store->addon->remove(store);
  if (store->mapError) napi_delete_reference(env, store->mapError);
  store->bytePool.release(env);
  store->tag = 0;
  delete store;
}

} // namespace

Napi::Object makeStoreFunctions(Napi::Env env, AddonState& addon) {
  std::vector<std::string> names; // napi_define_properties copies them; they only have to outlive this function
  std::vector<napi_value> values;
  auto add = [&](std::string name, napi_callback callback) {
    napi_value function;
    check(env, napi_create_function(env, name.data(), name.size(), callback, nullptr, &function));
    names.push_back(std::move(name));
    values.push_back(function);
  };
  names.reserve(2 * std::tuple_size_v<Operations> + 4);
  std::apply(
      [&](auto... op) {
        auto addOperation = [&](auto descriptor) {
          using Op = decltype(descriptor);
          add(std::string(Op::method) + "Sync", &callSync<Op>);
          add(std::string(Op::method), &callAsync<Op>);
        };
        (addOperation(op), ...);
      },
      Operations{});
  add("close", &close);
  add("readValueDataSync", &callSync<DataOnly<ReadValue>>);
  add("readValueData", &callAsync<DataOnly<ReadValue>>);

  napi_value buffer;
  void* slot = nullptr;
  check(env, napi_create_arraybuffer(env, 4 * sizeof(std::uint32_t), &slot, &buffer));
  napi_value valueInfo;
  check(env, napi_create_typedarray(env, napi_uint32_array, 4, buffer, 0, &valueInfo));
  // Held for the environment's life: the stores write into its memory.
  napi_ref held;
  check(env, napi_create_reference(env, valueInfo, 1, &held));
  addon.setValueInfo(static_cast<std::uint32_t*>(slot));
  names.push_back("valueInfo");
  values.push_back(valueInfo);

  std::vector<napi_property_descriptor> properties(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    properties[i].utf8name = names[i].c_str();
    properties[i].value = values[i];
    properties[i].attributes = napi_enumerable; // read-only: the functions cannot be swapped
  }
  napi_value object;
  check(env, napi_create_object(env, &object));
  check(env, napi_define_properties(env, object, properties.size(), properties.data()));
  return Napi::Object(env, object);
}

Napi::Value makeStore(Napi::Env env, AddonState& addon, std::unique_ptr<Backend> backend, napi_value mapError) {
  auto store = std::make_unique<StoreState>();
  store->backend = std::move(backend);
  store->addon = &addon;
  store->valueInfo = addon.valueInfo();
  if (mapError) check(env, napi_create_reference(env, mapError, 1, &store->mapError));
  napi_value handle;
  napi_status status = napi_create_external(env, store.get(), &releaseStore, nullptr, &handle);
  if (status != napi_ok) {
    if (store->mapError) napi_delete_reference(env, store->mapError);
    check(env, status);
  }
  addon.add(store.get());
  store.release(); // the handle owns it now (releaseStore)
  return Napi::Value(env, handle);
}

} // namespace regbridge::addon
