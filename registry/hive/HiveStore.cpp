// The hive store backend: Backend's operations over HiveCache (memory + change detection), LinkResolver (paths and
// links), TreeEdits (Wine's timestamps) and GroupCommit (one save for concurrent writers).
#include "registry/hive/HiveStore.h"

#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <iterator>

#include "registry/Error.h"
#include "registry/Unicode.h"
#include "registry/Wow64Redirect.h"
#include "registry/hive/GroupCommit.h"
#include "registry/hive/HiveCache.h"
#include "registry/hive/LinkResolver.h"
#include "registry/hive/PathIndex.h"
#include "registry/hive/PathNames.h"
#include "registry/hive/Platform.h"
#include "registry/hive/TreeEdits.h"

namespace regbridge::hive {

namespace {

// Where a KeyPath lands: HKEY_USERS itself, a child of it that is no hive here, or a file and names inside it.
struct Target {
  bool usersRoot = false;
  bool unknownUser = false;
  HiveFileId file = HiveFileId::System;
};

Target targetOf(const KeyPath& path, const HiveRoots& roots, PathNames& names) {
  Mount mount = mountOf(path.hive);
  if (!mount.usersRoot) {
    names.assign(mount.base, path.parts, 0);
    return {false, false, mount.file};
  }
  if (path.parts.empty()) return {true, false};
  std::u16string first;
  utf8Into(first, path.parts.front());
  // `.Default` is known without user.reg: asking for the user's SID first would make HKU\.Default fail whenever
  // user.reg cannot be read, though it lives in userdef.reg.
  auto file =
      equalsNoCase(first, u".Default") ? std::optional(HiveFileId::UserDefault) : usersChild(first, roots.userSid());
  if (!file) return {false, true};
  names.assign({}, path.parts, 1);
  return {false, false, *file};
}

struct Located {
  enum class Kind {
    Key,
    UsersRoot,
    EmptyMount, // HKCR or HKCC whose base keys do not exist (yet): an empty hive root
    Missing,
  };
  Kind kind = Kind::Missing;
  HiveKey* key = nullptr;
  std::string problem; // Missing: a broken link on the way, or why HKEY_USERS has no such child
};

std::string usersProblem(const HiveRoots& roots) {
  return "HKEY_USERS holds only '.Default' and '" + utf16ToUtf8(roots.userSid()) + "'";
}

Located locate(const KeyPath& path, const HiveRoots& roots, bool openLink) {
  PathNames& names = threadPathNames();
  Target target = targetOf(path, roots, names);
  if (target.usersRoot) return {Located::Kind::UsersRoot, nullptr, {}};
  if (target.unknownUser) return {Located::Kind::Missing, nullptr, usersProblem(roots)};
  Walk walk = walkPath(roots, target.file, names.all(), openLink);
  if (walk.stop == Walk::Stop::Complete) return {Located::Kind::Key, walk.key, {}};
  // HKLM and HKCU roots always exist; only a mount with base keys can miss them.
  if (path.parts.empty()) return {Located::Kind::EmptyMount, nullptr, {}};
  return {Located::Kind::Missing, nullptr, std::move(walk.problem)};
}

[[noreturn]] void keyNotFound(const KeyPath& path, const std::string& problem) {
  throw RegistryError(ErrorCode::KeyNotFound,
                      problem.empty() ? "the key '" + std::string(path.original) + "' does not exist"
                                      : "the key '" + std::string(path.original) + "' cannot be opened: " + problem,
                      std::string(path.original));
}

[[noreturn]] void valueNotFound(std::string_view key, std::string_view name) {
  throw RegistryError(ErrorCode::ValueNotFound,
                      name.empty()
                          ? "the key '" + std::string(key) + "' has no default value"
                          : "the value '" + std::string(name) + "' does not exist in '" + std::string(key) + "'",
                      std::string(key), std::string(name));
}
[[noreturn]] void valueNotFound(const KeyPath& path, std::string_view name) { valueNotFound(path.original, name); }

[[noreturn]] void accessDenied(const KeyPath& path, const std::string& why) {
  throw RegistryError(ErrorCode::AccessDenied, "cannot change '" + std::string(path.original) + "': " + why,
                      std::string(path.original));
}

void convertValueName(std::u16string& out, std::string_view name, std::string_view key) {
  if (!utf8Into(out, name))
    throw RegistryError(ErrorCode::InvalidArgument, "the value name is not valid UTF-8", std::string(key),
                        std::string(name));
}
void convertValueName(std::u16string& out, std::string_view name, const KeyPath& path) {
  convertValueName(out, name, path.original);
}

// Whom a change is made for: the key (and value) named by the errors raised for the whole batch (the store lock, a
// wineserver, a failed save), which know no key themselves.
struct Caller {
  std::string_view key;
  const std::optional<std::string>& valueName;
};

// Errors raised for the whole batch know no key: give them the caller's, so that every error names its key.
std::exception_ptr forCaller(std::exception_ptr error, const Caller& caller) {
  try {
    std::rethrow_exception(error);
  } catch (const RegistryError& e) {
    if (!e.key().empty()) return error;
    std::string message = e.message();
    if (e.code() != ErrorCode::StoreCorrupt) message = "cannot change '" + std::string(caller.key) + "': " + message;
    return std::make_exception_ptr(RegistryError(e.code(), message, std::string(caller.key),
                                                 e.valueName() ? e.valueName() : caller.valueName, e.nativeCode()));
  } catch (...) {
    return error;
  }
}

// One entry of the group commit's queue: a single write (`change`), or a grouped run (Backend::runGrouped) whose
// items report to `outcomes`.
struct PendingWrite {
  std::function<void(WriteContext&)> change;
  const KeyPath* path = nullptr;
  std::optional<std::string> valueName;
  GroupItems* items = nullptr;
  std::deque<std::exception_ptr>* outcomes = nullptr; // a deque: the round keeps pointers to its elements
  std::exception_ptr error;
  bool done = false;
};

// One hold of the store's writer lock inside a batch: changes applied one by one, then every hive they changed
// saved once. The lock is taken at the first change, so a batch that only reads (a grouped run of reads) takes none,
// and a lock that cannot be had (ERR_STORE_LOCKED) fails each change that needed it, by its own key.
class Round {
public:
  explicit Round(HiveCache& cache) : cache_(cache) {}
  // Left without save() only when the batch itself failed (memory): what was applied is still saved, or reloaded
  // when that fails, so that memory never holds what the disk does not.
  ~Round() {
    try {
      if (session_) save();
    } catch (...) {}
  }
  Round(const Round&) = delete;
  Round& operator=(const Round&) = delete;

  // Applies `change`; throws its error, named for `caller`. `outcome` is where a failed save of a file it changed
  // is reported later; it must outlive save().
  void apply(const std::function<void(WriteContext&)>& change, std::exception_ptr& outcome, const Caller& caller) {
    if (!session_ && !openError_) {
      try {
        session_.emplace(cache_);
      } catch (...) {
        openError_ = std::current_exception();
      }
    }
    if (openError_) std::rethrow_exception(forCaller(openError_, caller));
    unsigned files = 0;
    try {
      files = session_->apply(change);
    } catch (...) {
      std::rethrow_exception(forCaller(std::current_exception(), caller));
    }
    if (files) applied_.push_back({&outcome, files, std::string(caller.key), caller.valueName});
  }

  // Saves what was applied and lets the writer lock go. A file that could not be saved fails every change that
  // altered it (and was not failed already); the others stand.
  void save() {
    if (!session_) {
      openError_ = nullptr; // a later round tries the lock again
      return;
    }
    auto failures = session_->save();
    for (const Applied& change : applied_)
      for (auto file : kAllHiveFiles)
        if (!*change.outcome && (change.files & (1u << indexOf(file))) && failures[indexOf(file)])
          *change.outcome = forCaller(failures[indexOf(file)], {change.key, change.valueName});
    applied_.clear();
    session_.reset();
  }

private:
  struct Applied {
    std::exception_ptr* outcome;
    unsigned files; // bit i: HiveFileId i
    std::string key;
    std::optional<std::string> valueName;
  };
  HiveCache& cache_;
  std::optional<HiveCache::WriteBatch> session_;
  std::exception_ptr openError_;
  std::vector<Applied> applied_;
};

class HiveStoreBackend;

// The grouped run whose items this thread is running: their writes go straight into its round instead of through
// the group commit (whose leader this thread already is).
struct GroupRun {
  const HiveStoreBackend* store;
  Round* round;
  std::exception_ptr* outcome; // of the item running now
};
thread_local GroupRun* currentGroup = nullptr;

// Sets currentGroup for a scope, and puts back what was there (a grouped run of another store, or none).
class GroupScope {
public:
  explicit GroupScope(GroupRun& run) : previous_(currentGroup) { currentGroup = &run; }
  ~GroupScope() { currentGroup = previous_; }
  GroupScope(const GroupScope&) = delete;
  GroupScope& operator=(const GroupScope&) = delete;

private:
  GroupRun* previous_;
};

class HiveStoreBackend final : public Backend {
public:
  explicit HiveStoreBackend(std::string prefix)
      : cache_(std::move(prefix)), commits_([this](const std::vector<PendingWrite*>& batch) { runBatch(batch); }) {}

  std::string_view kind() const override { return "hive"; }
  bool honoursNoBlockingScope() const override { return true; }
  std::string location() const override { return cache_.prefix(); }
  std::uint64_t servingVersion() override { return cache_.servingVersion(); }

  // For addSharedSubkeys: whether a shared key (a 64-bit path) is there. Call inside cache_.read.
  std::function<bool(const KeyPath&)> sharedKeyExists() {
    return [this](const KeyPath& key) { return locate(key, cache_, false).kind == Located::Kind::Key; };
  }

  RawValue readValue(const KeyPath& asked, std::string_view name, OpenOptions options) override {
    // In the 32-bit view, the key a 32-bit program reaches: most of HKLM\Software lives under Wow6432Node.
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    std::u16string& valueName = threadValueName();
    convertValueName(valueName, name, path);
    return cache_.read([&]() -> RawValue {
      Located at = locate(path, cache_, options.openLink);
      if (at.kind == Located::Kind::Missing) keyNotFound(path, at.problem);
      const HiveValue* value = at.key ? at.key->findValue(valueName) : nullptr;
      if (!value) valueNotFound(path, name);
      return RawValue{value->type, value->data};
    });
  }

  // readValue without the copy: the stored bytes are read in place, under the cache's read lock.
  void visitValue(const KeyPath& asked, std::string_view name, OpenOptions options, ValueVisitor use,
                  void* context) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    std::u16string& valueName = threadValueName();
    convertValueName(valueName, name, path);
    cache_.read([&] {
      Located at = locate(path, cache_, options.openLink);
      if (at.kind == Located::Kind::Missing) keyNotFound(path, at.problem);
      const HiveValue* value = at.key ? at.key->findValue(valueName) : nullptr;
      if (!value) valueNotFound(path, name);
      use(context, value->type, value->data);
    });
  }

  // One lock for the whole read; the key from the index when this text found it before (PathIndex.h), else parsed
  // and walked as visitValue does, with the same errors in the same order.
  void visitValueAt(std::string_view text, RegistryView view, std::string_view name, OpenOptions options,
                    ValueVisitor use, void* context) override {
    cache_.read([&] {
      PathIndex::Use indexed(index_, cache_.versionInRead(), text,
                             PathIndex::flagsOf(static_cast<unsigned char>(view), options.openLink));
      // The value read last, read again: the name was valid then, and the key holds it still (same version).
      if (const HiveValue* again = indexed.lastValue(name)) {
        use(context, again->type, again->data);
        return;
      }
      std::u16string& valueName = threadValueName();
      const HiveKey* key = indexed.found();
      if (key) {
        // The same folded text parsed before, so this one parses too.
        validateValueName(name, text);
        convertValueName(valueName, name, text);
      } else {
        KeyPath asked = KeyPath::parse(text);
        asked.view = view;
        validateValueName(name, text);
        Wow64Path in32(asked);
        const KeyPath& path = in32;
        convertValueName(valueName, name, path);
        Located at = locate(path, cache_, options.openLink);
        if (at.kind == Located::Kind::Missing) keyNotFound(path, at.problem);
        if (at.kind == Located::Kind::Key) indexed.remember(at.key);
        key = at.key;
      }
      const HiveValue* value = key ? key->findValue(valueName) : nullptr;
      if (!value) valueNotFound(text, name);
      indexed.rememberValue(name, value);
      use(context, value->type, value->data);
    });
  }

  bool keyExistsAt(std::string_view text, RegistryView view) override {
    return cache_.read([&] {
      PathIndex::Use indexed(index_, cache_.versionInRead(), text,
                             PathIndex::flagsOf(static_cast<unsigned char>(view), false));
      if (indexed.found()) return true;
      KeyPath asked = KeyPath::parse(text);
      asked.view = view;
      Wow64Path in32(asked);
      const KeyPath& path = in32;
      Located at = locate(path, cache_, false);
      if (at.kind == Located::Kind::Key) indexed.remember(at.key);
      if (at.kind != Located::Kind::Missing) return true;
      // A redirected key that holds only shared keys (its Wow6432Node copy missing) exists, as it lists them.
      std::vector<std::string> shared;
      return addSharedSubkeys(asked, shared, sharedKeyExists());
    });
  }

  std::vector<NamedRawValue> listValues(const KeyPath& asked, OpenOptions options) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    return cache_.read([&] {
      Located at = locate(path, cache_, options.openLink);
      if (at.kind == Located::Kind::Missing) keyNotFound(path, at.problem);
      std::vector<NamedRawValue> values;
      if (!at.key) return values;
      values.reserve(at.key->values().size());
      for (const auto& value : at.key->values()) values.push_back({utf16ToUtf8(value.name), value.type, value.data});
      return values;
    });
  }

  std::vector<std::string> listSubkeys(const KeyPath& asked, OpenOptions options) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    return cache_.read([&] {
      Located at = locate(path, cache_, options.openLink);
      std::vector<std::string> names;
      if (at.kind == Located::Kind::UsersRoot) {
        for (const auto& name : usersChildren(cache_.userSid())) names.push_back(utf16ToUtf8(name));
      } else if (at.key) {
        names.reserve(at.key->subkeys().size());
        for (const auto& subkey : at.key->subkeys()) names.push_back(utf16ToUtf8(subkey->name()));
      }
      // The 32-bit view also lists the shared keys under it, which live in the 64-bit tree.
      const bool shared = addSharedSubkeys(asked, names, sharedKeyExists());
      if (at.kind == Located::Kind::Missing && !shared) keyNotFound(path, at.problem);
      return names;
    });
  }

  bool keyExists(const KeyPath& asked) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    return cache_.read([&] {
      if (locate(path, cache_, false).kind != Located::Kind::Missing) return true;
      // A redirected key that holds only shared keys (its Wow6432Node copy missing) exists, as it lists them.
      std::vector<std::string> shared;
      return addSharedSubkeys(asked, shared, sharedKeyExists());
    });
  }

  RawKeyInfo getKeyInfo(const KeyPath& asked, OpenOptions options) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    return cache_.read([&] {
      Located at = locate(path, cache_, options.openLink);
      // The 32-bit view counts the shared keys it lists (see listSubkeys).
      std::vector<std::string> shared;
      if (asked.view == RegistryView::Bits32 && at.key)
        for (const auto& subkey : at.key->subkeys()) shared.push_back(utf16ToUtf8(subkey->name()));
      const std::size_t own = shared.size();
      const bool addsShared = addSharedSubkeys(asked, shared, sharedKeyExists());
      if (at.kind == Located::Kind::Missing && !addsShared) keyNotFound(path, at.problem);
      RawKeyInfo info;
      if (at.kind == Located::Kind::UsersRoot) info.subkeyCount = 2;
      if (!at.key) {
        info.subkeyCount += std::uint32_t(shared.size() - own);
        return info;
      }
      info.subkeyCount = std::uint32_t(at.key->subkeys().size() + shared.size() - own);
      info.valueCount = std::uint32_t(at.key->values().size());
      info.lastWriteFileTime = at.key->modified();
      if (at.key->className()) info.className = utf16ToUtf8(*at.key->className());
      if (options.openLink && at.key->isLink())
        if (auto target = linkTargetOf(*at.key)) info.linkTarget = utf16ToUtf8(*target);
      return info;
    });
  }

  void writeValue(const KeyPath& asked, std::string_view name, std::uint32_t type,
                  std::span<const std::uint8_t> data) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    std::u16string valueName;
    convertValueName(valueName, name, path);
    submit(path, std::string(name), [&](WriteContext& context) {
      auto [key, file] = openOrCreate(path, context, true);
      if (setValueTouching(*key, valueName, type, data, context.now())) context.markChanged(file);
    });
  }

  void compareAndSetValue(const KeyPath& asked, std::string_view name, const ExpectedValue& expected,
                          std::uint32_t type, std::span<const std::uint8_t> data) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    std::u16string valueName;
    convertValueName(valueName, name, path);
    // One change of a write batch: it runs under the store's cross-process lock, on trees brought up to date with
    // their files and after the changes queued before it in this process, so its check and its write are one step
    // for every other writer. A failed check throws before anything is touched and fails this call alone.
    submit(path, std::string(name), [&](WriteContext& context) {
      PathNames names;
      Target target = targetOf(path, context.roots(), names);
      // What writeValue refuses is refused first, with its errors: ERR_VALUE_CHANGED would invite a retry in vain.
      if (target.usersRoot) accessDenied(path, "HKEY_USERS holds the user hives, and no values");
      if (target.unknownUser)
        accessDenied(path, usersProblem(context.roots()) + "; other users' hives cannot be created here");
      Walk walk = walkPath(context.roots(), target.file, names.all(), false);
      if (walk.stop == Walk::Stop::BrokenLink) keyNotFound(path, walk.problem);
      const HiveValue* current = walk.stop == Walk::Stop::Complete ? walk.key->findValue(valueName) : nullptr;
      const bool asExpected = expected.matches ? current && expected.matches(current->type, current->data) : !current;
      if (!asExpected) throwValueChanged(path, name, expected, current != nullptr);
      auto [key, file] = openOrCreate(path, context, true);
      if (setValueTouching(*key, valueName, type, data, context.now())) context.markChanged(file);
    });
  }

  void deleteValue(const KeyPath& asked, std::string_view name) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    std::u16string valueName;
    convertValueName(valueName, name, path);
    submit(path, std::string(name), [&](WriteContext& context) { deleteValueChange(path, name, valueName, context); });
  }

  void createKey(const KeyPath& asked) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    submit(path, std::nullopt, [&](WriteContext& context) { openOrCreate(path, context, false); });
  }

  void deleteKey(const KeyPath& asked, bool recursive) override {
    Wow64Path in32(asked);
    const KeyPath& path = in32;
    submit(path, std::nullopt, [&](WriteContext& context) { deleteKeyChange(path, recursive, context); });
  }

  void applyEdits(std::span<const Edit> edits) override {
    // Each edit is a write of its own in one batch of the group commit: made in order under one hold of the writer
    // lock, each failing alone, and every hive they changed saved once at the end.
    std::deque<Wow64Path> paths; // in place: a Wow64Path is neither copied nor moved
    std::vector<PendingWrite> writes;
    writes.reserve(edits.size());
    for (const Edit& edit : edits) {
      const KeyPath& path = paths.emplace_back(edit.path);
      const bool named = edit.kind == Edit::Kind::SetValue || edit.kind == Edit::Kind::DeleteValue;
      PendingWrite& write = writes.emplace_back();
      write.change = changeOf(edit, path);
      write.path = &path;
      if (named) write.valueName = std::string(edit.name);
    }
    if (GroupRun* group = groupOnThisThread()) {
      // Inside a grouped run: the edits join its round, and its save (their outcomes live until this returns,
      // which is before that save: a failed save fails the item that called this, through the group's outcome).
      for (PendingWrite& write : writes) {
        try {
          group->round->apply(write.change, *group->outcome, {write.path->original, write.valueName});
        } catch (...) {
          write.error = std::current_exception();
        }
      }
    } else {
      commits_.submitAll(writes);
    }
    for (const PendingWrite& write : writes)
      if (write.error) std::rethrow_exception(write.error);
  }

  using Backend::runGrouped;
  std::vector<std::exception_ptr> runGrouped(GroupItems& items) override {
    std::deque<std::exception_ptr> outcomes;
    if (GroupRun* group = groupOnThisThread()) {
      // A grouped run inside another (an item that groups again): its items join the outer round.
      runItems(*group->round, items, outcomes);
    } else {
      PendingWrite run;
      run.items = &items;
      run.outcomes = &outcomes;
      commits_.submit(run);
      // Only a failure of the batch itself (memory) lands here; every item not failed already shares it.
      if (run.error)
        for (auto& outcome : outcomes)
          if (!outcome) outcome = run.error;
    }
    return {std::make_move_iterator(outcomes.begin()), std::make_move_iterator(outcomes.end())};
  }

  void flush() override {
    // Inside a grouped run the writer lock is held: what the group changed so far is saved first, so that the
    // flush covers it as the items before it expect, and the lock is let go (the round takes it again if a later
    // item writes).
    if (GroupRun* group = groupOnThisThread()) group->round->save();
    cache_.flush();
  }

private:
  void deleteValueChange(const KeyPath& path, std::string_view name, const std::u16string& valueName,
                         WriteContext& context) {
    PathNames names;
    Target target = targetOf(path, context.roots(), names);
    if (target.usersRoot) valueNotFound(path, name);
    if (target.unknownUser) keyNotFound(path, usersProblem(context.roots()));
    Walk walk = walkPath(context.roots(), target.file, names.all(), false);
    if (walk.stop != Walk::Stop::Complete) keyNotFound(path, walk.problem);
    if (!walk.key->findValue(valueName)) valueNotFound(path, name);
    context.requireWritable(walk.file);
    deleteValueTouching(*walk.key, valueName, context.now());
    context.markChanged(walk.file);
  }

  void deleteKeyChange(const KeyPath& path, bool recursive, WriteContext& context) {
    PathNames names;
    Target target = targetOf(path, context.roots(), names);
    if (target.unknownUser) keyNotFound(path, usersProblem(context.roots()));
    if (target.usersRoot || path.parts.empty() || names.all().empty())
      throw RegistryError(ErrorCode::AccessDenied,
                          "cannot delete '" + std::string(path.original) + "': it is a hive root",
                          std::string(path.original));
    // The last part, when a link, is the key deleted: the link itself, not its target (REG_OPTION_OPEN_LINK).
    Walk walk = walkPath(context.roots(), target.file, names.all(), true);
    if (walk.stop != Walk::Stop::Complete) keyNotFound(path, walk.problem);
    if (!walk.key->parent())
      throw RegistryError(ErrorCode::AccessDenied,
                          "cannot delete '" + std::string(path.original) + "': it leads to the root of a hive",
                          std::string(path.original));
    if (!recursive && !walk.key->subkeys().empty())
      throw RegistryError(ErrorCode::KeyHasSubkeys,
                          "cannot delete '" + std::string(path.original) + "': it has " +
                              std::to_string(walk.key->subkeys().size()) +
                              " subkey(s); delete those first or delete recursively",
                          std::string(path.original));
    context.requireWritable(walk.file);
    deleteKeyTouching(*walk.key, context.now());
    context.markChanged(walk.file);
  }

  // The change an applyEdits edit stands for, on `path` (the edit's, in its view). Deleting what is missing is no
  // error there: the not-found errors of the deletes are dropped before they leave the change, which has touched
  // nothing by then.
  std::function<void(WriteContext&)> changeOf(const Edit& edit, const KeyPath& path) {
    switch (edit.kind) {
    case Edit::Kind::CreateKey:
      return [this, &path](WriteContext& context) {
        if (!path.parts.empty()) openOrCreate(path, context, false);
      };
    case Edit::Kind::DeleteKey:
      return [this, &path](WriteContext& context) {
        try {
          deleteKeyChange(path, true, context);
        } catch (const RegistryError& error) {
          if (error.code() != ErrorCode::KeyNotFound) throw;
        }
      };
    case Edit::Kind::SetValue:
      return [this, &edit, &path](WriteContext& context) {
        std::u16string valueName;
        convertValueName(valueName, edit.name, path);
        auto [key, file] = openOrCreate(path, context, true);
        if (setValueTouching(*key, valueName, edit.type, edit.data, context.now())) context.markChanged(file);
      };
    case Edit::Kind::DeleteValue:
      return [this, &edit, &path](WriteContext& context) {
        std::u16string valueName;
        convertValueName(valueName, edit.name, path);
        try {
          deleteValueChange(path, edit.name, valueName, context);
        } catch (const RegistryError& error) {
          if (error.code() != ErrorCode::KeyNotFound && error.code() != ErrorCode::ValueNotFound) throw;
        }
      };
    }
    throw RegistryError(ErrorCode::Internal, "an edit of an unknown kind");
  }

  // The key `path` names, created with any missing parents as `reg add` does. Links on the way are followed and
  // the keys are created under their targets; a link whose target is missing stops it, as in Wine.
  std::pair<HiveKey*, HiveFileId> openOrCreate(const KeyPath& path, WriteContext& context, bool forValue) {
    PathNames names;
    Target target = targetOf(path, context.roots(), names);
    if (target.usersRoot) {
      if (forValue) accessDenied(path, "HKEY_USERS holds the user hives, and no values");
      if (path.parts.empty()) return {nullptr, HiveFileId::System};
    }
    if (target.unknownUser)
      accessDenied(path, usersProblem(context.roots()) + "; other users' hives cannot be created here");
    Walk walk = walkPath(context.roots(), target.file, names.all(), false);
    if (walk.stop == Walk::Stop::BrokenLink) keyNotFound(path, walk.problem);
    if (walk.stop == Walk::Stop::Complete) {
      if (forValue) context.requireWritable(walk.file);
      return {walk.key, walk.file};
    }
    context.requireWritable(walk.file);
    HiveKey& created = createKeysTouching(*walk.key, names.all().subspan(walk.matched), context.now());
    context.markChanged(walk.file);
    return {&created, walk.file};
  }

  GroupRun* groupOnThisThread() const { return currentGroup && currentGroup->store == this ? currentGroup : nullptr; }

  void submit(const KeyPath& path, std::optional<std::string> valueName, std::function<void(WriteContext&)> change) {
    if (GroupRun* group = groupOnThisThread()) {
      group->round->apply(change, *group->outcome, {path.original, valueName});
      return;
    }
    PendingWrite write;
    write.change = std::move(change);
    write.path = &path;
    write.valueName = std::move(valueName);
    commits_.submit(write);
    if (write.error) std::rethrow_exception(write.error);
  }

  // Runs a grouped run's items in `round`, each item's writes reporting to its outcome. Items are taken until there
  // are no more: those that arrive while the group runs still make its save.
  void runItems(Round& round, GroupItems& items, std::deque<std::exception_ptr>& outcomes) {
    GroupRun run{this, &round, nullptr};
    GroupScope scope(run);
    std::function<void()> item;
    while (items.next(item)) {
      std::exception_ptr& outcome = outcomes.emplace_back();
      run.outcome = &outcome;
      try {
        item();
      } catch (...) {
        outcome = std::current_exception();
      }
    }
  }

  // The group commit's leader: every queued write and grouped run, in arrival order, in one round and one save.
  void runBatch(const std::vector<PendingWrite*>& batch) {
    Round round(cache_);
    for (PendingWrite* write : batch) {
      if (write->change) {
        try {
          round.apply(write->change, write->error, {write->path->original, write->valueName});
        } catch (...) {
          write->error = std::current_exception();
        }
      } else {
        runItems(round, *write->items, *write->outcomes);
      }
    }
    round.save();
  }

  HiveCache cache_;
  PathIndex index_; // the keys reads found, by their text
  GroupCommit<PendingWrite> commits_;
};

} // namespace

std::unique_ptr<Backend> openHiveStore(const std::string& prefix) {
  std::string folder = prefix;
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  return std::make_unique<HiveStoreBackend>(std::move(folder));
}

std::string defaultPrefix() {
  if (const char* explicitPrefix = std::getenv("REGBRIDGE_PREFIX"); explicitPrefix && *explicitPrefix)
    return explicitPrefix;
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (const char* dataHome = std::getenv("XDG_DATA_HOME"); dataHome && dataHome[0] == '/')
    return std::string(dataHome) + "/regbridge";
  std::string home;
  if (const char* h = std::getenv("HOME"); h && *h) home = h;
  else home = homeFolderFromUserDatabase();
  return home + "/.local/share/regbridge";
}

} // namespace regbridge::hive
