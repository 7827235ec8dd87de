// One user.reg write on a real prefix's user.reg (a copy of a `wineboot -i` one, 25 KB) against write+rename of a
// file that size, call by call in turn: the generated store's user.reg is that of a prefix in use (ten times larger), and
// the ratio depends on the size, so both are reported.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';

import { joinRuns, runSyncAlternating } from '../measure/loops';
import { notRunCell, ratio, runRounds } from '../measure/rounds';
import { loadFloor } from '../modes/floor';
import { writes } from '../operations';
import type { TrialEnv, TrialOutput } from './env';

/** Runs the real-prefix user.reg write trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { trial, setup } = env;
  const id = (slug: string) => `${trial}/${slug}`;
  const specs = {
    floor: {
      id: id('floor-write-rename'),
      op: 'writeValue',
      mode: 'floor: write+rename' as const,
      concurrency: 1,
      hive: 'HKCU' as const,
    },
    write: {
      id: id('writeValue-sync'),
      op: 'writeValue',
      mode: 'in-process sync' as const,
      concurrency: 1,
      hive: 'HKCU' as const,
    },
    remove: {
      id: id('deleteValue-sync'),
      op: 'deleteValue',
      mode: 'in-process sync' as const,
      concurrency: 1,
      hive: 'HKCU' as const,
    },
  };
  if (!('hivesDir' in setup.real)) {
    const why = setup.real.notRun;
    return { cells: Object.values(specs).map((s) => notRunCell(trial, s, why)), ratios: [], figures: [], notes: [] };
  }
  const dir = setup.real.hivesDir;
  const bytes = fs.statSync(path.join(dir, 'user.reg')).size;
  const variant = `real prefix user.reg, ${bytes} bytes`;
  for (const spec of Object.values(specs)) Object.assign(spec, { variant });
  const floor = loadFloor();
  const reg = openRegistrySync({ prefix: dir });
  const ctx = { storeDir: dir, fixtures: env.ctx.fixtures };
  const cells = await runRounds(
    trial,
    [
      {
        // Call by call in turn, as the generated store's writes (writes.ts).
        cells: [specs.floor, specs.write, specs.remove],
        minCalls: 1,
        run: (n) => {
          const writeAndRename = () => floor.writeAndRename(setup.scratchDir, bytes);
          const [floorWrites, written] = runSyncAlternating(
            writeAndRename,
            (i) => writes.writeValue.sync(reg, ctx, i, 'HKCU'),
            n,
          );
          const [floorDeletes, deleted] = runSyncAlternating(
            writeAndRename,
            (i) => writes.deleteValue.sync(reg, ctx, i, 'HKCU'),
            n,
          );
          return [joinRuns([floorWrites, floorDeletes]), written, deleted];
        },
      },
    ],
    { ...env.settings, maxCalls: 2048, onRound: (d, t) => env.progress(d / t) },
  );
  reg.close();
  return {
    cells,
    ratios: [ratio(cells, specs.write.id, specs.floor.id, 'time')],
    figures: [],
    notes: [`${trial}: writes to a copy of ${setup.real.source}/user.reg (${bytes} bytes).`],
  };
}
