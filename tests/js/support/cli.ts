// Runs the regbridge command line (dist/cli/main.js) as a user would: a new Node process, stdin not a terminal.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { repoRoot } from '../00.setup';

/** What one run of the command printed and how it exited; stdout as bytes too, for byte-for-byte comparisons. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export const cliMain = path.join(repoRoot, 'dist', 'cli', 'main.js');

/** Runs `regbridge ...args` with stdin from /dev/null (so that it can never wait for an answer). */
export function regbridge(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [cliMain, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout.toString('utf8'),
    stdoutBytes: result.stdout,
    stderr: result.stderr.toString('utf8'),
  };
}
