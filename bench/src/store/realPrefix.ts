// A real Wine prefix, for the figures that need one: loading a real system.reg, and `wine reg query` (which needs a
// prefix Wine made). Made once with `wineboot -i` and cached in build/bench-cache/wineprefix; the tests' cached
// prefix (build/test-cache/wineprefix) is used for its hives when ours is not made yet. Wine itself only ever runs
// on ours, never on the tests' one, which other engineers' test runs read at the same time.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { cacheDir, testPrefix } from '../paths';

/** A real prefix, or why there is none. */
export type RealPrefix =
  | { dir: string; madeBy: 'bench-cache' | 'test-cache' | 'made now' | '--prefix'; wineRuns: boolean }
  | { notRun: string };

const ours = path.join(cacheDir, 'wineprefix');

/** Whether `wine` and `wineboot` are on PATH. */
export function wineInstalled(): boolean {
  return (
    spawnSync('sh', ['-c', 'command -v wine && command -v wineboot && command -v wineserver'], { stdio: 'ignore' })
      .status === 0
  );
}

const hasHives = (dir: string) =>
  fs.existsSync(path.join(dir, 'system.reg')) && fs.existsSync(path.join(dir, 'user.reg'));

/** Makes build/bench-cache/wineprefix with `wineboot -i` (about 15 s on 2 cores). */
function make(): void {
  const temporary = `${ours}.making-${process.pid}`;
  fs.rmSync(temporary, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(ours), { recursive: true });
  const env = { ...process.env, WINEPREFIX: temporary, WINEDEBUG: '-all' };
  execFileSync('wineboot', ['-i'], { env, stdio: 'ignore', timeout: 180_000 });
  // The hives are written when wineserver exits.
  execFileSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 60_000 });
  if (!hasHives(temporary)) throw new Error(`wineboot -i left no system.reg in ${temporary}`);
  fs.rmSync(ours, { recursive: true, force: true });
  fs.renameSync(temporary, ours);
}

/** Finds a real prefix, making one if Wine is installed and `mayMake`. */
export function realPrefix(mayMake: boolean, log: (line: string) => void): RealPrefix {
  const wine = wineInstalled();
  if (hasHives(ours)) return { dir: ours, madeBy: 'bench-cache', wineRuns: wine };
  if (wine && mayMake) {
    try {
      log(`making a real Wine prefix for the Wine figures (wineboot -i, once): ${ours}`);
      make();
      return { dir: ours, madeBy: 'made now', wineRuns: true };
    } catch (error) {
      log(`could not make a Wine prefix: ${String(error)}`);
    }
  }
  if (hasHives(testPrefix)) return { dir: testPrefix, madeBy: 'test-cache', wineRuns: false };
  return { notRun: wine ? 'no Wine prefix could be made' : 'Wine is not installed (apt-get install wine)' };
}
