// One read operation in-process, against the N-API floors, interleaved: the bare call and the two-string hash-map
// lookup (bench/floor/), the call through the synchronous API, and through the asynchronous one with 1, 16 and 128
// calls in flight. For readStringValue also the addon's own function without the TypeScript layer, which tells how
// much of the gap to the floor is JS and how much is native.
import * as path from 'node:path';

import { openRegistry, openRegistrySync } from 'regbridge';

import { runAsync, runSync } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { reads, ReadName } from '../operations';
import { addonFile } from '../paths';
import { loadFloor } from '../modes/floor';
import type { TrialEnv, TrialOutput } from './env';

export const concurrencies = [1, 16, 128];

/** Runs the in-process trial of one read operation. */
export async function run(env: TrialEnv, opName: ReadName): Promise<TrialOutput> {
  const op = reads[opName];
  const { ctx, trial } = env;
  const f = ctx.fixtures;
  const floor = loadFloor();
  // The floor's map holds the same key, name and text the registry call returns.
  const sync = openRegistrySync({ prefix: ctx.storeDir });
  floor.set(f.valuesKey, f.stringName, sync.readStringValue(f.valuesKey, f.stringName));
  const reg = await openRegistry({ mode: 'in-process', prefix: ctx.storeDir });
  const id = (slug: string) => `${trial}/${slug}`;

  const contenders: Contender[] = [
    {
      cells: [
        { id: id('floor-noop'), op: opName, mode: 'floor: N-API', variant: 'bare call, no arguments', concurrency: 1 },
      ],
      minCalls: 1024,
      run: (n) => [runSync(() => floor.noop(), n)],
    },
    {
      cells: [
        {
          id: id('floor-get'),
          op: opName,
          mode: 'floor: N-API',
          variant: 'two strings in, hash map, string out',
          concurrency: 1,
        },
      ],
      minCalls: 1024,
      run: (n) => [runSync(() => floor.get(f.valuesKey, f.stringName), n)],
    },
    {
      cells: [{ id: id('sync'), op: opName, mode: 'in-process sync', concurrency: 1 }],
      minCalls: 1024,
      run: (n) => [runSync(() => op.sync(sync, ctx), n)],
    },
  ];
  if (opName === 'readStringValue') {
    const raw = (
      require(path.resolve(addonFile)) as { openStore(prefix: string): Record<string, (...a: unknown[]) => unknown> }
    ).openStore(ctx.storeDir);
    contenders.push({
      cells: [{ id: id('addon-sync'), op: opName, mode: 'addon, no TS layer', concurrency: 1 }],
      minCalls: 1024,
      run: (n) => [runSync(() => raw.readStringValueSync(f.valuesKey, f.stringName), n)],
    });
  }
  for (const c of concurrencies) {
    contenders.push({
      cells: [{ id: id(`async-c${c}`), op: opName, mode: 'in-process async', concurrency: c }],
      // A lone async call costs far more than one among many (the first after other work is slow): never time fewer.
      minCalls: Math.max(c, 256),
      run: async (n) => [await runAsync(() => op.async(reg, ctx), n, c)],
    });
  }
  // In-process runs are short and the ratios to the floor are the figures most sensitive to noise: more rounds.
  const rounds = env.settings.rounds + (env.settings.quick ? 0 : 4);
  const cells = await runRounds(trial, contenders, { ...env.settings, rounds, onRound: (d, t) => env.progress(d / t) });
  const ratios = [
    ratio(cells, id('sync'), id('floor-get'), 'time'),
    ratio(cells, id('sync'), id('floor-noop'), 'time'),
    ratio(cells, id('async-c1'), id('sync'), 'time'),
  ];
  if (opName === 'readStringValue') ratios.push(ratio(cells, id('addon-sync'), id('floor-get'), 'time'));
  await reg.close();
  sync.close();
  return { cells, ratios, figures: [], notes: [] };
}
