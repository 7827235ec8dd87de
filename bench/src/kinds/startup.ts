// Start-up, each sample from a fresh Node process (better-sqlite3's rule: what a first call costs can only be seen
// once per process): require('regbridge') and the first call in-process, beside regbridge's main file required by
// its path and two empty packages required by name (the floors of a require); pipe mode's helper start to first answer,
// cold and warm, beside the echo helper's; and the Node process's growth with the store loaded. The two probes
// alternate (A B A B) so that the machine's noise falls on both alike.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { jsRoot, root } from '../paths';
import { figure, notRunFigure } from './figures';
import type { TrialEnv, TrialOutput } from './env';
import { whyNot } from './env';
import { probe } from './probe';

interface FirstCall {
  requireMs: number;
  openMs: number;
  firstCallMs: number;
  rssStart: number;
  rssRequired: number;
  rssLoaded: number;
}
interface PipeOpen {
  requireMs: number;
  openMs: number;
  firstReadMs: number;
}
interface Spawn {
  coldMs: number;
  evicted: boolean;
  warmMs: number[];
  warmHklmMs: number[];
  echoMs: number[];
}

/**
 * Two empty packages, one with an `exports` map as regbridge's package.json has and one without, in the harness's
 * node_modules, where the probes find them by name: the least a require by package name costs in a fresh process,
 * with and without Node's resolver for exports maps (which it loads at the first such map a process meets).
 */
function emptyPackages(): { mapped: string; plain: string } {
  const make = (name: string, manifest: object) => {
    const at = path.join(jsRoot, 'node_modules', name);
    fs.mkdirSync(at, { recursive: true });
    fs.writeFileSync(path.join(at, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...manifest }));
    fs.writeFileSync(path.join(at, 'index.js'), 'exports.empty = true;\n');
    return name;
  };
  return {
    mapped: make('empty-mapped', {
      main: 'index.js',
      exports: { '.': './index.js', './package.json': './package.json' },
    }),
    plain: make('empty-plain', { main: 'index.js' }),
  };
}

/** Runs the start-up trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { ctx, trial, settings } = env;
  const f = ctx.fixtures;
  const args = {
    prefix: ctx.storeDir,
    userKey: f.userKey,
    userName: f.userName,
    hklmKey: f.valuesKey,
    hklmName: f.stringName,
  };
  const first: FirstCall[] = [];
  const spawns: Spawn[] = [];
  const pipeOpens: PipeOpen[] = [];
  let spawnWhyNot: string | undefined;
  const empty = emptyPackages();
  const requireMs = (request: string) => probe<{ ms: number }>('requireCost', { request }).then((r) => r.ms);
  const byPath: number[] = [];
  const mapped: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < settings.processes; i++) {
    first.push(await probe<FirstCall>('firstCall', args));
    byPath.push(await requireMs(path.join(root, 'dist', 'index.js')));
    mapped.push(await requireMs(empty.mapped));
    plain.push(await requireMs(empty.plain));
    if (!spawnWhyNot) {
      try {
        spawns.push(await probe<Spawn>('helperSpawn', { ...args, warm: 2 }));
        pipeOpens.push(await probe<PipeOpen>('pipeOpen', args));
      } catch (error) {
        spawnWhyNot = whyNot(error);
      }
    }
    env.progress((i + 1) / settings.processes);
  }
  const figures = [
    figure(
      trial,
      'startup.require',
      "require('regbridge')",
      'ms',
      first.map((s) => s.requireMs),
    ),
    figure(
      trial,
      'startup.require-by-path',
      "require of regbridge's main file by its path: its own modules, no exports map resolved",
      'ms',
      byPath,
    ),
    figure(
      trial,
      'startup.require-floor-mapped',
      'floor: require of an empty package by name, with an exports map like regbridge\u2019s',
      'ms',
      mapped,
      'Node loads its resolver for exports maps at the first one a process meets: every package with one pays it first',
    ),
    figure(trial, 'startup.require-floor-plain', 'floor: the same empty package without an exports map', 'ms', plain),
    figure(
      trial,
      'startup.open',
      'openRegistrySync (no hive read yet)',
      'ms',
      first.map((s) => s.openMs),
    ),
    figure(
      trial,
      'startup.first-call',
      `first call in-process (${f.userKey}, loads user.reg)`,
      'ms',
      first.map((s) => s.firstCallMs),
    ),
    figure(
      trial,
      'startup.open-first-read',
      'openRegistrySync + first read (loads user.reg), after require',
      'ms',
      first.map((s) => s.openMs + s.firstCallMs),
    ),
    figure(
      trial,
      'startup.require-first-call',
      'require + open + first call, in-process',
      'ms',
      first.map((s) => s.requireMs + s.openMs + s.firstCallMs),
    ),
    figure(
      trial,
      'memory.node-require',
      "Node process growth: require('regbridge')",
      'MiB',
      first.map((s) => s.rssRequired - s.rssStart),
    ),
    figure(
      trial,
      'memory.node-store',
      'Node process growth: require + every hive loaded',
      'MiB',
      first.map((s) => s.rssLoaded - s.rssStart),
    ),
  ];
  const spawnFigures: Array<[string, string, (s: Spawn) => number[], string?]> = [
    [
      'startup.helper-cold',
      'helper start to first answer, cold (HKCU string)',
      (s) => [s.coldMs],
      spawns.every((s) => s.evicted)
        ? 'first helper of a fresh process; binary and hives dropped from the page cache'
        : 'first helper of a fresh process; page cache could not be dropped',
    ],
    ['startup.helper-warm', 'helper start to first answer, warm (HKCU string)', (s) => s.warmMs],
    ['startup.helper-warm-hklm', 'helper start to first HKLM answer, warm (loads system.reg)', (s) => s.warmHklmMs],
    ['startup.echo-spawn', 'floor: echo helper start + handshake + one echo', (s) => s.echoMs],
  ];
  const pipeFigures: Array<[string, string, (s: PipeOpen) => number]> = [
    ['startup.pipe-require', "require('regbridge'), in the pipe probe's fresh process", (s) => s.requireMs],
    [
      'startup.pipe-open',
      "openRegistry({ mode: 'pipe' }) until it resolves, first in a fresh process (transport + helper + handshake)",
      (s) => s.openMs,
    ],
    [
      'startup.pipe-first-read',
      'then the first pipe read (HKCU string, the helper loads user.reg)',
      (s) => s.firstReadMs,
    ],
  ];
  for (const [id, label, pick] of pipeFigures) {
    figures.push(
      spawnWhyNot
        ? notRunFigure(trial, id, label, 'ms', spawnWhyNot)
        : figure(trial, id, label, 'ms', pipeOpens.map(pick)),
    );
  }
  for (const [id, label, pick, note] of spawnFigures) {
    figures.push(
      spawnWhyNot
        ? notRunFigure(trial, id, label, 'ms', spawnWhyNot)
        : figure(trial, id, label, 'ms', spawns.flatMap(pick), note),
    );
  }
  return { cells: [], ratios: [], figures, notes: [] };
}
