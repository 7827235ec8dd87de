// One case in a loop, for a profiler: `node build/bench-js/profile.js <case> [--seconds N] [--prefix DIR]`.
// Runs on a fresh copy of the generated store (or of DIR's hives) for N seconds (default 5; 0: once). perf follows
// child processes, so the pipe cases profile the helper too:
//   perf record -g -o build/bench-profile.data -- node --perf-basic-prof build/bench-js/profile.js pipe-read
//   perf report -i build/bench-profile.data --sort dso,symbol
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openRegistry, openRegistrySync } from 'regbridge';

import { runAsync } from './measure/loops';
import { findFixtures } from './store/fixtures';
import { generateStore } from './store/generate';
import { hiveFiles } from './store/setup';

const cases = ['read-sync', 'read-async', 'write-hkcu', 'load', 'pipe-read', 'pipe-read-128', 'spawn'] as const;
type Case = (typeof cases)[number];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const what = args[0] as Case;
  if (!cases.includes(what)) {
    console.error(`usage: node build/bench-js/profile.js <${cases.join('|')}> [--seconds N] [--prefix DIR]`);
    process.exitCode = 2;
    return;
  }
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const seconds = Number(at('--seconds') ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-profile-'));
  const source = at('--prefix');
  if (source) for (const f of hiveFiles) fs.copyFileSync(path.join(source, f), path.join(dir, f));
  else generateStore(dir, 20261125);
  const setupReg = openRegistrySync({ prefix: dir });
  const f = findFixtures(setupReg);
  setupReg.close();
  const until = performance.now() + seconds * 1000;
  let calls = 0;
  const more = () => calls === 0 || performance.now() < until;
  try {
    switch (what) {
      case 'read-sync': {
        const reg = openRegistrySync({ prefix: dir });
        while (more()) for (let i = 0; i < 10_000; i++, calls++) reg.readStringValue(f.valuesKey, f.stringName);
        break;
      }
      case 'read-async': {
        const reg = await openRegistry({ prefix: dir });
        while (more()) calls += (await runAsync(() => reg.readStringValue(f.valuesKey, f.stringName), 10_000, 1)).calls;
        break;
      }
      case 'write-hkcu': {
        const reg = openRegistrySync({ prefix: dir });
        for (; more(); calls++) {
          reg.writeValue(f.writeKeys.HKCU, 'profile', { type: 'REG_DWORD', data: calls });
        }
        break;
      }
      case 'load':
        for (; more(); calls++) {
          const reg = openRegistrySync({ prefix: dir });
          reg.readStringValue(f.valuesKey, f.stringName);
          reg.close();
        }
        break;
      case 'pipe-read':
      case 'pipe-read-128': {
        const reg = await openRegistry({ mode: 'pipe', prefix: dir });
        const c = what === 'pipe-read' ? 1 : 128;
        while (more()) calls += (await runAsync(() => reg.readStringValue(f.valuesKey, f.stringName), 2048, c)).calls;
        await reg.close();
        break;
      }
      case 'spawn':
        for (; more(); calls++) {
          const reg = await openRegistry({ mode: 'pipe', prefix: dir });
          await reg.readStringValue(f.userKey, f.userName);
          await reg.close();
        }
        break;
    }
    console.error(`profile ${what}: ${calls} calls in ${seconds} s on ${source ?? 'the generated store'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
