// A fresh Node process: a store that has just loaded user.reg writes one value, then writes it again. The first save
// after a load reads the file again and compares the tree with it (formatting only keys not in Wine's form); later
// saves format only the keys that changed (the write trials measure those). Both times, in ms, as JSON on stdout;
// the value is deleted again afterwards.
//
// With `warmUpIn` (a scratch folder), the process first writes to a store of its own there: that takes the costs of
// the process's very first write (the write path's JavaScript compiled, its native code paged in, the store's
// closing thread started) out of the first write, and what is left between the two is what a load costs the first
// write of that hive, plus this store's own first write (its lock file mapped, its leftover temporary files looked
// for).
//
// With `afterReload`, the process first writes to the store itself (and undoes it), then another program rewrites
// user.reg (the same bytes: a new modification time, as when wineserver saves it), and a read loads it again. The
// two writes timed come after that load: the first write after a load in a process that is past every one-time cost,
// as a long-running program meets it whenever Wine has saved the hive. `reloadMs` is that read's time, which shows
// that the hive was parsed again.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';
import type { RegistrySync } from 'regbridge';

import { probeMain } from '../kinds/probe';

interface Args {
  prefix: string;
  key: string;
  warmUpIn?: string;
  afterReload?: boolean;
}

// Longer than the store's interval between looks at the files for edits by other programs (50 ms, HiveCache.h).
const foreignCheckWaitMs = 120;

function warmUp(scratch: string): void {
  const prefix = path.join(scratch, `warm-up-${process.pid}`);
  try {
    const reg = openRegistrySync({ prefix });
    reg.writeValue('HKCU\\Software\\warm-up', 'first', { type: 'REG_DWORD', data: 1 });
    reg.writeValue('HKCU\\Software\\warm-up', 'first', { type: 'REG_DWORD', data: 2 });
    reg.close();
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}

/** Writes to the store and undoes it, then rewrites user.reg as another program would; returns the reloading read's ms. */
async function reloadAfterOwnWrite(reg: RegistrySync, args: Args): Promise<number> {
  reg.writeValue(args.key, 'benchWarmUp', { type: 'REG_DWORD', data: 1 });
  reg.deleteValue(args.key, 'benchWarmUp');
  const file = path.join(args.prefix, 'user.reg');
  fs.writeFileSync(file, fs.readFileSync(file));
  await new Promise((resolve) => setTimeout(resolve, foreignCheckWaitMs));
  const t0 = performance.now();
  reg.keyExists(args.key);
  return performance.now() - t0;
}

probeMain(async () => {
  const args = JSON.parse(process.argv[2]) as Args;
  if (args.warmUpIn !== undefined) warmUp(args.warmUpIn);
  const reg = openRegistrySync({ prefix: args.prefix });
  reg.keyExists(args.key); // loads user.reg
  const reloadMs = args.afterReload ? await reloadAfterOwnWrite(reg, args) : undefined;
  const t0 = performance.now();
  reg.writeValue(args.key, 'benchFirstWrite', { type: 'REG_DWORD', data: 1 });
  const t1 = performance.now();
  reg.writeValue(args.key, 'benchFirstWrite', { type: 'REG_DWORD', data: 2 });
  const t2 = performance.now();
  reg.deleteValue(args.key, 'benchFirstWrite');
  reg.close();
  return { firstMs: t1 - t0, secondMs: t2 - t1, reloadMs };
});
