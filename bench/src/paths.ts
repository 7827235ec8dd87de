// Where things are: the package root (found by its package.json, so the compiled files may sit at any depth under
// build/bench-js), the native binaries of the build, and the compiled entry points of this harness.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === 'regbridge') return dir;
    } catch {
      // not here: keep climbing
    }
  }
  throw new Error(`bench: no regbridge package.json above ${__dirname}`);
}

/** The package root (the git checkout). */
export const root = findRoot();
/** The compiled harness (this file's folder is in it). */
export const jsRoot = path.join(root, 'build', 'bench-js');
/** The real addon, loaded directly only for the "addon, no TS layer" comparison. */
export const addonFile = path.join(root, 'build', 'addon', 'regbridge.node');
/** The floor addon built from bench/floor/ with the addon's flags. */
export const floorFile = path.join(root, 'build', 'bench', 'floor.node');
/** The minimal echo server, the pipe floor (bench/floor/echo-server/). */
export const echoFloorFile = path.join(root, 'build', 'bench', 'regbridge-echo-floor');
/** The helper binary. */
export const serverFile = path.join(root, 'build', 'regbridge-server');
/** Where real Wine prefixes made for the benchmark are cached. */
export const cacheDir = path.join(root, 'build', 'bench-cache');
/** The prefix the C++ and JS tests make with `wineboot -i`, reused when present. */
export const testPrefix = path.join(root, 'build', 'test-cache', 'wineprefix');
/** Default output folder (git-ignored). */
export const resultsDir = path.join(root, 'bench', 'results');

/** A compiled script of this harness, by its path under src/ without extension. */
export function script(name: string): string {
  return path.join(jsRoot, `${name}.js`);
}
