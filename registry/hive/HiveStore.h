// The hive store: a folder laid out as a Wine prefix (system.reg, user.reg, userdef.reg), served from memory and
// written back atomically. See DESIGN.md "Backends" for its promises.
#pragma once

#include <memory>
#include <string>

#include "registry/Backend.h"

namespace regbridge::hive {

// Opens (without creating anything yet) the store in `prefix`; missing hive files are created on the first write.
std::unique_ptr<Backend> openHiveStore(const std::string& prefix);

// $REGBRIDGE_PREFIX, else $XDG_DATA_HOME/regbridge, else ~/.local/share/regbridge.
std::string defaultPrefix();

} // namespace regbridge::hive
