// One read operation out of process, interleaved, at 1, 16 and 128 calls in flight: pipe mode (the public API, its
// own helper), the echo floor (the same socket and framing, no operation), and the peers a user would otherwise
// write — a Node child answering over vscode-jsonrpc on stdio, and a Node child over child_process IPC — both
// serving the same lookups with regbridge in-process on the same store.
import { openRegistry, Registry } from 'regbridge';

import { runAsync } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { openEcho, EchoFloor } from '../modes/echo';
import { openIpcPeer } from '../modes/ipcPeer';
import { openJsonrpcPeer, Peer } from '../modes/jsonrpcPeer';
import { reads, ReadName } from '../operations';
import type { RemoteCall } from '../operations/context';
import type { Mode } from '../report/results';
import { TrialEnv, TrialOutput, whyNot } from './env';
import { concurrencies } from './inProcess';

async function attempt<T>(open: () => Promise<T>): Promise<T | { notRun: string }> {
  try {
    return await open();
  } catch (error) {
    return { notRun: whyNot(error) };
  }
}

/** Runs the out-of-process trial of one read operation. */
export async function run(env: TrialEnv, opName: ReadName): Promise<TrialOutput> {
  const op = reads[opName];
  const { ctx, trial } = env;
  const id = (slug: string) => `${trial}/${slug}`;
  const pipe = await attempt<Registry>(() => openRegistry({ mode: 'pipe', prefix: ctx.storeDir }));
  const echo = await attempt<EchoFloor>(openEcho);
  const jsonrpc = await attempt<Peer>(() => openJsonrpcPeer(ctx.storeDir));
  const ipc = await attempt<Peer>(() => openIpcPeer(ctx.storeDir));

  const contenders: Contender[] = [];
  const add = (slug: string, mode: Mode, target: { notRun: string } | object, call: () => Promise<unknown>) => {
    for (const c of concurrencies) {
      contenders.push({
        cells: [{ id: id(`${slug}-c${c}`), op: opName, mode, concurrency: c }],
        minCalls: Math.max(c, 16),
        run: async (n) => [await runAsync(call, n, c)],
        notRun: 'notRun' in target ? target.notRun : undefined,
      });
    }
  };
  const remote = (peer: { call: RemoteCall } | { notRun: string }) => () =>
    op.remote((peer as { call: RemoteCall }).call, ctx);
  add('echo', 'floor: echo', echo, remote(echo));
  add('pipe', 'pipe', pipe, () => op.async(pipe as Registry, ctx));
  add('jsonrpc', 'peer: vscode-jsonrpc', jsonrpc, remote(jsonrpc));
  add('ipc', 'peer: child_process IPC', ipc, remote(ipc));

  // vscode-jsonrpc's JIT warm-up takes thousands of calls (its per-call time keeps falling for a few thousand): every mode
  // gets the same warm-up at 16 in flight before calibration, so that no contender is measured while still warming.
  const warmup = env.settings.quick ? 500 : 3000;
  for (const [mode, call] of [
    [echo, remote(echo)],
    [pipe, () => op.async(pipe as Registry, ctx)],
    [jsonrpc, remote(jsonrpc)],
    [ipc, remote(ipc)],
  ] as const) {
    if (!('notRun' in mode)) await runAsync(call, warmup, 16);
  }
  const cells = await runRounds(trial, contenders, {
    ...env.settings,
    budgetMs: env.settings.budgetMs * 1.5,
    onRound: (d, t) => env.progress(d / t),
  });
  const ratios = [ratio(cells, id('pipe-c1'), id('echo-c1'), 'time')];
  for (const c of concurrencies) {
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`echo-c${c}`), 'throughput'));
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`jsonrpc-c${c}`), 'throughput'));
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`ipc-c${c}`), 'throughput'));
  }
  for (const opened of [pipe, echo, jsonrpc, ipc]) {
    if (!('notRun' in opened)) await opened.close();
  }
  return { cells, ratios, figures: [], notes: [] };
}
