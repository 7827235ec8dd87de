// The disk-full trials. Two ways to make a save run out of room part way through its temporary file:
//   tmpfs          a small tmpfs holds the prefix and a filler file takes all but a random part of a hive's size
//                  (needs root and mount; skipped with a note when the sandbox refuses, as unprivileged runs do);
//   RLIMIT_FSIZE   the process (and its helper, which inherits the limit) may not grow a file past a random size
//                  below the hive's; works for any user.
// Both modes each time. Every broken promise is reported as a fault with the trial's settings.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistry } from 'regbridge';
import type { Mode } from 'regbridge';

import { fault, Random, runJsonChild, scratchDir } from './harness';
import { fillHive, roomAgain, shortOfRoom, userRegSize } from './fullDisk';

export interface DiskFullFigures {
  tmpfsTrials: number;
  fsizeTrials: number;
  /** Changes refused with ERR_IO, and changes that still fit, over all trials. */
  refused: number;
  fitted: number;
  tmpfsSkipped?: string;
}

/** Whether this process may mount a tmpfs (root in a sandbox that allows it); the reason when not. */
export function tmpfsRefusal(): string | undefined {
  const dir = scratchDir('mount-probe');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir]);
    return undefined;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'mount failed';
  }
}

function count(figures: DiskFullFigures, outcomes: string[]): void {
  for (const outcome of outcomes) outcome === 'ok' ? figures.fitted++ : figures.refused++;
}

const freeBytes = (dir: string) => {
  const stat = fs.statfsSync(dir);
  return stat.bavail * stat.bsize;
};

/**
 * Waits until the free space of `dir`'s filesystem has stopped changing. A save frees the file it replaced a moment
 * after it has answered (the store closes its hold on that file on a thread of its own), so right after the hive was
 * filled up a few hundred KB may still be about to come free: a filler sized before that would leave room for a whole
 * new hive, and a save the trial expects to run out of room would fit.
 */
async function settleFreeSpace(dir: string): Promise<void> {
  const pollMs = 10;
  const quietPolls = 5;
  let last = freeBytes(dir);
  let quiet = 0;
  for (const until = Date.now() + 5000; quiet < quietPolls && Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = freeBytes(dir);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

/** Fills the filesystem of `dir` with a file until only about `leave` bytes are free. */
function fillUp(dir: string, leave: number): string {
  const filler = path.join(dir, 'filler');
  let toWrite = Math.max(0, freeBytes(dir) - leave);
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(256 * 1024, 1);
  try {
    while (toWrite > 0) {
      const n = fs.writeSync(fd, chunk, 0, Math.min(chunk.length, toWrite));
      toWrite -= n;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

export async function tmpfsTrial(mode: Mode, rng: Random, n: number, figures: DiskFullFigures): Promise<void> {
  const dir = scratchDir('tmpfs');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
  const prefix = path.join(dir, 'prefix');
  const reg = await openRegistry({ mode, prefix });
  let leave = 0;
  try {
    await fillHive(reg);
    await settleFreeSpace(dir);
    const size = userRegSize(prefix);
    leave = rng.int(0, size - 8192);
    const filler = fillUp(dir, leave);
    const label = `tmpfs trial ${n} (${mode}, ${leave} bytes left for a ${size}-byte user.reg)`;
    count(figures, await shortOfRoom(reg, prefix, label));
    fs.rmSync(filler);
    await roomAgain(reg, prefix, label);
    figures.tmpfsTrials++;
  } catch (error) {
    fault(
      `${String(error instanceof Error ? error.message : error)}`,
      `mount a 2 MiB tmpfs, make user.reg ~500 KB there, fill the tmpfs to ${leave} bytes free, write a value ` +
        `(${mode} mode)`,
    );
  } finally {
    await reg.close();
    execFileSync('umount', ['-l', dir]);
  }
}

export async function fsizeTrial(mode: Mode, rng: Random, n: number, figures: DiskFullFigures): Promise<void> {
  const prefix = path.join(scratchDir('fsize'), 'prefix');
  const reg = await openRegistry({ mode: 'in-process', prefix });
  await fillHive(reg);
  await reg.close();
  const limit = rng.int(2048, userRegSize(prefix) - 2048);
  const repro =
    `make user.reg ~500 KB, then in a process under 'prlimit --fsize=${limit}' open ${mode} mode and write a value ` +
    `(tests/stress/children/fsizeLimited.ts)`;
  try {
    const result = await runJsonChild<{ outcomes?: string[]; problem?: string }>(
      'fsizeLimited',
      { mode, prefix, limit },
      120_000,
      {},
      ['prlimit', `--fsize=${limit}`, '--'],
    );
    if (result.problem) fault(`RLIMIT_FSIZE trial ${n}: ${result.problem}`, repro);
    else count(figures, result.outcomes ?? []);
    figures.fsizeTrials++;
  } catch (error) {
    fault(`RLIMIT_FSIZE trial ${n} (${mode}): ${String(error)}`, repro);
  }
}
