// Start-up, each sample from a fresh Node process (better-sqlite3's rule: what a first call costs can only be seen
// once per process): require('regbridge') and the first call in-process; pipe mode's helper start to first answer,
// cold and warm, beside the echo helper's; and the Node process's growth with the store loaded. The two probes
// alternate (A B A B) so that the machine's noise falls on both alike.
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
  for (let i = 0; i < settings.processes; i++) {
    first.push(await probe<FirstCall>('firstCall', args));
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
