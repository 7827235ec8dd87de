// A fresh Node process: with regbridge already required, the time to open a store and read one HKLM value — which
// loads system.reg — as JSON on stdout, and the part of it that openRegistrySync took (the client's modules and the
// addon loaded, the store opened; no hive read yet).
import { openRegistrySync } from 'regbridge';

import { probeMain } from '../kinds/probe';

probeMain(() => {
  const args = JSON.parse(process.argv[2]) as { prefix: string; key: string; name: string };
  const t0 = performance.now();
  const reg = openRegistrySync({ prefix: args.prefix });
  const t1 = performance.now();
  reg.readStringValue(args.key, args.name);
  return { ms: performance.now() - t0, openMs: t1 - t0 };
});
