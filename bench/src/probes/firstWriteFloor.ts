// A fresh Node process: the floor of the first write after a load. The hive file's text is read into memory, as a
// load reads it, and then written whole to a temporary file and renamed over `dir`/floor.reg, twice: the system
// calls of a save that copies the kept text and nothing else (floor addon, no regbridge code). Its first write
// against its second is what the machine alone charges a process's first save of a file of that size (fresh page
// cache and kernel pages, the write path paged in). Both times, in ms, as JSON on stdout.
import * as fs from 'node:fs';

import { probeMain } from '../kinds/probe';
import { loadFloor } from '../modes/floor';

interface Args {
  /** The hive file whose text is written. */
  file: string;
  /** Where floor.reg is written: a folder on the store's file system. */
  dir: string;
}

probeMain(() => {
  const args = JSON.parse(process.argv[2]) as Args;
  const floor = loadFloor();
  const text = fs.readFileSync(args.file);
  const t0 = performance.now();
  floor.writeBytesAndRename(args.dir, text);
  const t1 = performance.now();
  floor.writeBytesAndRename(args.dir, text);
  const t2 = performance.now();
  return { firstMs: t1 - t0, secondMs: t2 - t1 };
});
