// The floor addon (bench/floor/FloorAddon.cpp, built by CMake with the real addon's flags).
import { floorFile } from '../paths';

/** What the floor addon exports. */
export interface FloorAddon {
  /** A bare N-API call. */
  noop(): void;
  /** Two strings in, a hash-map lookup, a string out. */
  get(key: string, name: string): string | undefined;
  /** Fills the map. */
  set(key: string, name: string, value: string): void;
  /** Writes `bytes` bytes to a temporary file in `dir` and renames it over dir/floor.reg (no fsync). */
  writeAndRename(dir: string, bytes: number): void;
  /** The same with these bytes (a hive file's text, read before). */
  writeBytesAndRename(dir: string, bytes: Uint8Array): void;
  /** Drops a file's pages from the page cache (posix_fadvise DONTNEED), for cold starts; false if it could not. */
  evict(file: string): boolean;
}

/** Loads the floor addon. */
export function loadFloor(): FloorAddon {
  return require(floorFile) as FloorAddon;
}
