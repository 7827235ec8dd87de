#include "registry/Backend.h"

#include <atomic>
#include <exception>
#include <string>

#include "registry/Error.h"

namespace regbridge {

std::uint64_t nextServingVersion() {
  // Shared by every backend in the process, so that no two ever hand out the same version.
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

namespace {
thread_local bool noBlocking = false;
} // namespace

NoBlockingScope::NoBlockingScope() : previous_(noBlocking) { noBlocking = true; }
NoBlockingScope::~NoBlockingScope() { noBlocking = previous_; }
bool blockingForbidden() { return noBlocking; }

void Backend::visitValueAt(std::string_view key, RegistryView view, std::string_view name, OpenOptions options,
                           ValueVisitor use, void* context) {
  KeyPath path = KeyPath::parse(key);
  path.view = view;
  validateValueName(name, key);
  visitValue(path, name, options, use, context);
}

bool Backend::keyExistsAt(std::string_view key, RegistryView view) {
  KeyPath path = KeyPath::parse(key);
  path.view = view;
  return keyExists(path);
}

void Backend::applyEdits(std::span<const Edit> edits) {
  std::exception_ptr first;
  for (const Edit& edit : edits) {
    try {
      switch (edit.kind) {
      case Edit::Kind::CreateKey:
        if (!edit.path.parts.empty()) createKey(edit.path);
        break;
      case Edit::Kind::DeleteKey: deleteKey(edit.path, true); break;
      case Edit::Kind::SetValue: writeValue(edit.path, edit.name, edit.type, edit.data); break;
      case Edit::Kind::DeleteValue: deleteValue(edit.path, edit.name); break;
      }
    } catch (const RegistryError& error) {
      const bool missing = error.code() == ErrorCode::KeyNotFound ||
                           (edit.kind == Edit::Kind::DeleteValue && error.code() == ErrorCode::ValueNotFound);
      const bool isDelete = edit.kind == Edit::Kind::DeleteKey || edit.kind == Edit::Kind::DeleteValue;
      if (!(isDelete && missing) && !first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

std::vector<std::exception_ptr> Backend::runGrouped(GroupItems& items) { return runOneByOne(items); }

std::vector<std::exception_ptr> runOneByOne(GroupItems& items) {
  std::vector<std::exception_ptr> outcomes;
  std::function<void()> item;
  while (items.next(item)) {
    std::exception_ptr& outcome = outcomes.emplace_back();
    try {
      item();
    } catch (...) {
      outcome = std::current_exception();
    }
  }
  return outcomes;
}

std::vector<std::exception_ptr> Backend::runGrouped(std::span<const std::function<void()>> items) {
  // Hands out the list, once.
  class Listed final : public GroupItems {
  public:
    explicit Listed(std::span<const std::function<void()>> items) : items_(items) {}
    bool next(std::function<void()>& item) override {
      if (next_ == items_.size()) return false;
      item = items_[next_++];
      return true;
    }

  private:
    std::span<const std::function<void()>> items_;
    std::size_t next_ = 0;
  };
  Listed listed(items);
  return runGrouped(listed);
}

void throwValueChanged(const KeyPath& path, std::string_view name, const ExpectedValue& expected, bool exists) {
  const std::string key(path.original);
  const std::string what = name.empty() ? "the default value of key '" + key + "'"
                                        : "the value '" + std::string(name) + "' of key '" + key + "'";
  const char* why = !expected.matches ? "it exists, and was expected not to"
                    : !exists         ? "it does not exist"
                                      : "its type or data differ";
  throw RegistryError(ErrorCode::ValueChanged, what + " is not the expected one: " + why + "; read it again and retry",
                      key, std::string(name));
}

} // namespace regbridge
