// Closing a file descriptor on a thread of its own, for the descriptor that holds a file a rename has just replaced.
//
// The rename that puts a saved hive in place drops the old file's last name. If nothing else holds the old file, the
// kernel frees it inside that rename: its cached pages and its disk blocks. On ext4 that took 0.2-0.7 ms for a
// 270 KB user.reg, more than writing the new file. A descriptor opened on the old file just before the rename keeps
// it alive past it, so the rename only swaps names; closing that descriptor here, away from the write's path, does the
// freeing while the caller already has its answer.
#pragma once

namespace regbridge::hive {

// Closes `fd` on the closing thread (started at the first call). When that thread is behind by many descriptors, or
// cannot be started, closes it at once on the caller's thread instead: descriptors never pile up.
void closeLater(int fd);

} // namespace regbridge::hive
