// Deleting a key the way the hive store does: the key named itself (a symbolic link itself, not its target), and
// for a recursive delete its subkeys first, never following a link among them.
#pragma once

#include <windows.h>

namespace regbridge::win {

// The access a key must be opened with (REG_OPTION_OPEN_LINK, plus the view) for the functions below.
inline constexpr REGSAM kDeleteAccess = DELETE | KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE;

// Deletes every subkey of `key`, depth first, each opened with REG_OPTION_OPEN_LINK in `view`. RegDeleteTreeW is
// not used: it opens subkeys without REG_OPTION_OPEN_LINK (Wine's does; Windows documents nothing else), so a link
// inside the tree would be followed and its target's subkeys deleted. Returns the Win32 status.
LONG deleteSubkeys(HKEY key, REGSAM view);

// Deletes the key `key` is a handle to (NtDeleteKey: RegDeleteKeyExW takes a name and opens it without
// REG_OPTION_OPEN_LINK, so it would delete a link's target instead of the link). The key must have no subkeys.
LONG deleteOpenedKey(HKEY key);

} // namespace regbridge::win
