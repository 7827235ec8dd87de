// Where the package is installed: the addon and the helper binary are found relative to it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package's root: the nearest folder above this file with regbridge's package.json. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === 'regbridge') return dir;
    } catch {
      // no package.json here: keep climbing
    }
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
}
