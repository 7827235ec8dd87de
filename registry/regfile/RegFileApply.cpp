#include "registry/regfile/RegFileApply.h"

#include "registry/Error.h"

namespace regbridge {
namespace {

// Runs `body`, taking the "not found" errors in `ignored` for success.
template <class Body> void ignoringMissing(Body&& body, ErrorCode ignored1, ErrorCode ignored2) {
  try {
    body();
  } catch (const RegistryError& error) {
    if (error.code() != ignored1 && error.code() != ignored2) throw;
  }
}

} // namespace

void applyRegEdits(Backend& backend, std::span<const RegEdit> edits) {
  for (const RegEdit& edit : edits) {
    const KeyPath path = KeyPath::parse(edit.key);
    switch (edit.kind) {
    case RegEditKind::CreateKey:
      if (!path.parts.empty()) backend.createKey(path); // a hive root always exists
      break;
    case RegEditKind::DeleteKey:
      ignoringMissing([&] { backend.deleteKey(path, true); }, ErrorCode::KeyNotFound, ErrorCode::KeyNotFound);
      break;
    case RegEditKind::SetValue: backend.writeValue(path, edit.name, edit.type, edit.data); break;
    case RegEditKind::DeleteValue:
      ignoringMissing([&] { backend.deleteValue(path, edit.name); }, ErrorCode::ValueNotFound, ErrorCode::KeyNotFound);
      break;
    }
  }
}

} // namespace regbridge
