// The handler table: every registry operation, declared once. The addon (addon/) and the server (server/) are
// generic over `Operations`; adding an operation means a params struct, an implementation file in
// registry/operations/ and one line in the tuple at the bottom.
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
                    field("value", &CompareAndSetValueParams::value),
                    field("view", &CompareAndSetValueParams::view)};
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
  std::optional<std::string> className; // left out when the key has none
  std::optional<std::string> linkTarget; // only for a link key opened with openLink
};
constexpr auto describe(const KeyInfo*) {
  return std::tuple{field("subkeyCount", &KeyInfo::subkeyCount), field("valueCount", &KeyInfo::valueCount),
                    field("lastWriteTime", &KeyInfo::lastWriteTime), field("className", &KeyInfo::className),
                    field("linkTarget", &KeyInfo::linkTarget)};
}

// ---- the operations ------------------------------------------------------------------------------------------
// `mutates`: the operation may write to disk; bindings never run those on the JS thread.
// `peek` (optional, see Peekable): the result when the operation has one at hand (a cache), without copying it; the
// pointer is valid until the next operation on the calling thread. A binding that converts it at once saves a copy.

struct ReadStringValue {
  static constexpr std::string_view method = "readStringValue";
  static constexpr bool mutates = false;
  using Params = ValueParams;
  using Result = std::string;
  static Result run(Backend& backend, const Params& params);
  // The result without running the operation when one is at hand, else null (see Peekable).
  static const Result* peek(Backend& backend, const Params& params);
};

struct ReadValue {
  static constexpr std::string_view method = "readValue";
  static constexpr bool mutates = false;
  using Params = ReadValueParams;
  using Result = RegValue;
  static Result run(Backend& backend, const Params& params);
};

struct ListValues {
  static constexpr std::string_view method = "listValues";
  static constexpr bool mutates = false;
  using Params = ListValuesParams;
  using Result = std::vector<NamedValue>;
  static Result run(Backend& backend, const Params& params);
};

struct ListSubkeys {
  static constexpr std::string_view method = "listSubkeys";
  static constexpr bool mutates = false;
  using Params = KeyOpenParams;
  using Result = std::vector<std::string>;
  static Result run(Backend& backend, const Params& params);
};

struct KeyExists {
  static constexpr std::string_view method = "keyExists";
  static constexpr bool mutates = false;
  using Params = KeyParams;
  using Result = bool;
  static Result run(Backend& backend, const Params& params);
};

struct GetKeyInfo {
  static constexpr std::string_view method = "getKeyInfo";
  static constexpr bool mutates = false;
  using Params = KeyOpenParams;
  using Result = KeyInfo;
  static Result run(Backend& backend, const Params& params);
};

struct WriteValue {
  static constexpr std::string_view method = "writeValue";
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
  static constexpr bool mutates = true;
  using Params = CompareAndSetValueParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct DeleteValue {
  static constexpr std::string_view method = "deleteValue";
  static constexpr bool mutates = true;
  using Params = ValueParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct CreateKey {
  static constexpr std::string_view method = "createKey";
  static constexpr bool mutates = true;
  using Params = KeyParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct DeleteKey {
  static constexpr std::string_view method = "deleteKey";
  static constexpr bool mutates = true;
  using Params = DeleteKeyParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

struct Flush {
  static constexpr std::string_view method = "flush";
  static constexpr bool mutates = true;
  using Params = NoParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

// The .reg text of a key and its subtree, as Wine's `reg export` writes it (registry/regfile/RegFileWriter.h):
// version 5, CRLF line ends, no byte order mark.
struct ExportKey {
  static constexpr std::string_view method = "exportKey";
  static constexpr bool mutates = false;
  using Params = KeyParams;
  using Result = std::string;
  static Result run(Backend& backend, const Params& params);
};

// Applies a .reg text (version 5 or REGEDIT4, registry/regfile/RegFileParser.h): the whole text is parsed first, so
// that a syntax error (ERR_INVALID_ARGUMENT naming line and column) changes nothing; then its edits run in order.
struct ImportRegFile {
  static constexpr std::string_view method = "importRegFile";
  static constexpr bool mutates = true;
  using Params = ImportRegFileParams;
  using Result = Empty;
  static Result run(Backend& backend, const Params& params);
};

template <class Op>
concept Peekable = requires(Backend& backend, const typename Op::Params& params) {
  { Op::peek(backend, params) } -> std::same_as<const typename Op::Result*>;
};

using Operations = std::tuple<ReadStringValue, ReadValue, ListValues, ListSubkeys, KeyExists, GetKeyInfo, WriteValue,
                              CompareAndSetValue, DeleteValue, CreateKey, DeleteKey, Flush, ExportKey, ImportRegFile>;

} // namespace regbridge
