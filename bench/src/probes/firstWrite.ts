// A fresh Node process: a store that has just loaded user.reg writes one value, then writes it again. The first save
// after a load reads the file again and compares the tree with it (formatting only keys not in Wine's form); later
// saves format only the keys that changed (the write trials measure those). Both times, in ms, as JSON on stdout;
// the value is deleted again afterwards.
//
// With `warmUpIn` (a scratch folder), the process first writes to a store of its own there: that takes the costs of
// the process's very first write (the write path's JavaScript compiled, its native code paged in, the store's
// closing thread started) out of the first write, and what is left between the two is what a load costs the first
// write of that hive.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';

import { probeMain } from '../kinds/probe';

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

probeMain(() => {
  const args = JSON.parse(process.argv[2]) as { prefix: string; key: string; warmUpIn?: string };
  if (args.warmUpIn !== undefined) warmUp(args.warmUpIn);
  const reg = openRegistrySync({ prefix: args.prefix });
  reg.keyExists(args.key); // loads user.reg
  const t0 = performance.now();
  reg.writeValue(args.key, 'benchFirstWrite', { type: 'REG_DWORD', data: 1 });
  const t1 = performance.now();
  reg.writeValue(args.key, 'benchFirstWrite', { type: 'REG_DWORD', data: 2 });
  const t2 = performance.now();
  reg.deleteValue(args.key, 'benchFirstWrite');
  reg.close();
  return { firstMs: t1 - t0, secondMs: t2 - t1 };
});
