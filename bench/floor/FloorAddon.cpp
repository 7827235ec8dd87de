// The floors the benchmark compares regbridge's in-process calls with, built with the addon's own flags:
//   noop()                 a bare N-API call, no arguments;
//   get(key, name)         two strings in, a hash-map lookup, a string out (what an in-process registry read is at
//                          the very least);
//   set(key, name, value)  fills that map;
//   writeAndRename(dir, bytes)  writes a file of that size to a temporary name in `dir` and renames it over
//                          `dir/floor.reg` — the syscalls a hive store write cannot avoid (no fsync, as the store).
//   writeBytesAndRename(dir, bytes)  the same with the bytes of a Uint8Array (a hive file's text, read before).
//   evict(file)            drops the file's clean pages from the page cache (posix_fadvise DONTNEED), so that a
//                          "cold" start reads the helper binary and the hives from disk again; best effort (pages
//                          mapped by a running process stay; Windows offers no such call), returns whether the call
//                          succeeded.
// The file calls are per platform: FileFloor.h, with posix/ and win/ implementations.
// Plain N-API rather than node-addon-api: the floor must not carry a wrapper's costs.
#include <node_api.h>

#include <string>
#include <unordered_map>

#include "bench/floor/FileFloor.h"

namespace {

struct Floor {
  std::unordered_map<std::string, std::string> table;
};

bool readString(napi_env env, napi_value value, std::string& out) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) return false;
  out.resize(length);
  return napi_get_value_string_utf8(env, value, out.data(), length + 1, &length) == napi_ok;
}

Floor& floorOf(napi_env env, napi_callback_info info, size_t& argc, napi_value* argv) {
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, argv, nullptr, &data);
  return *static_cast<Floor*>(data);
}

napi_value noop(napi_env, napi_callback_info) { return nullptr; }

napi_value get(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  Floor& floor = floorOf(env, info, argc, argv);
  // Stack buffers and one key string: the least a two-string lookup can do, so the floor is a hard one to meet.
  char key[512];
  size_t keyLength = 0, nameLength = 0;
  napi_get_value_string_utf8(env, argv[0], key, 256, &keyLength);
  key[keyLength] = '\0';
  napi_get_value_string_utf8(env, argv[1], key + keyLength + 1, 256, &nameLength);
  thread_local std::string lookup;
  lookup.assign(key, keyLength + 1 + nameLength);
  napi_value result;
  auto it = floor.table.find(lookup);
  if (it == floor.table.end()) {
    napi_get_undefined(env, &result);
  } else {
    napi_create_string_utf8(env, it->second.data(), it->second.size(), &result);
  }
  return result;
}

napi_value set(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  Floor& floor = floorOf(env, info, argc, argv);
  std::string key, name, value;
  readString(env, argv[0], key);
  readString(env, argv[1], name);
  readString(env, argv[2], value);
  key.push_back('\0');
  key += name;
  floor.table[key] = value;
  return nullptr;
}

napi_value writeAndRename(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  floorOf(env, info, argc, argv);
  std::string dir;
  readString(env, argv[0], dir);
  int64_t size = 0;
  napi_get_value_int64(env, argv[1], &size);
  if (!regbridge::bench::writeAndRename(dir, static_cast<size_t>(size)))
    napi_throw_error(env, nullptr, "writeAndRename failed");
  return nullptr;
}

napi_value writeBytesAndRename(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  floorOf(env, info, argc, argv);
  std::string dir;
  readString(env, argv[0], dir);
  napi_typedarray_type type = napi_int8_array;
  void* data = nullptr;
  size_t size = 0;
  if (napi_get_typedarray_info(env, argv[1], &type, &size, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, nullptr, "writeBytesAndRename: bytes must be a Uint8Array");
    return nullptr;
  }
  if (!regbridge::bench::writeAndRename(dir, static_cast<const char*>(data), size))
    napi_throw_error(env, nullptr, "writeBytesAndRename failed");
  return nullptr;
}

napi_value evict(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  floorOf(env, info, argc, argv);
  std::string file;
  readString(env, argv[0], file);
  napi_value result;
  napi_get_boolean(env, regbridge::bench::evict(file), &result);
  return result;
}

void define(napi_env env, napi_value exports, const char* name, napi_callback callback, Floor* floor) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, floor, &fn);
  napi_set_named_property(env, exports, name, fn);
}

} // namespace

NAPI_MODULE_INIT() {
  auto* floor = new Floor();
  napi_set_instance_data(
      env, floor, [](napi_env, void* data, void*) { delete static_cast<Floor*>(data); }, nullptr);
  define(env, exports, "noop", noop, floor);
  define(env, exports, "get", get, floor);
  define(env, exports, "set", set, floor);
  define(env, exports, "writeAndRename", writeAndRename, floor);
  define(env, exports, "writeBytesAndRename", writeBytesAndRename, floor);
  define(env, exports, "evict", evict, floor);
  return exports;
}
