// The peer a Wine user has at hand: `wine reg query KEY /v NAME`, one process per call, as a tool would run it. Cold:
// no wineserver running (each call starts one, loads the prefix's hives, and leaves it to time out); warm: a
// persistent wineserver (`wineserver -p`) already up. Runs on the benchmark's own `wineboot -i` prefix. Beside it the
// regbridge command line doing the same query (`regbridge query KEY /v NAME`, a fresh Node process per call, in both
// modes), and Node's own start as the floor under it.
import { spawn, spawnSync } from 'node:child_process';

import { notRunCell } from '../measure/rounds';
import { median, percentileOfSorted } from '../measure/stats';
import type { Cell } from '../report/results';
import { cliQuery, nodeFloor } from './cliQuery';
import { figure, notRunFigure } from './figures';
import type { TrialEnv, TrialOutput } from './env';

const key = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
const name = 'ProductName';

function query(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('wine', ['reg', 'query', key, '/v', name], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0 && out.includes(name)) resolve(ms);
      else reject(new Error(`wine reg query exited with ${code}: ${out.trim().slice(0, 200)}`));
    });
  });
}

function cell(trial: string, slug: string, samplesMs: number[], label: string): Cell {
  const ns = samplesMs.map((ms) => ms * 1e6);
  const sorted = [...ns].sort((a, b) => a - b);
  return {
    id: `${trial}/${slug}`,
    trial,
    op: 'readStringValue',
    mode: 'peer: wine reg query',
    variant: label,
    concurrency: 1,
    calls: 1,
    roundsNs: ns,
    medianNs: median(ns),
    callsPerSec: 1e9 / median(ns),
    p50Ns: percentileOfSorted(sorted, 50),
    p99Ns: percentileOfSorted(sorted, 99),
    latencySamples: ns.length,
    latencyBasis: 'per call (one process per call)',
  };
}

/** The command line's figures: id and label. */
const cliLabels: ReadonlyArray<readonly [string, string]> = [
  ['cli.query', 'regbridge query, cold start (new Node process, in-process)'],
  ['cli.query-pipe', 'regbridge query --mode pipe, cold start (new Node process + helper)'],
  ['cli.node-floor', 'floor: Node start and exit, doing nothing'],
];

/** Runs the wine trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { trial, setup, settings } = env;
  const wineDir = 'hivesDir' in setup.real ? setup.real.wineDir : undefined;
  const spec = (slug: string, label: string) => ({
    id: `${trial}/${slug}`,
    op: 'readStringValue',
    variant: label,
    mode: 'peer: wine reg query' as const,
    concurrency: 1,
  });
  if (!wineDir) {
    const why =
      'notRun' in setup.real ? setup.real.notRun : 'the real prefix is not one Wine may run on (made by the tests)';
    return {
      cells: [
        notRunCell(trial, spec('cold', 'cold wineserver'), why),
        notRunCell(trial, spec('warm', 'warm wineserver'), why),
      ],
      ratios: [],
      figures: [
        notRunFigure(trial, 'wine.cold', 'wine reg query, cold wineserver', 'ms', why),
        notRunFigure(trial, 'wine.warm', 'wine reg query, warm wineserver', 'ms', why),
        ...cliLabels.map(([id, label]) => notRunFigure(trial, id, label, 'ms', why)),
      ],
      notes: [],
    };
  }
  const env2 = { ...process.env, WINEPREFIX: wineDir, WINEDEBUG: '-all' };
  const kill = () => spawnSync('wineserver', ['-k'], { env: env2, stdio: 'ignore' });
  const coldCount = settings.quick ? 1 : 3;
  const warmCount = settings.quick ? 2 : 5;
  const cold: number[] = [];
  const warm: number[] = [];
  const cli: Record<string, number[]> = { 'cli.query': [], 'cli.query-pipe': [], 'cli.node-floor': [] };
  try {
    for (let i = 0; i < coldCount; i++) {
      kill();
      spawnSync('wineserver', ['-w'], { env: env2, stdio: 'ignore', timeout: 10_000 });
      cold.push(await query(env2));
      env.progress((i + 1) / (coldCount + warmCount + 1));
    }
    kill();
    spawnSync('wineserver', ['-w'], { env: env2, stdio: 'ignore', timeout: 10_000 });
    // The command line, its samples interleaved so that the machine's noise falls on all three alike.
    for (let i = 0; i < warmCount; i++) {
      cli['cli.query'].push(await cliQuery(wineDir, 'in-process', key, name));
      cli['cli.query-pipe'].push(await cliQuery(wineDir, 'pipe', key, name));
      cli['cli.node-floor'].push(await nodeFloor());
    }
    spawnSync('wineserver', ['-p'], { env: env2, stdio: 'ignore' });
    await query(env2); // the warm-up: wineserver has the hives loaded after it
    for (let i = 0; i < warmCount; i++) {
      warm.push(await query(env2));
      env.progress((coldCount + i + 2) / (coldCount + warmCount + 1));
    }
  } finally {
    kill();
  }
  return {
    cells: [cell(trial, 'cold', cold, 'cold wineserver'), cell(trial, 'warm', warm, 'warm wineserver')],
    ratios: [],
    figures: [
      figure(trial, 'wine.cold', 'wine reg query, cold wineserver', 'ms', cold),
      figure(trial, 'wine.warm', 'wine reg query, warm wineserver', 'ms', warm),
      ...cliLabels.map(([id, label]) => figure(trial, id, label, 'ms', cli[id])),
    ],
    notes: [`wine reg query and regbridge query run on ${wineDir}.`],
  };
}
