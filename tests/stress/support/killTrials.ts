// The kill trials: a writer child (children/writer.ts) runs the ops of support/plan.ts and logs each one
// acknowledged; at a random moment one process is SIGKILLed —
//   writer  the child itself, writing in-process with the addon;
//   helper  the child's pipe-mode helper (1 to 3 times); the child must go on (the call in flight fails with
//           ERR_HELPER_EXITED, the next starts a new helper) and finish by itself with exit code 0;
//   client  the child in pipe mode (sometimes after its helper was killed and replaced); its helper must follow it
//           out and leave nothing in the temp dir.
// After each trial a fresh checker (children/verify.ts) reopens the store and checks every acknowledged write and
// delete of every writer so far in this prefix, the hive files' headers, and that they parse.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { commandLine, isGone } from '../../js/support/processes';
import type { VerifyConfig, VerifyResult } from '../children/verify';
import type { WriterConfig } from '../children/writer';
import { Child, exitWithin, fault, pollUntil, Random, runJsonChild, scratchDir, sleep, startChild } from './harness';
import { readAckLog } from './ackLog';
import { HiveName, WriterSpec } from './plan';

export type KillKind = 'writer' | 'helper' | 'client';

export interface KillFigures {
  trials: Record<KillKind, number>;
  /** Ops acknowledged (writes and deletes) over all trials, and how many of them were then checked. */
  acknowledged: number;
  checked: number;
  lost: number;
  /** Temporary files a kill left beside the hives (all removed by the next writer). */
  tempFilesLeft: number;
  /** How long each helper took to exit after its client was SIGKILLed (ms). */
  helperExitMs: number[];
  helperKills: number;
}

export function emptyFigures(): KillFigures {
  return {
    trials: { writer: 0, helper: 0, client: 0 },
    acknowledged: 0,
    checked: 0,
    lost: 0,
    tempFilesLeft: 0,
    helperExitMs: [],
    helperKills: 0,
  };
}

/** A prefix that several trials write into in turn, and the writers that wrote it. */
export interface Series {
  prefix: string;
  logs: string;
  writers: { spec: WriterSpec; log: string }[];
}

export function newSeries(): Series {
  const root = scratchDir('kill');
  fs.mkdirSync(path.join(root, 'logs'));
  return { prefix: path.join(root, 'prefix'), logs: path.join(root, 'logs'), writers: [] };
}

/** The live regbridge-server processes serving `prefix` (found by their --prefix argument). */
export function helpersOf(prefix: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = commandLine(Number(entry));
    if (path.basename(args[0] ?? '') !== 'regbridge-server') continue;
    const at = args.indexOf('--prefix');
    if (at >= 0 && args[at + 1] === prefix && !isGone(Number(entry))) pids.push(Number(entry));
  }
  return pids;
}

const allHives: HiveName[] = ['HKCU', 'HKLM', 'HKU'];

/** Starts a writer child; resolves once it said `ready` (undefined, after reporting a fault, if it never did). */
export async function startWriter(
  series: Series,
  id: string,
  config: Partial<WriterConfig>,
  hives: HiveName[] = allHives,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Child | undefined> {
  const spec: WriterSpec = { id, hives };
  const log = path.join(series.logs, `${id}.log`);
  series.writers.push({ spec, log });
  const full: WriterConfig = {
    ...spec,
    mode: 'in-process',
    prefix: series.prefix,
    log,
    until: Date.now() + 600_000,
    maxOps: 1e9,
    expected: [],
    ...config,
  };
  const child = startChild('writer', full, { env });
  const ready = await pollUntil(() => child.stdout().includes('ready') || child.hasExited(), 30_000);
  if (!ready || child.hasExited()) {
    fault(
      `writer ${id} (${full.mode}) never became ready: ${child.stderr().trim()}`,
      `node build/stress-tests/stress/children/writer.js '${JSON.stringify(full)}'`,
    );
    child.process.kill('SIGKILL');
    return undefined;
  }
  return child;
}

/** SIGKILLs the one helper of `prefix`, waiting up to 5 s for it to be there; false if there was none. */
async function killHelper(prefix: string): Promise<boolean> {
  let pids: number[] = [];
  if (!(await pollUntil(() => (pids = helpersOf(prefix)).length > 0, 5_000))) return false;
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await pollUntil(() => pids.every(isGone), 5_000);
  return true;
}

/** Checks the whole series after a trial; adds to the figures and reports what is wrong as faults. */
export async function verifySeries(series: Series, probe: number, figures: KillFigures, trial: string): Promise<void> {
  const config: VerifyConfig = { prefix: series.prefix, writers: series.writers, probe };
  let result: VerifyResult;
  try {
    result = await runJsonChild<VerifyResult>('verify', config);
  } catch (error) {
    fault(`${trial}: the checker failed: ${String(error)}`, `keep the prefix with REGBRIDGE_STRESS_KEEP=1`);
    return;
  }
  // Each trial checks the writers of the earlier trials of its series again: an op lost is counted once.
  const latest = series.writers[series.writers.length - 1];
  figures.acknowledged += latest ? readAckLog(latest.log).acknowledged.size : 0;
  figures.checked += result.checked;
  for (const lost of result.lost) lostOps.add(lost);
  figures.lost = lostOps.size;
  figures.tempFilesLeft += result.strayBefore.filter((name) => name.endsWith('.regbridge-tmp')).length;
  const where = `prefix ${series.prefix} after ${trial} (seed in the first line of the run)`;
  if (result.lost.length > 0)
    fault(`${trial}: ${result.lost.length} acknowledged ops lost, e.g. ${result.lost.slice(0, 3).join('; ')}`, where);
  for (const problem of result.writerProblems) fault(`${trial}: writer: ${problem}`, where);
  for (const problem of result.hiveProblems) fault(`${trial}: hive: ${problem}`, where);
  const strayOther = result.strayBefore.filter((name) => !name.endsWith('.regbridge-tmp'));
  if (result.strayAfter.length > 0 || strayOther.length > 0)
    fault(
      `${trial}: files beside the hives: before the next write ${result.strayBefore.join(', ')}; after it ` +
        `${result.strayAfter.join(', ') || 'none'}`,
      where,
    );
}

const lostOps = new Set<string>();

/** One kill trial of `kind` in `series`. */
export async function killTrial(kind: KillKind, series: Series, rng: Random, n: number, figures: KillFigures) {
  const id = `${kind}${n}`;
  const trial = `trial ${n} (${kind} killed)`;
  const tmp = scratchDir('tmp'); // the child's TMPDIR: its helper's socket folder goes there
  const env = { ...process.env, TMPDIR: tmp };
  if (kind === 'writer') {
    const child = await startWriter(series, id, { mode: 'in-process' }, allHives, env);
    if (!child) return;
    await sleep(rng.int(20, 1500));
    child.process.kill('SIGKILL');
    await child.exited;
  } else if (kind === 'helper') {
    const until = Date.now() + rng.int(1500, 4000);
    const child = await startWriter(
      series,
      id,
      { mode: 'pipe', until, expected: ['ERR_HELPER_EXITED'] },
      allHives,
      env,
    );
    if (!child) return;
    const kills = rng.int(1, 3);
    for (let k = 0; k < kills && !child.hasExited() && Date.now() < until; k++) {
      await sleep(rng.int(50, 900));
      if (await killHelper(series.prefix)) figures.helperKills++;
    }
    const exit = await exitWithin(child, Math.max(0, until - Date.now()) + 30_000);
    const log = fs.readFileSync(series.writers[series.writers.length - 1].log, 'utf8');
    const repro =
      `open in pipe mode, write in a loop, SIGKILL the helper ${kills} time(s) while writes are in flight; ` +
      `the program must run to its end (tests/stress/children/writer.ts)`;
    if (!exit) {
      fault(
        `${trial}: the pipe-mode writer hung after its helper was killed (log ends ${JSON.stringify(log.slice(-60))})`,
        repro,
      );
      child.process.kill('SIGKILL');
      await child.exited;
    } else if (exit.code !== 0 || !log.includes('done')) {
      fault(
        `${trial}: the pipe-mode writer ended with ${exit.code ?? exit.signal} ` +
          `${log.includes('done') ? '' : 'without finishing its work '}after its helper was killed ` +
          `(log ends ${JSON.stringify(log.slice(-40))}; stderr ${JSON.stringify(child.stderr().slice(-200))})`,
        repro,
      );
    }
    if (!(await pollUntil(() => helpersOf(series.prefix).length === 0, 10_000)))
      fault(`${trial}: a helper outlived its writer by 10 s`, repro);
  } else {
    const child = await startWriter(series, id, { mode: 'pipe', expected: ['ERR_HELPER_EXITED'] }, allHives, env);
    if (!child) return;
    await sleep(rng.int(100, 1200));
    const helperFirst = rng.chance(0.5);
    if (helperFirst) {
      if (await killHelper(series.prefix)) figures.helperKills++;
      // The child's next write starts a new helper (the write in flight failed with ERR_HELPER_EXITED).
      await pollUntil(() => helpersOf(series.prefix).length > 0 || child.hasExited(), 5_000);
      await sleep(rng.int(20, 500));
    }
    const helpers = helpersOf(series.prefix);
    const endedAlready = child.hasExited();
    if (endedAlready) {
      const log = fs.readFileSync(series.writers[series.writers.length - 1].log, 'utf8');
      fault(
        `${trial}: the pipe-mode writer ended by itself before it was killed` +
          `${helperFirst ? ', after its helper was killed' : ''} (log ends ${JSON.stringify(log.slice(-40))})`,
        `open in pipe mode, write in a loop${helperFirst ? ', SIGKILL the helper' : ''}: the program must go on`,
      );
    }
    child.process.kill('SIGKILL');
    const killedAt = Date.now();
    await child.exited;
    const repro =
      `open in pipe mode${helperFirst ? ', SIGKILL the helper (a new one starts on the next call)' : ''}, ` +
      `write in a loop, SIGKILL the client; then look at its helper and at $TMPDIR`;
    if (await pollUntil(() => helpers.every(isGone), 10_000)) {
      if (!endedAlready) figures.helperExitMs.push(Date.now() - killedAt);
    } else fault(`${trial}: the helper outlived its SIGKILLed client by 10 s`, repro);
    const left = fs.readdirSync(tmp);
    if (left.length > 0)
      fault(`${trial}: left in the client's TMPDIR after its helper exited: ${left.join(', ')}`, repro);
  }
  figures.trials[kind]++;
  await verifySeries(series, n, figures, trial);
}
