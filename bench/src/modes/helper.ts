// A regbridge-server started by the benchmark itself (not by the client), for what needs its pid or its --echo mode:
// the echo floor, the helper's memory, several client processes on one helper.
import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { serverFile } from '../paths';

/** A running helper. */
export interface Helper {
  readonly pid: number;
  readonly socketPath: string;
  /** Stops it (SIGTERM, then SIGKILL after 2 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts `regbridge-server --pipe ... (--echo | --prefix dir)` and waits for its ready line. */
export async function startHelper(options: { echo: true } | { prefix: string }): Promise<Helper> {
  if (!fs.existsSync(serverFile))
    throw Object.assign(new Error(`${serverFile} is not built`), { code: 'ERR_NOT_BUILT' });
  const folder = path.join(os.tmpdir(), `regbridge-bench-${crypto.randomBytes(6).toString('base64url')}`);
  const args = ['--pipe', path.join(folder, 's'), '--parent-pid', String(process.pid)];
  if ('echo' in options) args.push('--echo');
  else args.push('--prefix', options.prefix);
  const child: ChildProcess = spawn(serverFile, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ pipe: string; pid: number }>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(text.slice(0, newline)) as { pipe: string; pid: number });
    });
    void exited.then(() => reject(new Error(`regbridge-server exited before it was ready: ${stderr.trim()}`)));
  });
  child.stdout!.resume();
  return {
    pid: ready.pid,
    socketPath: ready.pipe,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
