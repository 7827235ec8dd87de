// Starting regbridge-server (PROTOCOL.md sections 1 and 11, step 1): the binary shipped in the package, where it
// listens (a private folder for its socket, or on Windows a named pipe), the ready line, and what stderr said when it
// does not come.
import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';

import { RegistryError } from '../../errors';
import { buildFolder, packageRoot } from '../packageRoot';

/** How long a starting helper may take to print its ready line. */
export const startTimeoutMs = 10_000;

/**
 * Where the helper is: $REGBRIDGE_SERVER, else regbridge-server in the package's build folder (regbridge-server.exe
 * in build-win/ on Windows).
 */
export function helperPath(): string {
  const fromEnv = process.env.REGBRIDGE_SERVER;
  if (fromEnv) return path.resolve(fromEnv);
  const name = process.platform === 'win32' ? 'regbridge-server.exe' : 'regbridge-server';
  return path.join(packageRoot(), buildFolder(), name);
}

// sockaddr_un's sun_path holds 108 bytes on Linux, 104 on macOS and the BSDs, NUL included.
const maxSocketPathBytes = process.platform === 'linux' ? 107 : 103;

// Private folders not yet removed, so that a process that exits without close() leaves none behind.
const liveFolders = new Set<string>();
let exitHookInstalled = false;

/** A fresh name for the private folder (0700) of one registry's socket, and the socket's path in it. */
export function makeSocketFolder(): { folder: string; socketPath: string } {
  // A long $TMPDIR would not fit sun_path: /tmp then, as vscode-jsonrpc's generateRandomPipeName does.
  for (const base of [os.tmpdir(), '/tmp']) {
    // the random part is 8 characters; the socket is one more level down.
    if (Buffer.byteLength(path.join(base, 'regbridge-XXXXXXXX', 's')) > maxSocketPathBytes) continue;
    // Named here but made by the helper (0700, refused if it exists and is not private), which also removes it when
    // it exits: so even a SIGKILLed Node process, whose helper then follows it out, leaves nothing behind. A helper
    // killed itself removes nothing: the client empties the folder once it has seen it exit (clearSocketFolder).
    let folder: string;
    do folder = path.join(base, `regbridge-${crypto.randomBytes(6).toString('base64url')}`);
    while (fs.existsSync(folder));
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const dir of liveFolders) fs.rmSync(dir, { recursive: true, force: true });
      });
    }
    liveFolders.add(folder);
    return { folder, socketPath: path.join(folder, 's') };
  }
  throw new RegistryError(
    'ERR_INVALID_ARGUMENT',
    `no folder for the helper's socket: ${os.tmpdir()} is too long for a Unix socket path (${maxSocketPathBytes} bytes)`,
  );
}

/**
 * Where a new helper is to listen: on Windows a named pipe of a random name (the helper refuses a name that exists, and
 * the pipe disappears with its last handle, so there is nothing to make or clean up); elsewhere a socket in a private
 * folder (makeSocketFolder).
 */
export function makeListenAddress(): { folder?: string; socketPath: string } {
  if (process.platform === 'win32') {
    return { socketPath: `\\\\.\\pipe\\regbridge-${crypto.randomBytes(8).toString('hex')}` };
  }
  return makeSocketFolder();
}

/**
 * Removes what a helper that has exited left of a socket folder named by makeSocketFolder (a killed helper removes
 * nothing), keeping the name for the next helper.
 */
export function clearSocketFolder(folder: string): void {
  try {
    fs.rmSync(folder, { recursive: true, force: true });
  } catch {
    // Not ours to remove after all (someone else's folder by that name): the next helper refuses it, and says why.
  }
}

/** Removes a socket folder named by makeSocketFolder, if the helper left it, and forgets the name. */
export function removeSocketFolder(folder: string): void {
  liveFolders.delete(folder);
  fs.rmSync(folder, { recursive: true, force: true });
}

/** A running helper. */
export interface HelperProcess {
  readonly pid: number;
  /** The socket it listens on, from its ready line. */
  readonly socketPath: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Whether it has exited. */
  readonly hasExited: boolean;
  /** How it exited: "code 1", "signal SIGKILL". */
  readonly exitText: string;
  /** The last few KiB it wrote on stderr. */
  stderr(): string;
  /** Sends a signal unless it has exited. */
  kill(signal: NodeJS.Signals): void;
}

const stderrKeep = 4096;

class Helper implements HelperProcess {
  readonly pid: number;
  socketPath = '';
  readonly exited: Promise<void>;
  hasExited = false;
  exitText = '';
  #stderr = '';
  readonly #child: ChildProcess;

  constructor(child: ChildProcess) {
    this.#child = child;
    this.pid = child.pid ?? 0;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.hasExited = true;
        this.exitText = signal ? `signal ${signal}` : `code ${String(code)}`;
        resolve();
      });
    });
    // Read stderr for good: a helper whose stderr pipe fills up would block.
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-stderrKeep);
    });
  }

  stderr(): string {
    return this.#stderr.trim();
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.#child.kill(signal);
  }

  /** Lets the process exit with the helper still running (it follows its parent out: --parent-pid). */
  detach(): void {
    this.#child.unref();
    this.#child.stdout?.resume(); // nothing more comes; drained, it can end when the process does
    (this.#child.stdout as net.Socket | null)?.unref();
    (this.#child.stderr as net.Socket | null)?.unref();
  }
}

/**
 * What the helper watches to know when to exit (`--parent-pid`): this process, or in a worker_thread on Linux, this
 * thread. A worker that ends — worker.terminate() too, which runs no JavaScript of the worker's that could stop the
 * helper — would otherwise leave its helpers running until the whole process ends. The helper polls `kill(N, 0)`,
 * which on Linux accepts a thread's id and fails with ESRCH once that thread has ended; the helper's parent process
 * is watched besides, as always.
 */
function ownerId(): number {
  if (isMainThread || process.platform !== 'linux') return process.pid;
  try {
    // "<pid>/task/<tid>"
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    return Number.isSafeInteger(tid) && tid > 0 ? tid : process.pid;
  } catch {
    return process.pid; // no /proc: the helper lives as long as the process
  }
}

/**
 * Starts `regbridge-server --pipe socketPath --parent-pid <owner> [--prefix prefix]` and waits for its ready line;
 * the owner is this process, or this worker_thread (ownerId). `socketPath` is a Unix socket's path, or on Windows a
 * named pipe's name.
 */
export async function startHelper(socketPath: string, prefix: string): Promise<HelperProcess> {
  const file = helperPath();
  if (!fs.existsSync(file)) {
    throw new RegistryError(
      'ERR_NOT_BUILT',
      `the regbridge helper is not built: ${file} does not exist; run \`npm run build\` (or set REGBRIDGE_SERVER)`,
    );
  }
  const args = ['--pipe', socketPath, '--parent-pid', String(ownerId())];
  if (prefix) args.push('--prefix', prefix);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const helper = new Helper(child);
  try {
    const ready = await readyLine(child, helper, file);
    helper.socketPath = ready.pipe;
  } catch (error) {
    helper.kill('SIGKILL');
    throw error;
  }
  helper.detach();
  return helper;
}

/** The ready line, `{"ready":true,"pipe":PATH,"pid":N}` (PROTOCOL.md section 1.2). */
function readyLine(child: ChildProcess, helper: Helper, file: string): Promise<{ pipe: string; pid: number }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error: Error | undefined, ready?: { pipe: string; pid: number }) => {
      clearTimeout(timer);
      child.stdout?.removeListener('data', onData);
      child.removeListener('error', onError);
      child.removeListener('exit', onExit);
      if (error) reject(error);
      else resolve(ready!);
    };
    const onData = (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      let ready: { ready?: unknown; pipe?: unknown; pid?: unknown } | undefined;
      try {
        ready = JSON.parse(text.slice(0, newline));
      } catch {
        // reported below
      }
      if (ready?.ready !== true || typeof ready.pipe !== 'string' || typeof ready.pid !== 'number') {
        done(
          new RegistryError(
            'ERR_NOT_BUILT',
            `${file} is not a regbridge helper: its first line was ${JSON.stringify(text.slice(0, newline).slice(0, 200))}`,
          ),
        );
        return;
      }
      done(undefined, { pipe: ready.pipe, pid: ready.pid });
    };
    const onError = (error: Error) =>
      done(
        new RegistryError('ERR_NOT_BUILT', `cannot run the regbridge helper ${file}: ${error.message}`, {
          cause: error,
        }),
      );
    // 'exit' may come before the last of stderr: wait for the streams ('close') before quoting it.
    const onExit = () =>
      child.once('close', () => {
        const said = helper.stderr();
        done(
          new RegistryError(
            'ERR_HELPER_EXITED',
            `the regbridge helper exited with ${helper.exitText} before it was ready` +
              (said ? `: ${said}` : ' (nothing on stderr)'),
          ),
        );
      });
    const timer = setTimeout(() => {
      const said = helper.stderr();
      done(
        new RegistryError(
          'ERR_TIMEOUT',
          `the regbridge helper (pid ${helper.pid}) did not report ready within ${startTimeoutMs} ms` +
            (said ? `: ${said}` : ''),
        ),
      );
    }, startTimeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}
