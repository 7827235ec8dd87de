// The Windows registry itself, through advapi32, behind the Backend interface: the default backend on Windows.
#pragma once

#include <memory>

#include "registry/Backend.h"

namespace regbridge {

// kind() "win32", location() "". Every call opens keys in the view its KeyPath asks for (KEY_WOW64_64KEY /
// KEY_WOW64_32KEY); opened keys are cached and all closed when the backend is destroyed.
std::unique_ptr<Backend> openWin32Backend();

} // namespace regbridge
