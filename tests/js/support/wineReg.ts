// Wine's own reg.exe against a prefix of the tests: a runnable copy of the real prefix, and one reg.exe run that
// waits for the wineserver to save the hives.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { realWinePrefix, tempPrefix } from '../00.setup';

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

/** Runs Wine's reg.exe and waits for the wineserver to save the hives and exit. */
export function wineReg(prefix: string, args: string[]): { status: number; stdout: string } {
  let status = 0;
  let stdout = '';
  try {
    stdout = execFileSync('wine', ['reg', ...args], { env: wineEnv(prefix), encoding: 'utf8', timeout: 120_000 });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string };
    status = failed.status ?? -1;
    stdout = failed.stdout ?? '';
  }
  execFileSync('wineserver', ['-w'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 120_000 });
  return { status, stdout };
}
