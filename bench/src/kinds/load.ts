// Loading system.reg: a fresh process opens the store and reads one HKLM value, which parses the whole hive. On a real
// prefix's system.reg (made by `wineboot -i`, hives copied) and on the generated store's, processes alternating; the
// real one also split into its openRegistrySync and its first read.
// Then what a load costs the first write after it: a fresh process loads user.reg and writes twice (the target's
// figure); again in a process that has written to another store first, which takes the process's own first-write
// costs out; and in a process past every one-time cost (it has written to this store already) that sees user.reg
// rewritten by another program, loads it again and writes twice: the hive's own part alone. Beside them, the floor:
// a fresh process that reads user.reg and writes its bytes to a new file and renames it, twice, with no regbridge
// code (the system calls of a save that copies the kept text whole), which shows what the machine alone charges a
// process's first save against its next.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { figure, notRunFigure } from './figures';
import type { TrialEnv, TrialOutput } from './env';
import { probe } from './probe';

// Present in every prefix `wineboot -i` makes, and in the generated store.
const key = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
const name = 'ProductName';

/** Runs the load trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { ctx, trial, setup, settings } = env;
  const real = 'hivesDir' in setup.real ? setup.real : undefined;
  const realMs: number[] = [];
  const realOpenMs: number[] = [];
  const generatedMs: number[] = [];
  const firstWriteMs: number[] = [];
  const secondWriteMs: number[] = [];
  const warmFirstWriteMs: number[] = [];
  const warmSecondWriteMs: number[] = [];
  const reloadFirstWriteMs: number[] = [];
  const reloadSecondWriteMs: number[] = [];
  const reloadReadMs: number[] = [];
  const floorFirstMs: number[] = [];
  const floorSecondMs: number[] = [];
  const count = settings.processes;
  for (let i = 0; i < count; i++) {
    if (real) {
      const load = await probe<{ ms: number; openMs: number }>('load', { prefix: real.hivesDir, key, name });
      realMs.push(load.ms);
      realOpenMs.push(load.openMs);
    }
    generatedMs.push((await probe<{ ms: number }>('load', { prefix: ctx.storeDir, key, name })).ms);
    const floor = await probe<{ firstMs: number; secondMs: number }>('firstWriteFloor', {
      file: path.join(ctx.storeDir, 'user.reg'),
      dir: setup.scratchDir,
    });
    floorFirstMs.push(floor.firstMs);
    floorSecondMs.push(floor.secondMs);
    const writes = await probe<{ firstMs: number; secondMs: number }>('firstWrite', {
      prefix: ctx.storeDir,
      key: ctx.fixtures.writeKeys.HKCU,
    });
    firstWriteMs.push(writes.firstMs);
    secondWriteMs.push(writes.secondMs);
    const warm = await probe<{ firstMs: number; secondMs: number }>('firstWrite', {
      prefix: ctx.storeDir,
      key: ctx.fixtures.writeKeys.HKCU,
      warmUpIn: setup.scratchDir,
    });
    warmFirstWriteMs.push(warm.firstMs);
    warmSecondWriteMs.push(warm.secondMs);
    const reload = await probe<{ firstMs: number; secondMs: number; reloadMs: number }>('firstWrite', {
      prefix: ctx.storeDir,
      key: ctx.fixtures.writeKeys.HKCU,
      afterReload: true,
    });
    reloadFirstWriteMs.push(reload.firstMs);
    reloadSecondWriteMs.push(reload.secondMs);
    reloadReadMs.push(reload.reloadMs);
    env.progress((i + 1) / count);
  }
  const size = (dir: string) => fs.statSync(path.join(dir, 'system.reg')).size;
  const storeLabel = setup.store.kind === 'generated' ? 'the generated' : 'this run\u2019s';
  return {
    cells: [],
    ratios: [],
    figures: [
      real
        ? figure(
            trial,
            'load.real',
            `load a real system.reg (${size(real.hivesDir)} bytes) + first HKLM read`,
            'ms',
            realMs,
            `from ${real.source} (${real.madeBy})`,
          )
        : notRunFigure(
            trial,
            'load.real',
            'load a real system.reg + first HKLM read',
            'ms',
            (setup.real as { notRun: string }).notRun,
          ),
      ...(real
        ? [
            figure(
              trial,
              'load.real.open',
              '  of which openRegistrySync (the client\u2019s modules and the addon loaded; no hive read)',
              'ms',
              realOpenMs,
            ),
            figure(
              trial,
              'load.real.read',
              '  of which the first HKLM read (reads and parses system.reg)',
              'ms',
              realMs.map((ms, i) => ms - realOpenMs[i]),
            ),
          ]
        : []),
      figure(
        trial,
        'load.store',
        `load ${storeLabel} system.reg (${size(ctx.storeDir)} bytes) + first HKLM read`,
        'ms',
        generatedMs,
      ),
      figure(
        trial,
        'write.first',
        `first write to ${storeLabel} user.reg after loading it (compares it with the file)`,
        'ms',
        firstWriteMs,
      ),
      figure(trial, 'write.second', 'the next write to it (formats the changed key only)', 'ms', secondWriteMs),
      figure(
        trial,
        'write.first-over-second',
        'first write after a load ÷ the next write (per process)',
        '×',
        firstWriteMs.map((ms, i) => ms / secondWriteMs[i]),
      ),
      figure(
        trial,
        'write.floor.first',
        'floor: user.reg’s bytes written to a new file and renamed, in a fresh process, first time',
        'ms',
        floorFirstMs,
        `no regbridge code: the file read, then written whole in ${path.basename(setup.scratchDir)}/`,
      ),
      figure(trial, 'write.floor.second', 'floor: the same, second time', 'ms', floorSecondMs),
      figure(
        trial,
        'write.floor.first-over-second',
        'floor: first ÷ second (per process)',
        '×',
        floorFirstMs.map((ms, i) => ms / floorSecondMs[i]),
      ),
      figure(
        trial,
        'write.first.warm',
        'the same first write, in a process that has written to another store before',
        'ms',
        warmFirstWriteMs,
        'what is left is the hive\u2019s first write and the store\u2019s (lock file mapped, leftovers looked for); the rest above is the process\u2019s first write',
      ),
      figure(trial, 'write.second.warm', 'and the next write in that process', 'ms', warmSecondWriteMs),
      figure(
        trial,
        'write.first-over-second.warm',
        'first write after a load ÷ the next write, process warmed (per process)',
        '×',
        warmFirstWriteMs.map((ms, i) => ms / warmSecondWriteMs[i]),
      ),
      figure(
        trial,
        'write.reload.read',
        'user.reg rewritten by another program, in a process that has written to it: the read that loads it again',
        'ms',
        reloadReadMs,
      ),
      figure(trial, 'write.reload.first', 'then the first write after that load', 'ms', reloadFirstWriteMs),
      figure(trial, 'write.reload.second', 'and the next write', 'ms', reloadSecondWriteMs),
      figure(
        trial,
        'write.reload.first-over-second',
        'first write after a reload ÷ the next write, in a running process (per process)',
        '×',
        reloadFirstWriteMs.map((ms, i) => ms / reloadSecondWriteMs[i]),
        'the hive\u2019s own first-write cost alone: every one-time cost of the process and the store is paid',
      ),
    ],
    notes: [],
  };
}
