// The handler table: every registry operation, declared once. Everything else is derived from it: the addon (addon/)
// and the server (server/) are generic over `Operations`, and the TypeScript client's methods, their types and their
// argument checks are generated from it (tools/ts-spec/). Adding an operation means a params struct with its field
// list, an implementation file in registry/operations/ and one line in the tuple at the bottom; CONTRIBUTING.md walks
// through it.
//
// What the generator reads: `method` and `doc` of each operation; its params' fields (registry/Fields.h) in order,
// where strings and values are positional arguments and booleans and the view are options (an options object in
// TypeScript); each field's documentation by name (registry/FieldDocs.h); the result type.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "registry/Backend.h"
#include "registry/Fields.h"
#include "registry/Value.h"
#include "registry/ValueCodec.h"

namespace regbridge {

// ---- params and results -------------------------------------------------------------------------------------
// Every call that names a key also takes `view` (last, so that positional callers may leave it out): Default, or
// the 64-bit or 32-bit registry view (PROTOCOL.md: 32 or 64 on the wire). The operation puts it in the KeyPath.

struct KeyParams {
  std::string key;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const KeyParams*) {
  return std::tuple{field("key", &KeyParams::key), field("view", &KeyParams::view)};
}

struct KeyOpenParams {
  std::string key;
  bool openLink = false;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const KeyOpenParams*) {
  return std::tuple{field("key", &KeyOpenParams::key), field("openLink", &KeyOpenParams::openLink),
                    field("view", &KeyOpenParams::view)};
}

struct ValueParams {
  std::string key;
  std::string name;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const ValueParams*) {
  return std::tuple{field("key", &ValueParams::key), field("name", &ValueParams::name),
                    field("view", &ValueParams::view)};
}

struct ReadValueParams {
  std::string key;
  std::string name;
  bool raw = false;
  bool openLink = false;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const ReadValueParams*) {
  return std::tuple{field("key", &ReadValueParams::key), field("name", &ReadValueParams::name),
                    field("raw", &ReadValueParams::raw), field("openLink", &ReadValueParams::openLink),
                    field("view", &ReadValueParams::view)};
}

struct ListValuesParams {
  std::string key;
  bool raw = false;
  bool openLink = false;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const ListValuesParams*) {
  return std::tuple{field("key", &ListValuesParams::key), field("raw", &ListValuesParams::raw),
                    field("openLink", &ListValuesParams::openLink), field("view", &ListValuesParams::view)};
}

struct WriteValueParams {
  std::string key;
  std::string name;
  RegValue value;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const WriteValueParams*) {
  return std::tuple{field("key", &WriteValueParams::key), field("name", &WriteValueParams::name),
                    field("value", &WriteValueParams::value), field("view", &WriteValueParams::view)};
}

// `expected` is the value as the caller last read it (raw or typed), or empty (null, or left out on the wire): the
// value must not exist yet. See storedValueMatches (ValueCodec.h) for what counts as equal.
struct CompareAndSetValueParams {
  std::string key;
  std::string name;
  std::optional<RegValue> expected;
  RegValue value;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const CompareAndSetValueParams*) {
  return std::tuple{field("key", &CompareAndSetValueParams::key), field("name", &CompareAndSetValueParams::name),
                    field("expected", &CompareAndSetValueParams::expected),
                    field("value", &CompareAndSetValueParams::value), field("view", &CompareAndSetValueParams::view)};
}

struct DeleteKeyParams {
  std::string key;
  bool recursive = false;
  RegistryView view = RegistryView::Default;
};
constexpr auto describe(const DeleteKeyParams*) {
  return std::tuple{field("key", &DeleteKeyParams::key), field("recursive", &DeleteKeyParams::recursive),
                    field("view", &DeleteKeyParams::view)};
}

// importRegFile: the whole text of a .reg file, already decoded from its file's encoding (UTF-16LE or UTF-8).
struct ImportRegFileParams {
  std::string text;
};
constexpr auto describe(const ImportRegFileParams*) { return std::tuple{field("text", &ImportRegFileParams::text)}; }

struct NoParams {};
constexpr auto describe(const NoParams*) { return std::tuple{}; }

constexpr auto describe(const RegValue*) {
  return std::tuple{field("type", &RegValue::type), field("data", &RegValue::data)};
}
constexpr auto describe(const NamedValue*) {
  return std::tuple{field("name", &NamedValue::name), field("type", &NamedValue::type),
                    field("data", &NamedValue::data)};
}

struct KeyInfo {
  std::uint32_t subkeyCount = 0;
  std::uint32_t valueCount = 0;
  Timestamp lastWriteTime;
  std::optional<std::string> className;  // left out when the key has none
  std::optional<std::string> linkTarget; // only for a link key opened with openLink
};
// A struct returned to the caller has a name and a description for its TypeScript interface.
constexpr std::string_view typeName(const KeyInfo*) { return "KeyInfo"; }
constexpr std::string_view typeDoc(const KeyInfo*) { return "What getKeyInfo reports about a key."; }
constexpr auto describe(const KeyInfo*) {
  return std::tuple{field("subkeyCount", &KeyInfo::subkeyCount), field("valueCount", &KeyInfo::valueCount),
                    field("lastWriteTime", &KeyInfo::lastWriteTime), field("className", &KeyInfo::className),
                    field("linkTarget", &KeyInfo::linkTarget)};
}

// ---- the operations ------------------------------------------------------------------------------------------
// `mutates`: the operation may write to disk; bindings never run those on the JS thread.
// `visit` and `decode` (optional, see Visitable): for a binding that builds the result from the stored bytes itself
// (the addon makes JS values from the stored UTF-16, with no UTF-8 copy between): visit(backend, params, use,
// context) reads the value as run() does, with the same errors, calling `use` under the backend's read lock; in
// `use`, decode(params, type, bytes, out) tells `out` what run() returns (ValueCodec.h's decodeValueAs calls) and
// returns true, or returns false where run() throws `refuse(params, type)` instead.

struct ReadStringValue {
  static constexpr std::string_view method = "readStringValue";
  static constexpr std::string_view doc =
      "A REG_SZ or REG_EXPAND_SZ value as a string (ERR_WRONG_TYPE for other types).";
  static constexpr bool mutates = false;
  using Params = ValueParams;
  using Result = std::string;
  static Result run(Backend& backend, const Params& params);
  static void visit(Backend& backend, const Params& params, Backend::ValueVisitor use, void* context) {
    backend.visitValueAt(params.key, params.view, params.name, {}, use, context);
  }
  template <class Out>
  static bool decode(const Params&, std::uint32_t type, std::span<const std::uint8_t> bytes, Out& out) {
    if ((type != REG_SZ && type != REG_EXPAND_SZ) || bytes.size() % 2 != 0) return false;
    out.text(withoutFinalNul(bytes)); // as decodeValueAs reads a string
    return true;
  }
  // ERR_WRONG_TYPE: the value is of another type, or a REG_SZ of an odd number of bytes (no UTF-16 string).
  [[noreturn]] static void refuse(const Params& params, std::uint32_t type);
};

struct ReadValue {
  static constexpr std::string_view method = "readValue";
  static constexpr std::string_view doc = "A value of any type.";
  static constexpr bool mutates = false;
  using Params = ReadValueParams;
  using Result = RegValue;
  static Result run(Backend& backend, const Params& params);
  static void visit(Backend& backend, const Params& params, Backend::ValueVisitor use, void* context) {
    backend.visitValueAt(params.key, params.view, params.name, {params.openLink}, use, context);
  }
  template <class Out>
  static bool decode(const Params& params, std::uint32_t type, std::span<const std::uint8_t> bytes, Out& out) {
    if (params.raw) out.bytes(bytes);
    else decodeValueAs(type, bytes, out);
    return true;
  }
};

struct ListValues {
  static constexpr std::string_view method = "listValues";
  static constexpr std::string_view doc = "All values of a key, with their names.";
  static constexpr bool mutates = false;
  using Params = ListValuesParams;
  using Result = std::vector<NamedValue>;
  static Result run(Backend& backend, const Params& params);
};

struct ListSubkeys {
  static constexpr std::string_view method = "listSubkeys";
  static constexpr std::string_view doc = "The names of a key's direct subkeys.";
  static constexpr bool mutates = false;
  using Params = KeyOpenParams;
  using Result = std::vector<std::string>;
  static Result run(Backend& backend, const Params& params);
};

struct KeyExists {
  static constexpr std::string_view method = "keyExists";
  static constexpr std::string_view doc = "Whether a key exists.";
  static constexpr bool mutates = false;
  using Params = KeyParams;
  using Result = bool;
  static Result run(Backend& backend, const Params& params);
};

struct GetKeyInfo {
  static constexpr std::string_view method = "getKeyInfo";
  static constexpr std::string_view doc = "Counts, last write time, class and link target of a key.";
  static constexpr bool mutates = false;
  using Params = KeyOpenParams;
  using Result = KeyInfo;
  static Result run(Backend& backend, const Params& params);
};

struct WriteValue {
  static constexpr std::string_view method = "writeValue";
  static constexpr std::string_view doc = "Writes a value, creating missing keys on the way.";
  static constexpr bool mutates = true;
  using Params = WriteValueParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

// writeValue if the value is still `expected`, checked and written in one step under the store's lock (no writer
// in any process comes between); else ERR_VALUE_CHANGED and nothing is written. The building block of
// read-modify-write across processes: read, compute, compareAndSetValue, and on ERR_VALUE_CHANGED start again.
struct CompareAndSetValue {
  static constexpr std::string_view method = "compareAndSetValue";
  static constexpr std::string_view doc =
      "Writes a value only if it is still `expected` (the value as last read, raw or typed, or null for \"does not "
      "exist yet\"), checked and written in one step, so that no other writer (thread or process) comes between. "
      "Otherwise fails with ERR_VALUE_CHANGED and writes nothing: read again, recompute, retry. Equal means the same "
      "type and, for a Buffer, the same bytes, for typed data what a typed read gives.";
  static constexpr bool mutates = true;
  using Params = CompareAndSetValueParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct DeleteValue {
  static constexpr std::string_view method = "deleteValue";
  static constexpr std::string_view doc = "Deletes a value.";
  static constexpr bool mutates = true;
  using Params = ValueParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct CreateKey {
  static constexpr std::string_view method = "createKey";
  static constexpr std::string_view doc = "Creates a key and its missing parents; an existing key is fine.";
  static constexpr bool mutates = true;
  using Params = KeyParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct DeleteKey {
  static constexpr std::string_view method = "deleteKey";
  static constexpr std::string_view doc = "Deletes a key; with subkeys only when `recursive`.";
  static constexpr bool mutates = true;
  using Params = DeleteKeyParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct Flush {
  static constexpr std::string_view method = "flush";
  static constexpr std::string_view doc = "Makes every acknowledged write durable against power loss.";
  static constexpr bool mutates = true;
  using Params = NoParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

// The .reg text of a key and its subtree, as Wine's `reg export` writes it (registry/regfile/RegFileWriter.h):
// version 5, CRLF line ends, no byte order mark.
struct ExportKey {
  static constexpr std::string_view method = "exportKey";
  static constexpr std::string_view doc =
      "The .reg text of a key and its subtree, as Wine's `reg export` and regedit write it: `Windows Registry Editor "
      "Version 5.00`, CRLF line ends (write it as UTF-16LE with a byte order mark for a file Windows' tools read).";
  static constexpr bool mutates = false;
  using Params = KeyParams;
  using Result = std::string;
  static Result run(Backend& backend, const Params& params);
};

// Applies a .reg text (version 5 or REGEDIT4, registry/regfile/RegFileParser.h): the whole text is parsed first, so
// that a syntax error (ERR_INVALID_ARGUMENT naming line and column) changes nothing; then its edits run in order.
struct ImportRegFile {
  static constexpr std::string_view method = "importRegFile";
  static constexpr std::string_view doc =
      "Applies the text of a .reg file (version 5 or REGEDIT4, decoded already): keys and values set, `[-KEY]` and "
      "`\"name\"=-` deleted. The whole text is parsed first, so a syntax error (ERR_INVALID_ARGUMENT naming line and "
      "column) changes nothing.";
  static constexpr bool mutates = true;
  using Params = ImportRegFileParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

// Whether the operation reads one stored value that a binding may convert itself (see `visit` above).
template <class Op>
concept Visitable = requires(Backend& backend, const typename Op::Params& params, Backend::ValueVisitor use) {
  {Op::visit(backend, params, use, nullptr)};
};

} // namespace regbridge

// A build may add operations of its own to the table: a header named by REGBRIDGE_EXTRA_OPERATIONS that defines
// `regbridge::ExtraOperations`, a tuple. The test of CONTRIBUTING.md's walk-through adds a fake one this way.
#ifdef REGBRIDGE_EXTRA_OPERATIONS
#include REGBRIDGE_EXTRA_OPERATIONS
#endif

namespace regbridge {

#ifndef REGBRIDGE_EXTRA_OPERATIONS
using ExtraOperations = std::tuple<>;
#endif

using Operations = decltype(std::tuple_cat(
    std::tuple<ReadStringValue, ReadValue, ListValues, ListSubkeys, KeyExists, GetKeyInfo, WriteValue,
               CompareAndSetValue, DeleteValue, CreateKey, DeleteKey, Flush, ExportKey, ImportRegFile>{},
    ExtraOperations{}));

} // namespace regbridge
