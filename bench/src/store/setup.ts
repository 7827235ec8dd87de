// The run's store, made before any trial: generated from the seed (or copied from --prefix, so a real prefix is never
// written to), checked by writing to each hive (a hive that does not parse refuses writes with ERR_STORE_CORRUPT),
// its fixtures found, and the hives of a real prefix copied for the load figure. Trials get it as setup.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';

import { Fixtures, findFixtures } from './fixtures';
import { GeneratedStore, generateStore } from './generate';
import { RealPrefix, realPrefix } from './realPrefix';

export const hiveFiles = ['system.reg', 'user.reg', 'userdef.reg'] as const;

/** Everything a trial needs to know about the run's store. */
export interface Setup {
  runDir: string;
  quick: boolean;
  store: {
    dir: string;
    kind: 'generated' | 'copy of a real prefix';
    source?: string;
    generated?: GeneratedStore;
    hiveBytes: Record<string, number>;
    /** Whether writing to each hive and undoing it reproduced the generated files byte for byte. */
    rewritesIdentical?: boolean;
  };
  fixtures: Fixtures;
  /** A real prefix's hives, copied, for the load figure; wineDir: where `wine reg query` may run. */
  real: { hivesDir: string; source: string; madeBy: string; wineDir?: string } | { notRun: string };
  /** A folder on the same file system as the store, for the write-and-rename floor. */
  scratchDir: string;
}

function copyHives(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const file of hiveFiles) {
    if (fs.existsSync(path.join(from, file))) fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

/** Writes and deletes a value in every hive: proves each one parses. Returns whether the files came back unchanged. */
function verifyWritable(dir: string): boolean {
  const before = hiveFiles.map((file) => fs.readFileSync(path.join(dir, file)));
  const reg = openRegistrySync({ prefix: dir });
  try {
    for (const key of [
      'HKLM\\Software\\regbridge-bench-probe',
      'HKCU\\Software\\regbridge-bench-probe',
      'HKU\\.Default\\Software\\regbridge-bench-probe',
    ]) {
      try {
        reg.writeValue(key, 'probe', { type: 'REG_DWORD', data: 1 });
        reg.deleteKey(key);
      } catch (error) {
        const code = (error as { code?: string }).code;
        throw new Error(`the store in ${dir} does not take a write to ${key} (${code}): ${(error as Error).message}`);
      }
    }
  } finally {
    reg.close();
  }
  return hiveFiles.every((file, i) => before[i].equals(fs.readFileSync(path.join(dir, file))));
}

/** Options of makeSetup. */
export interface SetupOptions {
  quick: boolean;
  seed: number;
  prefix?: string;
  makeWinePrefix: boolean;
  log: (line: string) => void;
}

/** Makes the run's folder and store. */
export function makeSetup(options: SetupOptions): Setup {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-bench-'));
  const storeDir = path.join(runDir, 'store');
  let generated: GeneratedStore | undefined;
  if (options.prefix) {
    copyHives(options.prefix, storeDir);
    if (!fs.existsSync(path.join(storeDir, 'system.reg')))
      throw new Error(`--prefix ${options.prefix}: no system.reg there`);
  } else {
    generated = generateStore(storeDir, options.seed);
  }
  const rewritesIdentical = verifyWritable(storeDir);
  const hiveBytes: Record<string, number> = {};
  for (const file of hiveFiles) {
    const full = path.join(storeDir, file);
    if (fs.existsSync(full)) hiveBytes[file] = fs.statSync(full).size;
  }
  const reg = openRegistrySync({ prefix: storeDir });
  let fixtures: Fixtures;
  try {
    fixtures = findFixtures(reg);
  } finally {
    reg.close();
  }

  let real: Setup['real'];
  const found: RealPrefix = options.prefix
    ? { dir: options.prefix, madeBy: '--prefix', wineRuns: false }
    : realPrefix(options.makeWinePrefix, options.log);
  if ('notRun' in found) {
    real = found;
  } else {
    const hivesDir = path.join(runDir, 'real');
    copyHives(found.dir, hivesDir);
    real = { hivesDir, source: found.dir, madeBy: found.madeBy, wineDir: found.wineRuns ? found.dir : undefined };
  }
  const scratchDir = path.join(runDir, 'scratch');
  fs.mkdirSync(scratchDir);
  return {
    runDir,
    quick: options.quick,
    store: {
      dir: storeDir,
      kind: options.prefix ? 'copy of a real prefix' : 'generated',
      source: options.prefix,
      generated,
      hiveBytes,
      rewritesIdentical,
    },
    fixtures,
    real,
    scratchDir,
  };
}
