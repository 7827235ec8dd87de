// A fresh Node process on a scale store (store/scaleStore.ts): open it and read one value of user.reg (which loads
// the whole hive) — time and the process's RSS growth; then list `key` (a few times), read one of its values (many
// times), and write a value to it and delete it again (each rewrites user.reg; the first write after the load is
// timed apart from the later ones). JSON on stdout.
import { probeMain } from '../kinds/probe';

interface Args {
  prefix: string;
  key: string;
  name: string;
  list: boolean;
  writes: number;
}

async function main(): Promise<object> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const regbridge = require('regbridge') as typeof import('regbridge');
  const args = JSON.parse(process.argv[2]) as Args;
  const reg = regbridge.openRegistrySync({ prefix: args.prefix });
  reg.keyExists('HKLM\\Software'); // loads the (tiny) system.reg, so that the next call loads user.reg alone
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss0 = process.memoryUsage.rss();
  const t0 = performance.now();
  reg.readStringValue(args.key, args.name);
  const loadMs = performance.now() - t0;
  gc?.();
  const rssMiB = (process.memoryUsage.rss() - rss0) / 2 ** 20;
  const listMs: number[] = [];
  if (args.list) {
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      reg.listValues(args.key);
      listMs.push(performance.now() - t);
    }
  }
  const reads = 2000;
  const t1 = performance.now();
  for (let i = 0; i < reads; i++) reg.readStringValue(args.key, args.name);
  const readNs = ((performance.now() - t1) * 1e6) / reads;
  const writeMs: number[] = [];
  const deleteMs: number[] = [];
  for (let i = 0; i < args.writes; i++) {
    const t = performance.now();
    reg.writeValue(args.key, 'BenchScaleWrite', { type: 'REG_SZ', data: `write ${i}` });
    const t2 = performance.now();
    reg.deleteValue(args.key, 'BenchScaleWrite');
    writeMs.push(t2 - t);
    deleteMs.push(performance.now() - t2);
  }
  reg.close();
  return { loadMs, rssMiB, listMs: Math.min(...listMs), readNs, writeMs, deleteMs };
}

probeMain(main);
