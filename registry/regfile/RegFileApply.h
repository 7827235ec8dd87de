// Carries out a .reg file's edits (RegFileParser.h) through a backend, in file order, as Wine's reg import does
// them: `[KEY]` creates the key, `[-KEY]` deletes its subtree, values are set or deleted. Deleting what does not
// exist is no error. Backend::applyEdits makes them: each edit on its own (one that fails, say under a key the store
// refuses, does not stop the others, as reg import goes on), the first failure thrown once all have run; the hive
// store makes them all in one save.
#pragma once

#include <span>

#include "registry/Backend.h"
#include "registry/regfile/RegEdit.h"

namespace regbridge {

void applyRegEdits(Backend& backend, std::span<const RegEdit> edits);

} // namespace regbridge
