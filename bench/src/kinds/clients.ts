// Several client processes on one helper: 4 Node processes, each with 16 calls in flight, share one regbridge-server
// (started here, each client connecting with the public API's `pipe` option) — against the same four on an echo helper.
// A run's time is from the order to the last client's answer, so throughput is the helper's, all clients together.
import { ChildProcess, fork } from 'node:child_process';

import { Run } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { Helper, startHelper } from '../modes/helper';
import { script } from '../paths';
import { TrialEnv, TrialOutput, whyNot } from './env';

export const clientCount = 4;
export const perClient = 16;

interface Report {
  calls: number;
  elapsedNs: number;
  sample: number[];
}

function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(message);
  });
}

/** Runs the clients trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { ctx, trial } = env;
  const id = (slug: string) => `${trial}/${slug}`;
  const label = `${clientCount} client processes × ${perClient} in flight`;
  let real: Helper | undefined;
  let echo: Helper | undefined;
  let why: string | undefined;
  const clients: ChildProcess[] = [];
  try {
    real = await startHelper({ prefix: ctx.storeDir });
    echo = await startHelper({ echo: true });
    for (let i = 0; i < clientCount; i++)
      clients.push(fork(script('modes/clientWorker'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(clients.map((c) => ask(c, { connect: [real!.socketPath, echo!.socketPath] })));
  } catch (error) {
    why = whyNot(error);
  }
  const runOn =
    (helper: Helper | undefined) =>
    async (calls: number): Promise<Run[]> => {
      const share = Math.ceil(calls / clientCount);
      const start = performance.now();
      const reports = await Promise.all(
        clients.map((c) =>
          ask<Report>(c, {
            socket: helper!.socketPath,
            calls: share,
            concurrency: perClient,
            key: ctx.fixtures.valuesKey,
            name: ctx.fixtures.stringName,
          }),
        ),
      );
      const elapsedNs = (performance.now() - start) * 1e6;
      const latencies = Float64Array.from(reports.flatMap((r) => r.sample));
      return [{ calls: share * clientCount, elapsedNs, latencies, samples: latencies.length, batch: 1 }];
    };
  const contenders: Contender[] = [
    {
      cells: [
        { id: id('pipe'), op: 'readStringValue', mode: 'pipe', variant: label, concurrency: clientCount * perClient },
      ],
      minCalls: clientCount * perClient,
      run: runOn(real),
      notRun: why,
    },
    {
      cells: [
        {
          id: id('echo'),
          op: 'readStringValue',
          mode: 'floor: echo',
          variant: label,
          concurrency: clientCount * perClient,
        },
      ],
      minCalls: clientCount * perClient,
      run: runOn(echo),
      notRun: why,
    },
  ];
  const cells = await runRounds(trial, contenders, {
    ...env.settings,
    budgetMs: env.settings.budgetMs * 4,
    onRound: (d, t) => env.progress(d / t),
  });
  for (const c of clients) c.disconnect();
  await real?.stop();
  await echo?.stop();
  return {
    cells,
    ratios: [ratio(cells, id('pipe'), id('echo'), 'throughput')],
    figures: [],
    notes: [
      `${label}: ${clientCount} Node processes, each a pipe-mode client with ${perClient} calls in flight, on one helper.`,
    ],
  };
}
