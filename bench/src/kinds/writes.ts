// Writes to one hive (HKCU: user.reg, HKLM: system.reg), interleaved with the floor of a write: writing a file of the
// hive's size to a temporary name and renaming it into place (no fsync, as the store), done in C++ by the floor addon.
// Each run is a write phase (writeValue bench0..bench<n-1>) then its undo (deleteValue of the same), so the store is
// the same before and after every run; both phases are cells. In-process sync (call by call in turn with the floor),
// async at 1/16/128 in flight, pipe mode at 1/16/128, and the echo of a writeValue request as the transport's floor:
// through regbridge's client to the helper's --echo, and between the minimal client and server (modes/minimalEcho.ts),
// which the report's "floor reaches" figure for the pipe write uses.
import * as path from 'node:path';

import { openRegistry, openRegistrySync, Registry } from 'regbridge';

import { joinRuns, runAsync, runSyncAlternating } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { EchoFloor, openEcho } from '../modes/echo';
import { Client, FloorServer, minimalClient, startFloorServer } from '../modes/minimalEcho';
import { loadFloor } from '../modes/floor';
import type { Hive } from '../operations/context';
import { writes } from '../operations';
import { TrialEnv, TrialOutput, whyNot } from './env';
import { concurrencies } from './inProcess';

const hiveFile: Record<Hive, string> = { HKCU: 'user.reg', HKLM: 'system.reg' };

/** Runs the write trial of one hive. */
export async function run(env: TrialEnv, hive: Hive): Promise<TrialOutput> {
  const { ctx, trial, setup } = env;
  const id = (slug: string) => `${trial}/${slug}`;
  const floor = loadFloor();
  const bytes = setup.store.hiveBytes[hiveFile[hive]];
  const sync = openRegistrySync({ prefix: ctx.storeDir });
  const reg = await openRegistry({ mode: 'in-process', prefix: ctx.storeDir });
  let pipe: Registry | undefined;
  let pipeWhyNot: string | undefined;
  try {
    pipe = await openRegistry({ mode: 'pipe', prefix: ctx.storeDir });
  } catch (error) {
    pipeWhyNot = whyNot(error);
  }
  let echo: EchoFloor | undefined;
  let echoWhyNot: string | undefined;
  try {
    echo = await openEcho();
  } catch (error) {
    echoWhyNot = whyNot(error);
  }
  let floorServer: FloorServer | undefined;
  let minimalEcho: Client | undefined;
  let minimalWhyNot: string | undefined;
  try {
    floorServer = await startFloorServer();
    minimalEcho = await minimalClient(floorServer.socketPath);
  } catch (error) {
    minimalWhyNot = whyNot(error);
  }
  const { writeValue, deleteValue } = writes;
  // The sync store, the async store and the helper are three stores on one prefix: after one of them rewrites the
  // hive, the next call of another reloads it (parses the file again), and its first save formats the whole hive
  // (later saves reuse what did not change). A read, a write and its undo before each run do that untimed, so runs
  // measure a writer's steady state, not the switch between writers.
  const warmUp = 999_999; // the value bench999999, written and deleted again
  const key = ctx.fixtures.writeKeys[hive];
  const spec = (slug: string, mode: 'in-process sync' | 'in-process async' | 'pipe', c: number) => [
    { id: id(`writeValue-${slug}`), op: 'writeValue', mode, concurrency: c, hive },
    { id: id(`deleteValue-${slug}`), op: 'deleteValue', mode, concurrency: c, hive },
  ];
  // The floor and the synchronous writes run call by call in turn (runSyncAlternating): their ratio is a target, and
  // runs apart in time would each meet the disk's bursts differently.
  const writeAndRename = () => floor.writeAndRename(setup.scratchDir, bytes);
  const contenders: Contender[] = [
    {
      cells: [
        {
          id: id('floor-write-rename'),
          op: 'writeValue',
          mode: 'floor: write+rename',
          variant: `${bytes} bytes`,
          concurrency: 1,
          hive,
        },
        ...spec('sync', 'in-process sync', 1),
      ],
      minCalls: 1,
      prepare: () => {
        sync.keyExists(key);
        writeValue.sync(sync, ctx, warmUp, hive);
        deleteValue.sync(sync, ctx, warmUp, hive);
      },
      run: (n) => {
        const [floorWrites, written] = runSyncAlternating(
          writeAndRename,
          (i) => writeValue.sync(sync, ctx, i, hive),
          n,
        );
        const [floorDeletes, deleted] = runSyncAlternating(
          writeAndRename,
          (i) => deleteValue.sync(sync, ctx, i, hive),
          n,
        );
        return [joinRuns([floorWrites, floorDeletes]), written, deleted];
      },
    },
  ];
  // --quick checks that everything runs; 128 system.reg writes in flight take a second per run, too long for it.
  const skip = (c: number) =>
    env.settings.quick && hive === 'HKLM' && c === 128
      ? '--quick leaves out 128 system.reg writes in flight'
      : undefined;
  for (const c of concurrencies) {
    contenders.push({
      cells: spec(`async-c${c}`, 'in-process async', c),
      minCalls: c,
      prepare: async () => {
        await reg.keyExists(key);
        await writeValue.async(reg, ctx, warmUp, hive);
        await deleteValue.async(reg, ctx, warmUp, hive);
      },
      notRun: skip(c),
      run: async (n) => [
        await runAsync((i) => writeValue.async(reg, ctx, i, hive), n, c),
        await runAsync((i) => deleteValue.async(reg, ctx, i, hive), n, c),
      ],
    });
  }
  for (const c of concurrencies) {
    contenders.push({
      cells: spec(`pipe-c${c}`, 'pipe', c),
      minCalls: c,
      prepare: async () => {
        await pipe?.keyExists(key);
        await writeValue.async(pipe!, ctx, warmUp, hive);
        await deleteValue.async(pipe!, ctx, warmUp, hive);
      },
      run: async (n) => [
        await runAsync((i) => writeValue.async(pipe!, ctx, i, hive), n, c),
        await runAsync((i) => deleteValue.async(pipe!, ctx, i, hive), n, c),
      ],
      notRun: pipeWhyNot ?? skip(c),
    });
  }
  contenders.push({
    cells: [
      {
        id: id('echo-c1'),
        op: 'writeValue',
        mode: 'floor: echo',
        variant: 'regbridge client → regbridge-server --echo',
        concurrency: 1,
        hive,
      },
    ],
    minCalls: 1,
    run: async (n) => [await runAsync((i) => writeValue.remote(echo!.call, ctx, i, hive), n, 1)],
    notRun: echoWhyNot,
  });
  contenders.push({
    cells: [
      {
        id: id('floor-c1'),
        op: 'writeValue',
        mode: 'floor: echo',
        variant: 'minimal client → minimal C++ server',
        concurrency: 1,
        hive,
      },
    ],
    minCalls: 1,
    run: async (n) => [await runAsync((i) => writeValue.remote(minimalEcho!.call, ctx, i, hive), n, 1)],
    notRun: minimalWhyNot,
  });

  // A run stays under ~2,000 values so that the key does not grow into a different case.
  const cells = await runRounds(trial, contenders, {
    ...env.settings,
    // A system.reg write is milliseconds and 128 of them in flight take a second per run: the fewest rounds allowed.
    rounds: hive === 'HKLM' ? Math.min(5, env.settings.rounds) : env.settings.rounds,
    maxCalls: 2048,
    onRound: (d, t) => env.progress(d / t),
  });
  const ratios = [
    ratio(cells, id('writeValue-sync'), id('floor-write-rename'), 'time'),
    ratio(cells, id('deleteValue-sync'), id('floor-write-rename'), 'time'),
    ratio(cells, id('writeValue-async-c1'), id('writeValue-sync'), 'time'),
    ratio(cells, id('writeValue-pipe-c1'), id('writeValue-sync'), 'time'),
    ratio(cells, id('writeValue-pipe-c1'), id('echo-c1'), 'time'),
    ratio(cells, id('writeValue-pipe-c128'), id('writeValue-async-c128'), 'throughput'),
  ];
  await pipe?.close();
  await echo?.close();
  minimalEcho?.close();
  await floorServer?.stop();
  await reg.close();
  sync.close();
  return {
    cells,
    ratios,
    figures: [],
    notes: [
      `${hive} writes rewrite ${hiveFile[hive]} (${bytes} bytes); the floor writes and renames ${bytes} bytes in ${path.basename(setup.scratchDir)}/.`,
    ],
  };
}
