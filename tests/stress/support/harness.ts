// What the stress and soak runners share: where the compiled children are, scratch folders, a seeded random
// source (the seed is printed, so that a failing run can be repeated), child processes with bounded waits, and the
// list of faults found, each with the way to reproduce it.
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file runs from build/stress-tests/stress/support). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** A compiled child script of tests/stress/children. */
export function childScript(name: string): string {
  return path.join(__dirname, '..', 'children', `${name}.js`);
}

const made: string[] = [];

/** A fresh folder under the temp dir, removed when the run ends (unless REGBRIDGE_STRESS_KEEP=1). */
export function scratchDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `regbridge-stress-${label}-`));
  made.push(dir);
  return dir;
}

process.once('exit', () => {
  if (process.env.REGBRIDGE_STRESS_KEEP === '1') return;
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** Command-line options of the runners: `--quick`, `--seed N`, `--seconds N`. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  return process.argv[at + 1] ?? '';
}

export const quick = process.argv.includes('--quick');

/** A small seeded generator (mulberry32): the same seed gives the same trial plan. */
export class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export function seedFromArgs(): number {
  const given = option('seed');
  return given !== undefined ? Number(given) >>> 0 : (Date.now() ^ (process.pid << 8)) >>> 0;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A child process with its output collected and its exit awaitable. */
export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once it has exited: its code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

/** Starts a compiled child script with one JSON argument. */
export function startChild(name: string, config: unknown, options: SpawnOptions = {}, wrapper: string[] = []): Child {
  const args = [...wrapper, process.execPath, '--enable-source-maps', childScript(name), JSON.stringify(config)];
  const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let out = '';
  let err = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
  };
}

/** Waits until `condition` holds, polling every 10 ms; false if `limitMs` passed first. */
export async function pollUntil(condition: () => boolean, limitMs: number): Promise<boolean> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) return false;
    await sleep(10);
  }
  return true;
}

/** Waits for a child to exit, at most `limitMs`; undefined if it is still running. */
export async function exitWithin(child: Child, limitMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), limitMs)));
  const result = await Promise.race([child.exited, timeout]);
  clearTimeout(timer);
  return result;
}

/** Runs a child to its end (killing it after `limitMs`) and parses the last line it printed as JSON. */
export async function runJsonChild<T>(
  name: string,
  config: unknown,
  limitMs = 120_000,
  options: SpawnOptions = {},
  wrapper: string[] = [],
): Promise<T> {
  const child = startChild(name, config, options, wrapper);
  const exit = await exitWithin(child, limitMs);
  if (!exit) {
    child.process.kill('SIGKILL');
    throw new Error(`${name} did not finish within ${limitMs} ms; stderr: ${child.stderr()}`);
  }
  const lines = child.stdout().trim().split('\n');
  if (exit.code !== 0) throw new Error(`${name} exited with ${exit.code ?? exit.signal}; stderr: ${child.stderr()}`);
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** A fault found by a trial: what happened, and how to make it happen again. */
export interface Fault {
  what: string;
  reproduce: string;
}

export const faults: Fault[] = [];

export function fault(what: string, reproduce: string): void {
  faults.push({ what, reproduce });
  console.log(`FAULT: ${what}\n  reproduce: ${reproduce}`);
}
