// A fresh Node process: a store that has just loaded user.reg writes one value, then writes it again. The first save
// after a load reads the file again and compares the tree with it (formatting only keys not in Wine's form); later
// saves format only the keys that changed (the write trials measure those). Both times, in ms, as JSON on stdout;
// the value is deleted again afterwards.
import { openRegistrySync } from 'regbridge';

import { probeMain } from '../kinds/probe';

probeMain(() => {
  const args = JSON.parse(process.argv[2]) as { prefix: string; key: string };
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
