// Opening a store, answering one HKLM read, closing — in-process sync, in-process async and pipe mode (which starts
// and stops a helper each time), interleaved, with the echo helper's start + handshake + one echo as pipe mode's
// floor. In one process, so the files are in the page cache: warm opens (cold ones are the start-up trial's).
import { runAsync, runSync } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { openEcho } from '../modes/echo';
import * as openStore from '../operations/openStore';
import type { TrialEnv, TrialOutput } from './env';

/** Runs the open trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { ctx, trial } = env;
  const id = (slug: string) => `${trial}/${slug}`;
  const contenders: Contender[] = [
    {
      cells: [{ id: id('sync'), op: 'openStore', mode: 'in-process sync', concurrency: 1 }],
      minCalls: 1,
      run: (n) => [runSync(() => openStore.sync(ctx), n, 1)],
    },
    {
      cells: [{ id: id('async'), op: 'openStore', mode: 'in-process async', concurrency: 1 }],
      minCalls: 1,
      run: async (n) => [await runAsync(() => openStore.async(ctx), n, 1)],
    },
    {
      cells: [{ id: id('pipe'), op: 'openStore', mode: 'pipe', concurrency: 1 }],
      minCalls: 1,
      run: async (n) => [await runAsync(() => openStore.pipe(ctx), n, 1)],
    },
    {
      cells: [
        {
          id: id('echo'),
          op: 'openStore',
          mode: 'floor: echo',
          variant: 'start + handshake + one echo',
          concurrency: 1,
        },
      ],
      minCalls: 1,
      run: async (n) => [
        await runAsync(
          async () => {
            const echo = await openEcho();
            await echo.call('readStringValue', { key: ctx.fixtures.valuesKey, name: ctx.fixtures.stringName });
            await echo.close();
          },
          n,
          1,
        ),
      ],
    },
  ];
  const cells = await runRounds(trial, contenders, {
    ...env.settings,
    budgetMs: env.settings.budgetMs * 4,
    onRound: (d, t) => env.progress(d / t),
  });
  return {
    cells,
    ratios: [ratio(cells, id('pipe'), id('sync'), 'time'), ratio(cells, id('pipe'), id('echo'), 'time')],
    figures: [],
    notes: [],
  };
}
