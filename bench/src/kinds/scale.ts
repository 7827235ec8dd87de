// How costs grow with size, each at a few sizes a decade apart and with its cost per item, so that what is linear
// and what is not can be seen: a key of 1,000 / 10,000 / 100,000 values (list it, read one value, write one), and a
// user.reg of 10^4 / 10^5 / 10^6 values in keys of 100 (load + first read, the process's RSS growth, one write).
// Each sample is a fresh Node process (probes/scale.ts) on a store written for it (store/scaleStore.ts). --quick
// stops a decade short of the largest sizes. (Many clients on one helper: the clients trial.)
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Figure } from '../report/results';
import { bigKey, spreadKey, valueName, writeScaleStore } from '../store/scaleStore';
import type { TrialEnv, TrialOutput } from './env';
import { figure } from './figures';
import { probe } from './probe';

interface Sample {
  loadMs: number;
  rssMiB: number;
  listMs: number;
  readNs: number;
  writeMs: number[];
  deleteMs: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const count = (n: number) => n.toLocaleString('en-US');

/** Runs the scale trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { trial, setup, settings } = env;
  const sizes = settings.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const hiveSizes = settings.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const processes = Math.min(3, settings.processes);
  const figures: Figure[] = [];
  const notes: string[] = [];
  const steps = sizes.length + hiveSizes.length;
  let done = 0;
  const sampleStore = async (shape: 'one-key' | 'spread', n: number, key: string, name: string) => {
    const dir = path.join(setup.runDir, `scale-${shape}-${n}`);
    const { userRegBytes } = writeScaleStore(dir, shape, n);
    const samples: Sample[] = [];
    // The largest store is ~40 MB: one process for it is enough (and three would take long).
    const repeat = n >= 1_000_000 ? 1 : processes;
    for (let i = 0; i < repeat; i++) {
      samples.push(
        await probe<Sample>('scale', { prefix: dir, key: `HKCU\\${key}`, name, list: shape === 'one-key', writes: 3 }, [
          '--expose-gc',
        ]),
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
    env.progress(++done / steps);
    return { samples, userRegBytes };
  };
  for (const n of sizes) {
    const { samples, userRegBytes } = await sampleStore('one-key', n, bigKey, valueName(Math.floor(n / 2)));
    const list = samples.map((s) => s.listMs);
    // Steady-state writes: the first one after the load is the hive's first save (measured by the load trial).
    const writes = samples.flatMap((s) => s.writeMs.slice(1));
    const id = (what: string) => `scale.key-${n}.${what}`;
    figures.push(
      figure(trial, id('list'), `a key of ${count(n)} values: listValues`, 'ms', list),
      figure(
        trial,
        id('list-per-value'),
        `  per value`,
        'ns',
        list.map((ms) => (ms * 1e6) / n),
      ),
      figure(
        trial,
        id('read'),
        `  readStringValue of one of its values`,
        'ns',
        samples.map((s) => s.readNs),
      ),
      figure(trial, id('write'), `  writeValue to it (rewrites user.reg, ${count(userRegBytes)} bytes)`, 'ms', writes),
      figure(
        trial,
        id('write-per-value'),
        `  per value of the key`,
        'ns',
        writes.map((ms) => (ms * 1e6) / n),
      ),
    );
  }
  for (const n of hiveSizes) {
    const { samples, userRegBytes } = await sampleStore('spread', n, spreadKey(0), valueName(0));
    const writes = samples.flatMap((s) => s.writeMs.slice(1));
    const id = (what: string) => `scale.hive-${n}.${what}`;
    figures.push(
      figure(
        trial,
        id('load'),
        `a user.reg of ${count(n)} values (${(userRegBytes / 2 ** 20).toFixed(1)} MiB): load + first read`,
        'ms',
        samples.map((s) => s.loadMs),
      ),
      figure(
        trial,
        id('load-per-value'),
        `  per value`,
        'ns',
        samples.map((s) => (s.loadMs * 1e6) / n),
      ),
      figure(
        trial,
        id('rss'),
        `  the process's RSS growth`,
        'MiB',
        samples.map((s) => s.rssMiB),
      ),
      figure(
        trial,
        id('rss-per-value'),
        `  per value`,
        'B',
        samples.map((s) => (s.rssMiB * 2 ** 20) / n),
      ),
      figure(
        trial,
        id('rss-vs-file'),
        `  ÷ the file's ${count(userRegBytes)} bytes`,
        '×',
        samples.map((s) => (s.rssMiB * 2 ** 20) / userRegBytes),
      ),
      figure(trial, id('write'), `  writeValue (rewrites the whole file)`, 'ms', writes),
      figure(
        trial,
        id('write-per-value'),
        `  per value of the hive`,
        'ns',
        writes.map((ms) => (ms * 1e6) / n),
      ),
    );
    notes.push(
      `scale: user.reg of ${count(n)} values: median load ${median(samples.map((s) => s.loadMs)).toFixed(1)} ms over ${samples.length} process(es)`,
    );
  }
  return { cells: [], ratios: [], figures, notes };
}
