// A fresh Node process that has written once already, to a store of its own in a scratch folder, before it loads
// user.reg and writes to it twice: the same two writes as the firstWrite probe, with the costs of the process's very
// first write (the write path's JavaScript compiled, its native code paged in, the store's closing thread started)
// taken out. What is left between the two is what a load costs the first write of that hive. Both times, in ms, as
// JSON on stdout; the values are deleted again afterwards.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';

import { probeMain } from '../kinds/probe';

probeMain(() => {
  const args = JSON.parse(process.argv[2]) as { prefix: string; key: string; scratch: string };
  const warmUpPrefix = path.join(args.scratch, `warm-up-${process.pid}`);
  try {
    const warmUp = openRegistrySync({ prefix: warmUpPrefix });
    warmUp.writeValue('HKCU\\Software\\warm-up', 'first', { type: 'REG_DWORD', data: 1 });
    warmUp.writeValue('HKCU\\Software\\warm-up', 'first', { type: 'REG_DWORD', data: 2 });
    warmUp.close();
  } finally {
    fs.rmSync(warmUpPrefix, { recursive: true, force: true });
  }
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
