// The JS store object: one opened backend, and for every operation of the handler table a synchronous
// `<method>Sync(...)` and an asynchronous `<method>(...)`, plus close().
//
// Besides, for the client's readValue: `readValueDataSync(...)` and `readValueData(...)` take readValue's arguments
// and return the value's data alone, with `valueInfo` (a Uint32Array) saying what it is, which the caller reads at
// once: [0] the type code; [1] 1 when the data is bytes in a shared pool — then the returned value is the pool's
// ArrayBuffer and the bytes are [3] long at offset [2] (Buffer.from(pool, offset, length)). When readValueData
// returns a promise instead, that resolves with the whole value, as readValue's does.
//
// `<method>(...)` returns a promise, except for a read it answers from memory at once: then it returns the result
// itself (no result is ever a promise, so the two cannot be confused), and the client makes the promise in JS —
// Promise.resolve(result) costs a fraction of napi_create_promise + napi_resolve_deferred, which was a third of such
// a call. Errors are always rejections, never thrown, except a failure of the binding itself.
//
// Every error a store function throws or rejects with has passed through the store's error mapper, when openStore
// was given one (Errors.h): the client calls these functions as they are, with no handler of its own.
//
// A plain object of functions bound to the native state (napi callback data), not an ObjectWrap class: unwrapping
// `this` is a private-symbol property lookup in V8 that cost about as much as the rest of a readStringValueSync
// call's binding work, and bound functions also work when detached from the object.
#pragma once

#include <napi.h>

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

private:
  std::unordered_set<StoreState*> stores_;
};

// A new store object over `backend`; `mapError` (or null): a JS function its errors are passed through (Errors.h).
Napi::Object makeStoreObject(Napi::Env env, AddonState& addon, std::unique_ptr<Backend> backend, napi_value mapError);

} // namespace regbridge::addon
