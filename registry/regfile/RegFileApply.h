// Carries out a .reg file's edits (RegFileParser.h) through a backend, in file order, as Wine's reg import does
// them: `[KEY]` creates the key, `[-KEY]` deletes its subtree, values are set or deleted. Deleting what does not
// exist is no error. Not atomic: an error (a locked store, a full disk) stops at that edit and leaves the earlier
// ones done, as a failing reg import does.
#pragma once

#include <span>

#include "registry/Backend.h"
#include "registry/regfile/RegEdit.h"

namespace regbridge {

void applyRegEdits(Backend& backend, std::span<const RegEdit> edits);

} // namespace regbridge
