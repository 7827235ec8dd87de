// Processes for the pipe-mode tests: regbridge-server started by a test, helpers found through /proc (on Windows
// through wmic), bounded waits.
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The helper binary of this build. */
export function serverBinary(repoRoot: string): string {
  return path.join(repoRoot, 'build', 'regbridge-server');
}

/** A regbridge-server started by a test. */
export interface StartedServer {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly socketPath: string;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** Starts `regbridge-server --pipe socketPath ...args` and waits for its ready line. */
export async function startServer(
  binary: string,
  socketPath: string,
  args: string[] = [],
  options: SpawnOptions = {},
): Promise<StartedServer> {
  const child = spawn(binary, ['--pipe', socketPath, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const ready = await new Promise<{ pipe: string; pid: number }>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(JSON.parse(text.slice(0, text.indexOf('\n'))));
    });
    void exited.then((how) => reject(new Error(`regbridge-server exited (${how}) before it was ready: ${stderr}`)));
  });
  assert.equal(ready.pid, child.pid);
  return { child, pid: ready.pid, socketPath: ready.pipe, stderr: () => stderr, exited };
}

function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Whether the process has exited (a zombie nobody has reaped yet counts as gone). */
export function isGone(pid: number): boolean {
  if (process.platform === 'win32') return !windowsProcessExists(pid);
  const s = stat(pid);
  return s === undefined || s.state === 'Z' || s.state === 'X';
}

/** The command line of a process, as its arguments. */
export function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return [];
  }
}

function windowsProcessExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Windows' processes as wmic lists them (Windows has no /proc): name, parent pid and pid. */
function windowsProcesses(): { name: string; ppid: number; pid: number }[] {
  const out = execFileSync('wmic', ['process', 'get', 'Name,ParentProcessId,ProcessId'], { windowsHide: true });
  // Wine's wmic writes UTF-16 with a byte-order mark when its output is not a console.
  const text = out[0] === 0xff && out[1] === 0xfe ? out.subarray(2).toString('utf16le') : out.toString('utf8');
  const rows: { name: string; ppid: number; pid: number }[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const match = /^(.*\S)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (match) rows.push({ name: match[1], ppid: Number(match[2]), pid: Number(match[3]) });
  }
  return rows;
}

/** The live regbridge-server processes whose parent is `parentPid`. */
export function helperPids(parentPid: number = process.pid): number[] {
  if (process.platform === 'win32') {
    return windowsProcesses()
      .filter((row) => row.ppid === parentPid && row.name.toLowerCase() === 'regbridge-server.exe')
      .filter((row) => windowsProcessExists(row.pid))
      .map((row) => row.pid);
  }
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const s = stat(pid);
    if (!s || s.ppid !== parentPid || isGone(pid)) continue;
    if (path.basename(commandLine(pid)[0] ?? '') === 'regbridge-server') pids.push(pid);
  }
  return pids;
}

/** The one live helper of this process, failing if there is not exactly one. */
export function onlyHelperPid(): number {
  const pids = helperPids();
  assert.equal(pids.length, 1, `expected one helper process, found ${pids.length}: ${pids.join(', ')}`);
  return pids[0];
}

/** How many file descriptors a process has open. */
export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Polls `condition` every 10 ms until it holds; fails after `limitMs` with `what`. Returns the time it took. */
export async function waitUntil(condition: () => boolean, limitMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > limitMs) assert.fail(`${what} (waited ${limitMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - start;
}

/** Connects to a Unix socket. */
export function connectTo(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
  });
}

/** Everything a socket receives until the peer closes it (or `limitMs` passes: then `closed` is false). */
export function readUntilClosed(socket: net.Socket, limitMs: number): Promise<{ closed: boolean; received: string }> {
  return new Promise((resolve) => {
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => (received += text));
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, received });
    }, limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, received });
    });
  });
}

/** Holds the store's writer lock (flock on .regbridge.lock) from another process until release() is called. */
export async function holdStoreLock(prefix: string): Promise<{ release(): Promise<void> }> {
  const child = spawn('flock', [path.join(prefix, '.regbridge.lock'), '-c', 'echo locked; read line'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flock exited early with ${code}`)));
    child.stdout!.once('data', () => resolve());
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.stdin!.end('\n');
      }),
  };
}
