// A store: the handle openStore returns (an External over one opened backend), and the store functions, made once
// per environment and shared by every store: for every operation of the handler table a synchronous
// `<method>Sync(store, ...)` and an asynchronous `<method>(store, ...)`, plus close(store).
//
// Besides, for the client's readValue: `readValueDataSync(store, ...)` and `readValueData(store, ...)` take readValue's
// arguments and return the value's data alone, with `valueInfo` (a Uint32Array beside the functions) saying what it
// is, which the caller reads at once: [0] the type code; [1] 1 when the data is bytes in a shared pool — then the
// returned value is the pool's ArrayBuffer and the bytes are [3] long at offset [2] (Buffer.from(pool, offset,
// length)). When readValueData returns a promise instead, that resolves with the whole value, as readValue's does.
//
// `<method>(...)` returns a promise, except for a read it answers from memory at once: then it returns the result
// itself (no result is ever a promise, so the two cannot be confused), and the client makes the promise in JS —
// Promise.resolve(result) costs a fraction of napi_create_promise + napi_resolve_deferred, which was a third of such
// a call. Errors are always rejections, never thrown, except a failure of the binding itself (a first argument that
// is no store handle among them).
//
// Every error a store function throws or rejects with has passed through the store's error mapper, when openStore
// was given one (Errors.h): the client calls these functions as they are, with no handler of its own.
//
// Why one set of functions with the store as an argument, rather than functions bound to each store (napi callback
// data): with two stores open, a JS call site that calls the same method of either sees two functions, V8's call
// feedback goes megamorphic and the call leaves the direct API-call path (a read took 147 ns instead of 128). And why
// the handle is an argument rather than `this` of an ObjectWrap: unwrapping `this` is a private-symbol property lookup
// in V8 that cost about as much as the rest of a readStringValueSync call's binding work; an External's pointer is
// read directly.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <unordered_set>

#include "registry/Backend.h"

namespace regbridge::addon {

struct StoreState;

// The per-environment state: the stores open in this environment, closed when it is torn down (a worker_thread
// ending), so that their backends release files and locks then and not whenever GC gets to them.
class AddonState {
public:
  ~AddonState();
  void add(StoreState* store) { stores_.insert(store); }
  void remove(StoreState* store) { stores_.erase(store); }
  // The memory of the environment's `valueInfo` (makeStoreFunctions).
  std::uint32_t* valueInfo() const { return valueInfo_; }
  void setValueInfo(std::uint32_t* slots) { valueInfo_ = slots; }

private:
  std::unordered_set<StoreState*> stores_;
  std::uint32_t* valueInfo_ = nullptr;
};

// The store functions of this environment, and its `valueInfo`; made once, before the first store.
Napi::Object makeStoreFunctions(Napi::Env env, AddonState& addon);

// A new store over `backend`: its handle. `mapError` (or null): a JS function its errors are passed through
// (Errors.h).
Napi::Value makeStore(Napi::Env env, AddonState& addon, std::unique_ptr<Backend> backend, napi_value mapError);

} // namespace regbridge::addon
