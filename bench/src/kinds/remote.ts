// One read operation out of process, interleaved, at 1, 16 and 128 calls in flight: pipe mode (the public API, its
// own helper); the echo floors — the same request over the same socket kind and framing with no operation, as four
// pairs of client and server: the minimal ones (modes/minimalEcho.ts: a C++ server that parses no JSON, a Node
// client with no regbridge code; the floor the targets use), regbridge's connection code against the minimal
// server, the minimal client against `regbridge-server --echo`, and regbridge's client against its own --echo — so
// that what pipe mode costs above the floor can be placed in the client, the server or the kernel; and the peers a
// user would otherwise write — a Node child answering over vscode-jsonrpc on stdio, and a Node child over
// child_process IPC — both serving the same lookups with regbridge in-process on the same store.
import { openRegistry, Registry } from 'regbridge';

import { runAsync } from '../measure/loops';
import { Contender, ratio, runRounds } from '../measure/rounds';
import { Helper, startHelper } from '../modes/helper';
import { Client, FloorServer, minimalClient, regbridgeClient, startFloorServer } from '../modes/minimalEcho';
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
  const floorServer = await attempt<FloorServer>(startFloorServer);
  const echoHelper = await attempt<Helper>(() => startHelper({ echo: true }));
  const client = async (
    server: FloorServer | Helper | { notRun: string },
    connect: (socket: string) => Promise<Client>,
  ): Promise<Client | { notRun: string }> => ('notRun' in server ? server : attempt(() => connect(server.socketPath)));
  const floor = await client(floorServer, minimalClient);
  const rbToFloor = await client(floorServer, regbridgeClient);
  const minToEcho = await client(echoHelper, minimalClient);
  const echo = await client(echoHelper, regbridgeClient);
  const jsonrpc = await attempt<Peer>(() => openJsonrpcPeer(ctx.storeDir));
  const ipc = await attempt<Peer>(() => openIpcPeer(ctx.storeDir));

  const contenders: Contender[] = [];
  const add = (
    slug: string,
    mode: Mode,
    target: { notRun: string } | object,
    call: () => Promise<unknown>,
    variant?: string,
  ) => {
    for (const c of concurrencies) {
      contenders.push({
        cells: [{ id: id(`${slug}-c${c}`), op: opName, mode, variant, concurrency: c }],
        minCalls: Math.max(c, 16),
        run: async (n) => [await runAsync(call, n, c)],
        notRun: 'notRun' in target ? target.notRun : undefined,
      });
    }
  };
  const remote = (peer: { call: RemoteCall } | { notRun: string }) => () =>
    op.remote((peer as { call: RemoteCall }).call, ctx);
  add('floor', 'floor: echo', floor, remote(floor), 'minimal client → minimal C++ server');
  add('rbclient-floor', 'floor: echo', rbToFloor, remote(rbToFloor), 'regbridge client → minimal C++ server');
  add('minclient-echo', 'floor: echo', minToEcho, remote(minToEcho), 'minimal client → regbridge-server --echo');
  add('echo', 'floor: echo', echo, remote(echo), 'regbridge client → regbridge-server --echo');
  add('pipe', 'pipe', pipe, () => op.async(pipe as Registry, ctx));
  add('jsonrpc', 'peer: vscode-jsonrpc', jsonrpc, remote(jsonrpc));
  add('ipc', 'peer: child_process IPC', ipc, remote(ipc));

  // vscode-jsonrpc's JIT warm-up takes thousands of calls (its per-call time keeps falling for a few thousand): every mode
  // gets the same warm-up at 16 in flight before calibration, so that no contender is measured while still warming.
  const warmup = env.settings.quick ? 500 : 3000;
  for (const [mode, call] of [
    [floor, remote(floor)],
    [rbToFloor, remote(rbToFloor)],
    [minToEcho, remote(minToEcho)],
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
  const ratios = [
    ratio(cells, id('pipe-c1'), id('floor-c1'), 'time'),
    ratio(cells, id('pipe-c1'), id('echo-c1'), 'time'),
    ratio(cells, id('echo-c1'), id('floor-c1'), 'time'),
    ratio(cells, id('rbclient-floor-c1'), id('floor-c1'), 'time'),
    ratio(cells, id('minclient-echo-c1'), id('floor-c1'), 'time'),
  ];
  for (const c of concurrencies) {
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`floor-c${c}`), 'throughput'));
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`echo-c${c}`), 'throughput'));
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`jsonrpc-c${c}`), 'throughput'));
    ratios.push(ratio(cells, id(`pipe-c${c}`), id(`ipc-c${c}`), 'throughput'));
  }
  for (const opened of [floor, rbToFloor, minToEcho, echo]) if (!('notRun' in opened)) opened.close();
  for (const opened of [pipe, floorServer, jsonrpc, ipc]) {
    if (!('notRun' in opened)) await ('stop' in opened ? opened.stop() : opened.close());
  }
  if (!('notRun' in echoHelper)) await echoHelper.stop();
  return { cells, ratios, figures: [], notes: [] };
}
