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

/**
 * The build folder of this platform, relative to the package root, where the addon and the helper are: `build-win`
 * on Windows (the win32-x64 binaries, made by mingw-w64), `build` elsewhere. Two folders, so that one checkout can
 * hold both builds, and the Windows tests run under Wine beside the Linux ones.
 */
export function buildFolder(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'build-win' : 'build';
}
