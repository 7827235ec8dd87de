// Wine's own reg.exe against a prefix of the tests: a runnable copy of the real prefix, one reg.exe run, and the wait
// for the wineserver to save the hives.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { realWinePrefix, tempDir, tempPrefix } from '../00.setup';

/** The environment of a Wine program on `prefix`, quiet. */
export const wineEnv = (prefix: string): NodeJS.ProcessEnv => ({
  ...process.env,
  WINEPREFIX: prefix,
  WINEDEBUG: '-all',
});

/**
 * A prefix Wine can run programs in: copies of the real prefix's hives, its drive C shared through a link (reg.exe
 * reads it and writes nothing there; copying it would take hundreds of megabytes).
 */
export function runnableCopyOfRealPrefix(): string {
  const source = realWinePrefix();
  const dir = tempPrefix();
  for (const file of ['system.reg', 'user.reg', 'userdef.reg', '.update-timestamp']) {
    fs.copyFileSync(path.join(source, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(source, 'drive_c'), path.join(dir, 'drive_c'));
  fs.mkdirSync(path.join(dir, 'dosdevices'));
  fs.symlinkSync('../drive_c', path.join(dir, 'dosdevices', 'c:'));
  fs.symlinkSync('/', path.join(dir, 'dosdevices', 'z:'));
  return dir;
}

/** A Linux path as a program in the prefix sees it: on drive Z:, which is `/`. */
export function wineDrivePath(file: string): string {
  return `Z:${path.resolve(file).replaceAll('/', '\\')}`;
}

/**
 * What Wine's launcher (start.exe) prints when it could not start reg.exe at all. Seen once in a CI run among
 * hundreds of reg.exe runs on a prefix that had just served the same queries: reg.exe never ran, so nothing was read
 * or written, and a second start works.
 */
const launcherFailed = 'ShellExecuteEx failed';

/**
 * Runs Wine's reg.exe: its exit code and stdout bytes (Wine's reg writes its errors on stdout too). Its stdout goes
 * to a file, not a pipe: the Wine programs reg.exe starts (services.exe, explorer.exe...) inherit it and would hold a
 * pipe open for the seconds they linger after it exits, and every run would wait for them. When Wine's launcher could
 * not start reg.exe, it is started again (twice at most, each time after the wineserver has exited), and the retry is
 * written to stderr so that the log shows it; any failure of reg.exe itself is returned as it is.
 */
export function runWineReg(prefix: string, args: string[]): { status: number; stdout: Buffer } {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const result = runWineRegOnce(prefix, args);
    const notStarted = result.status !== 0 && result.stdout.toString('latin1').includes(launcherFailed);
    if (!notStarted || attempt === attempts) return result;
    process.stderr.write(`wine reg ${args.join(' ')}: Wine could not start reg.exe (attempt ${attempt}), again\n`);
    wineServerWait(prefix);
  }
}

function runWineRegOnce(prefix: string, args: string[]): { status: number; stdout: Buffer } {
  const out = path.join(tempDir('wine-reg'), 'stdout');
  const fd = fs.openSync(out, 'w');
  try {
    const run = spawnSync('wine', ['reg', ...args], {
      env: wineEnv(prefix),
      stdio: ['ignore', fd, 'ignore'],
      timeout: 120_000,
    });
    if (run.error) throw run.error;
    return { status: run.status ?? -1, stdout: fs.readFileSync(out) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Waits until the prefix's wineserver has exited, so that its files hold everything and the store may write. */
export function wineServerWait(prefix: string): void {
  execFileSync('wineserver', ['-w'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 120_000 });
}

/**
 * Runs Wine's reg.exe (its stdout as text) and waits for the wineserver to save the hives and exit. A run followed
 * at once by another on the same prefix may leave the waiting to that one (`wait: false`): the wineserver stays up
 * between them, and its exit, seconds after the last program, is most of a run's time.
 */
export function wineReg(
  prefix: string,
  args: string[],
  { wait = true }: { wait?: boolean } = {},
): { status: number; stdout: string } {
  const { status, stdout } = runWineReg(prefix, args);
  if (wait) wineServerWait(prefix);
  return { status, stdout: stdout.toString('utf8') };
}
