#include "registry/regfile/RegFileApply.h"

#include <vector>

namespace regbridge {

void applyRegEdits(Backend& backend, std::span<const RegEdit> edits) {
  std::vector<Edit> changes;
  changes.reserve(edits.size());
  for (const RegEdit& edit : edits) {
    Edit change;
    change.kind = edit.kind;
    change.path = KeyPath::parse(edit.key); // views into `edits`, which outlive the call
    change.name = edit.name;
    change.type = edit.type;
    change.data = edit.data;
    changes.push_back(std::move(change));
  }
  backend.applyEdits(changes);
}

} // namespace regbridge
