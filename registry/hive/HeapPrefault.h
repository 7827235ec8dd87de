// Loading a big hive builds a tree of tens of thousands of small allocations. On the virtual machines this project
// is measured on, the first touch of each fresh heap page costs ~20 µs, which made loading the 1.7 MB system.reg of a
// real prefix take ~30 ms of page faults for ~10 ms of parsing. Faulting the pages in one madvise call first costs
// ~2 ms for 8 MB, but each populated 4 KiB page still costs ~3 us at its first touch (the hypervisor's page tables
// fill lazily); on transparent huge pages both costs almost vanish (6 MB: ~0.7 ms populated, ~0.2 ms first touch).
#pragma once

#include <cstddef>
#include <string>

namespace regbridge::hive {

// Makes the next `bytes` of small allocations on this thread's malloc arena land on pages already faulted in, huge
// pages where the kernel allows them (THP `madvise` or `always`); half as much again past them is marked for huge
// pages too, faulted (and zeroed) only if used.
// glibc only (elsewhere it does nothing). The first call sets two process-wide malloc parameters so that the block
// comes from, and returns to, the heap rather than a separate mapping: M_MMAP_THRESHOLD 32 MiB and
// M_TRIM_THRESHOLD 64 MiB — the process then keeps up to 64 MiB of freed heap instead of returning it to the
// system at once. Each call also holds up to 2 MiB of address space (not memory) until the next call.
// REGBRIDGE_HEAP_PREFAULT=0 in the environment turns all of this off.
void prefaultHeap(std::size_t bytes);

// Frees `text` (the file a load has parsed) and hands back to the system the heap pages that are free after it: what
// the tree did not use of the faulted block, and the text's. What a process holds after a load is then its tree,
// not the block; it costs ~50 µs. The block may be in this thread's arena, whose unused top malloc_trim leaves
// alone: freeing a big block while the trim threshold is low shrinks it. glibc only, when prefaultHeap is on.
void releaseUnusedHeap(std::string&& text);

} // namespace regbridge::hive
