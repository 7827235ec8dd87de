// A fresh Node process: with regbridge already required, the time to open a store and read one HKLM value — which
// loads system.reg — as JSON on stdout.
import { openRegistrySync } from 'regbridge';

import { probeMain } from '../kinds/probe';

probeMain(() => {
  const args = JSON.parse(process.argv[2]) as { prefix: string; key: string; name: string };
  const t0 = performance.now();
  const reg = openRegistrySync({ prefix: args.prefix });
  reg.readStringValue(args.key, args.name);
  return { ms: performance.now() - t0 };
});
