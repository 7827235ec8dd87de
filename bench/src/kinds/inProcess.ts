// One read operation in-process, against the N-API floors, interleaved: the bare call and the two-string hash-map
// lookup (bench/floor/), the call through the synchronous API, and through the asynchronous one with 1, 16 and 128
// calls in flight. For readStringValue also the addon's own function without the TypeScript layer, which tells how
// much of the gap to the floor is JS and how much is native. For readStringValue, readValue and keyExists also
// round-robin over many distinct entries — every one under HKLM\Software of a real Wine prefix, and every one of the
// run's store — beside the floor's hash map filled with the same entries: a read repeated on one key can be served
// from a cache, a read that moves on to the next key each time shows the lookup itself.
import * as path from 'node:path';

import { openRegistry, openRegistrySync, RegistrySync } from 'regbridge';

import { runAsync, runSync } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { reads, ReadName } from '../operations';
import { addonFile } from '../paths';
import { FloorAddon, loadFloor } from '../modes/floor';
import { collectEntries, Entries, Entry, stringEntries } from '../store/entries';
import { TrialEnv, TrialOutput, whyNot } from './env';

/** The operations also read round-robin. */
const roundRobinOps = ['readStringValue', 'readValue', 'keyExists'] as const;

/** One set of entries to read round-robin: on which registry, and what to call each time. */
interface RoundRobin {
  slug: string;
  what: string;
  count: number;
  sync: (i: number) => unknown;
  floor: (i: number) => unknown;
}

// The calls of one operation over a list of entries, and the floor's map filled with the same entries (the text of
// each REG_SZ value for readStringValue, so that the floor returns the same strings).
function roundRobin(
  opName: ReadName,
  reg: RegistrySync,
  floor: FloorAddon,
  entries: Entries,
): Pick<RoundRobin, 'count' | 'sync' | 'floor'> {
  if (opName === 'keyExists') {
    const keys = entries.keys;
    for (const key of keys) floor.set(key, '', '1');
    return {
      count: keys.length,
      sync: (i) => reg.keyExists(keys[i % keys.length]),
      floor: (i) => floor.get(keys[i % keys.length], ''),
    };
  }
  // A REG_SZ whose bytes are no UTF-16 string (an odd length: the generated store has some) is refused by
  // readStringValue: left out of its list.
  const text = (e: Entry) => {
    try {
      return reg.readStringValue(e.key, e.name);
    } catch {
      return undefined;
    }
  };
  const list: Entry[] = [];
  for (const e of opName === 'readStringValue' ? stringEntries(entries) : entries.values) {
    const value = e.type === 'REG_SZ' ? text(e) : e.type;
    if (value === undefined && opName === 'readStringValue') continue;
    floor.set(e.key, e.name, value ?? e.type);
    list.push(e);
  }
  const n = list.length;
  return {
    count: n,
    sync:
      opName === 'readStringValue'
        ? (i) => reg.readStringValue(list[i % n].key, list[i % n].name)
        : (i) => reg.readValue(list[i % n].key, list[i % n].name),
    floor: (i) => floor.get(list[i % n].key, list[i % n].name),
  };
}

// The round-robin sets: a real prefix's HKLM\Software (its hives copied by setup; read only) and the run's store.
function roundRobins(
  env: TrialEnv,
  opName: ReadName,
  sync: RegistrySync,
  floor: FloorAddon,
): {
  sets: Array<RoundRobin | { slug: string; what: string; notRun: string }>;
  close: () => void;
} {
  const sets: Array<RoundRobin | { slug: string; what: string; notRun: string }> = [];
  const unit = opName === 'keyExists' ? 'keys' : opName === 'readStringValue' ? 'REG_SZ values' : 'values';
  let real: RegistrySync | undefined;
  const realWhat = `a real prefix's HKLM\\Software`;
  if ('hivesDir' in env.setup.real) {
    try {
      real = openRegistrySync({ prefix: env.setup.real.hivesDir });
      const rr = roundRobin(opName, real, floor, collectEntries(real, ['HKLM\\Software']));
      sets.push({ slug: 'real', what: `${rr.count} ${unit} of ${realWhat}`, ...rr });
    } catch (error) {
      sets.push({ slug: 'real', what: realWhat, notRun: whyNot(error) });
    }
  } else {
    sets.push({ slug: 'real', what: realWhat, notRun: env.setup.real.notRun });
  }
  const rr = roundRobin(opName, sync, floor, collectEntries(sync, ['HKLM', 'HKCU', 'HKU\\.Default']));
  sets.push({ slug: 'store', what: `${rr.count} ${unit} of the run's store`, ...rr });
  return { sets, close: () => real?.close() };
}

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
  const robins = (roundRobinOps as readonly string[]).includes(opName)
    ? roundRobins(env, opName, sync, floor)
    : { sets: [], close: () => {} };

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
    const addon = require(path.resolve(addonFile)) as {
      openStore(prefix: string): unknown;
      store: { readStringValueSync(store: unknown, key: string, name: string): unknown };
    };
    const raw = addon.openStore(ctx.storeDir);
    const read = addon.store.readStringValueSync;
    contenders.push({
      cells: [{ id: id('addon-sync'), op: opName, mode: 'addon, no TS layer', concurrency: 1 }],
      minCalls: 1024,
      run: (n) => [runSync(() => read(raw, f.valuesKey, f.stringName), n)],
    });
  }
  for (const set of robins.sets) {
    const notRun = 'notRun' in set ? set.notRun : undefined;
    // Every run reads every entry at least once (a shorter run would read the same few again and again).
    const cycle = Math.ceil(('count' in set ? set.count : 1) / 1024) * 1024;
    const spec = (slug: string, mode: 'floor: N-API' | 'in-process sync', variant: string) => ({
      id: id(`rr-${set.slug}-${slug}`),
      op: opName,
      mode,
      variant,
      concurrency: 1,
    });
    contenders.push(
      {
        cells: [spec('floor', 'floor: N-API', `hash map of the same entries, round-robin over ${set.what}`)],
        minCalls: cycle,
        run: (n) => [runSync((set as RoundRobin).floor, n)],
        notRun,
      },
      {
        cells: [spec('sync', 'in-process sync', `round-robin over ${set.what}`)],
        minCalls: cycle,
        run: (n) => [runSync((set as RoundRobin).sync, n)],
        notRun,
      },
    );
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
  for (const set of robins.sets)
    ratios.push(ratio(cells, id(`rr-${set.slug}-sync`), id(`rr-${set.slug}-floor`), 'time'));
  await reg.close();
  robins.close();
  sync.close();
  const notes = robins.sets.map((set) =>
    'notRun' in set
      ? `${trial}: round-robin over ${set.what} not run: ${set.notRun}`
      : `${trial}: round-robin over ${set.what}`,
  );
  return { cells, ratios, figures: [], notes };
}
