// The small interface every registry backend implements: stored bytes in, stored bytes out. Typed decoding and
// argument checks live above it (registry/operations/), so every backend gets them alike.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registry/KeyPath.h"

namespace regbridge {

struct RawValue {
  std::uint32_t type = 0;
  std::vector<std::uint8_t> data;
};

struct NamedRawValue {
  std::string name; // UTF-8; '' is the default value
  std::uint32_t type = 0;
  std::vector<std::uint8_t> data;
};

struct RawKeyInfo {
  std::uint32_t subkeyCount = 0;
  std::uint32_t valueCount = 0;
  std::uint64_t lastWriteFileTime = 0;
  std::optional<std::string> className;
  std::optional<std::string> linkTarget; // set only when the key opened is a link (openLink)
};

struct OpenOptions {
  bool openLink = false; // open a symbolic link key itself instead of following it
};

// What compareAndSetValue expects to find. `matches` empty: no value of that name (nor its key) may exist yet.
// Otherwise the value must exist and `matches(type, bytes)` say yes to it; it runs under the backend's write lock,
// so it must be quick and must not call back into the backend.
struct ExpectedValue {
  std::function<bool(std::uint32_t type, std::span<const std::uint8_t> bytes)> matches;
};

// The ERR_VALUE_CHANGED of compareAndSetValue, for backends, naming the key and the value: `exists` says whether
// the value was found. Call only when it is not the expected one.
[[noreturn]] void throwValueChanged(const KeyPath& path, std::string_view name, const ExpectedValue& expected,
                                    bool exists);

// One change of Backend::applyEdits: what a .reg file asks for.
struct Edit {
  enum class Kind {
    CreateKey,   // as createKey; a hive root, which always exists, is left alone
    DeleteKey,   // as deleteKey with `recursive`; a key that does not exist is no error
    SetValue,    // as writeValue
    DeleteValue, // as deleteValue; a value (or key) that does not exist is no error
  };
  Kind kind = Kind::CreateKey;
  KeyPath path;
  std::string_view name;              // SetValue, DeleteValue
  std::uint32_t type = 0;             // SetValue
  std::span<const std::uint8_t> data; // SetValue
};

// The items of a grouped run (Backend::runGrouped), handed out one at a time while the group runs, so that a binding
// can add the writes that arrive meanwhile to the same save.
class GroupItems {
public:
  virtual ~GroupItems() = default;
  // The next item, or false when there is none now: the group then saves and ends. Called on the thread running
  // the group, never again once it has returned false.
  virtual bool next(std::function<void()>& item) = 0;
};

// Runs the items one after another, each outcome as Backend::runGrouped gives it: its default.
std::vector<std::exception_ptr> runOneByOne(GroupItems& items);

// Implementations are thread-safe: the addon calls them from the JS thread and from worker threads at once.
// Errors are RegistryError, with `key` set to `path.original`.
class Backend {
public:
  virtual ~Backend() = default;

  // "hive" or "win32"; reported by `initialize` on the wire.
  virtual std::string_view kind() const = 0;
  // The prefix folder for the hive store, empty for the Windows registry.
  virtual std::string location() const = 0;
  // Whether its reads, inside a NoBlockingScope, never wait: they answer from memory or throw WouldBlock. Then a
  // binding may run them where a wait would stall others (the helper's I/O thread). False unless a backend says so.
  virtual bool honoursNoBlockingScope() const { return false; }

  // A number that changes whenever anything this backend serves may have changed (a write, a reload of a file
  // another process changed) and that no other backend ever returns: a result computed while it had one value is
  // still right while it has that value. It runs the same freshness check a read does. 0: results must not be
  // reused (the default, for backends that cannot tell).
  virtual std::uint64_t servingVersion() { return 0; }

  // Lookups of names are case-insensitive as on Windows; names come back with their stored case.
  virtual RawValue readValue(const KeyPath& path, std::string_view name, OpenOptions options) = 0;
  // Calls `use(context, type, bytes)` with the stored value while the bytes are safe to read, then returns. The
  // default goes through readValue; a backend serving from memory overrides it to skip the copy, which is most of
  // the cost of a small read. `use` must not call back into the backend, and should be quick (it may run under a
  // lock); what it throws (a failed allocation while decoding) passes out of visitValue, the lock released.
  using ValueVisitor = void (*)(void* context, std::uint32_t type, std::span<const std::uint8_t> bytes);
  virtual void visitValue(const KeyPath& path, std::string_view name, OpenOptions options, ValueVisitor use,
                          void* context) {
    RawValue value = readValue(path, name, options);
    use(context, value.type, value.data);
  }

  // visitValue for an operation's own params: the key as the caller wrote it, in `view`. The same checks in the same
  // order as parsing the key (KeyPath::parse), validating the name (validateValueName) and calling visitValue, so
  // the same errors; a backend that keeps its keys indexed by their text overrides it to skip the parse and the walk
  // down the tree for a key it has found before. One read, one lock.
  virtual void visitValueAt(std::string_view key, RegistryView view, std::string_view name, OpenOptions options,
                            ValueVisitor use, void* context);
  // keyExists for an operation's own params, as visitValueAt is visitValue.
  virtual bool keyExistsAt(std::string_view key, RegistryView view);

  virtual std::vector<NamedRawValue> listValues(const KeyPath& path, OpenOptions options) = 0;
  virtual std::vector<std::string> listSubkeys(const KeyPath& path, OpenOptions options) = 0;
  virtual bool keyExists(const KeyPath& path) = 0;
  virtual RawKeyInfo getKeyInfo(const KeyPath& path, OpenOptions options) = 0;

  // Creates missing keys on the way, as `reg add` does.
  virtual void writeValue(const KeyPath& path, std::string_view name, std::uint32_t type,
                          std::span<const std::uint8_t> data) = 0;
  // writeValue, on one condition checked in the same step as the write, so that no other writer (thread or
  // process) can come between the two: the value stored now (its type and bytes) is the one the caller expects.
  // Otherwise it throws ERR_VALUE_CHANGED (throwValueChanged) and changes nothing. The backend only finds the
  // current value (none when the value or its key does not exist); what counts as "the same" is the caller's.
  virtual void compareAndSetValue(const KeyPath& path, std::string_view name, const ExpectedValue& expected,
                                  std::uint32_t type, std::span<const std::uint8_t> data) = 0;
  virtual void deleteValue(const KeyPath& path, std::string_view name) = 0;
  virtual void createKey(const KeyPath& path) = 0; // idempotent
  // KeyHasSubkeys unless recursive.
  virtual void deleteKey(const KeyPath& path, bool recursive) = 0;
  // Durable against power loss once this returns (fsync of files and folder, as RegFlushKey).
  virtual void flush() = 0;

  // Makes every edit, in order, each as the call it stands for would; one that fails does not stop the others (as
  // Wine's reg import goes on past a key it cannot open). Throws the first failure once all have run. The default
  // calls the single operations; a backend whose writes each cost a save (the hive store rewrites a hive file per
  // write) overrides it to make them all in one, so that a .reg file of thousands of values costs one save, not
  // thousands.
  virtual void applyEdits(std::span<const Edit> edits);

  // Runs the items `items` hands out, in order, as one group, and returns once every one has run and every change
  // they made has been saved. Each item is a closure that calls this backend's ordinary methods (usually one
  // write). The result holds each item's outcome, in the order they were handed out: null when it succeeded, else
  // what it threw, or the failure of a save that lost a change it made (ERR_IO naming its key) — so a write is
  // acknowledged, as always, only once its hive file is in place. The default runs the items one after another.
  // The hive store, whose every save rewrites a whole hive file, applies them all under one hold of its writer lock
  // and saves each hive they changed once, at the end; groups and single writes that other threads queued while an
  // earlier save ran share that save too. Items run on whichever thread leads the save, not necessarily the caller's;
  // they must not wait for anything but this backend. A read in a group sees the changes made before it, even ones
  // whose save then fails, so bindings group only writes (a flush splits a group: it saves what came before it).
  virtual std::vector<std::exception_ptr> runGrouped(GroupItems& items);
  // The same for a fixed list of items.
  std::vector<std::exception_ptr> runGrouped(std::span<const std::function<void()>> items);
};

struct BackendOptions {
  // The hive store's prefix folder. Empty: $REGBRIDGE_PREFIX, else $XDG_DATA_HOME/regbridge, else
  // ~/.local/share/regbridge. On Windows an empty prefix selects the real registry.
  std::string prefix;
};

// Bindings answer reads on the calling thread when the backend can do so from memory: inside a NoBlockingScope a
// backend that would have to touch the disk (load or reload a file, stat for foreign edits) throws WouldBlock
// instead, and the binding hands the call to a worker thread. Reads only: writes always touch the disk.
struct WouldBlock {};

class NoBlockingScope {
public:
  NoBlockingScope();
  ~NoBlockingScope();
  NoBlockingScope(const NoBlockingScope&) = delete;
  NoBlockingScope& operator=(const NoBlockingScope&) = delete;

private:
  bool previous_;
};

// Whether this thread is inside a NoBlockingScope.
bool blockingForbidden();

// A fresh, process-wide unique value for Backend::servingVersion.
std::uint64_t nextServingVersion();

// The one factory that picks a backend for this platform and these options.
std::unique_ptr<Backend> openBackend(const BackendOptions& options);

} // namespace regbridge
