// Several client processes on one helper: 4 Node processes, each with 16 calls in flight, share one regbridge-server
// (started here, each client connecting with the public API's `pipe` option) — against the same four on an echo helper.
// Then many clients: 4, 16 and 64 connections (4 processes × 1, 4, 16 connections each), one call in flight on
// each, so that what a client costs the helper as their number grows is visible (per call, and the helper's RSS per
// connection). A run's time is from the order to the last client's answer, so throughput is the helper's, all
// clients together.
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';

import { openRegistry } from 'regbridge';

import { Run } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { Helper, startHelper } from '../modes/helper';
import { script } from '../paths';
import { TrialEnv, TrialOutput, whyNot } from './env';
import { figure } from './figures';

export const clientCount = 4;
export const perClient = 16;
/** Connections per client process in the many-clients runs (4 processes: 4, 16, 64 clients). */
const connectionCounts = [1, 4, 16];

function rssMiB(pid: number): number {
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kib / 1024;
}

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
  const maxConnections = connectionCounts[connectionCounts.length - 1];
  const rss: { before?: number; after?: number } = {};
  let closeFirst = async () => {};
  try {
    real = await startHelper({ prefix: ctx.storeDir });
    echo = await startHelper({ echo: true });
    for (let i = 0; i < clientCount; i++)
      clients.push(fork(script('modes/clientWorker'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(clients.map((c) => ask(c, { connect: [echo!.socketPath], connections: maxConnections })));
    // The helper's RSS with its hives loaded and one connection (this process's), then with every client's open.
    const first = await openRegistry({ mode: 'pipe', pipe: real.socketPath });
    await first.readStringValue(ctx.fixtures.userKey, ctx.fixtures.userName);
    await first.readStringValue(ctx.fixtures.valuesKey, ctx.fixtures.stringName);
    await first.keyExists('HKU\\.Default\\Software');
    if (fs.existsSync('/proc/self/status')) rss.before = rssMiB(real.pid);
    await Promise.all(clients.map((c) => ask(c, { connect: [real!.socketPath], connections: maxConnections })));
    if (rss.before !== undefined) rss.after = rssMiB(real.pid);
    closeFirst = () => first.close();
  } catch (error) {
    why = whyNot(error);
  }
  const runOn =
    (helper: Helper | undefined, use = 1, concurrency = perClient) =>
    async (calls: number): Promise<Run[]> => {
      const share = Math.ceil(calls / clientCount);
      const start = performance.now();
      const reports = await Promise.all(
        clients.map((c) =>
          ask<Report>(c, {
            socket: helper!.socketPath,
            calls: share,
            concurrency,
            use,
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
  for (const k of connectionCounts) {
    const n = clientCount * k;
    for (const [slug, mode, helper] of [
      ['pipe', 'pipe', real],
      ['echo', 'floor: echo', echo],
    ] as const) {
      contenders.push({
        cells: [
          {
            id: id(`${slug}-clients-${n}`),
            op: 'readStringValue',
            mode,
            variant: `${n} clients (${clientCount} processes × ${k} connection${k === 1 ? '' : 's'}), 1 in flight each`,
            concurrency: n,
          },
        ],
        minCalls: n * 4,
        run: runOn(helper, k, k),
        notRun: why,
      });
    }
  }
  const cells = await runRounds(trial, contenders, {
    ...env.settings,
    budgetMs: env.settings.budgetMs * 4,
    onRound: (d, t) => env.progress(d / t),
  });
  for (const c of clients) c.disconnect();
  await closeFirst();
  await real?.stop();
  await echo?.stop();
  const figures =
    rss.before !== undefined && rss.after !== undefined
      ? [
          figure(
            trial,
            'clients.helper-rss-per-connection',
            `helper RSS per pipe connection (${clientCount * maxConnections} connections, hives loaded)`,
            'B',
            [((rss.after - rss.before) * 2 ** 20) / (clientCount * maxConnections)],
          ),
        ]
      : [];
  return {
    cells,
    ratios: [
      ratio(cells, id('pipe'), id('echo'), 'throughput'),
      ...connectionCounts.map((k) =>
        ratio(cells, id(`pipe-clients-${clientCount * k}`), id(`echo-clients-${clientCount * k}`), 'throughput'),
      ),
    ],
    figures,
    notes: [
      `${label}: ${clientCount} Node processes, each a pipe-mode client with ${perClient} calls in flight, on one helper.`,
    ],
  };
}
