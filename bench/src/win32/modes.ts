// One side of `--target win32` (target.ts): the read operations of the harness (operations/), each in-process async
// and in pipe mode, measured in the harness's interleaved rounds (measure/rounds.ts), on a small fixture key it
// writes first. Run by Linux's node on a temporary prefix, and by Windows' node.exe in Wine on the real registry
// (no prefix); the cells go to a JSON file (node.exe cannot write to a Unix pipe).
//
//   node build/bench-js/win32/modes.js --out FILE [--prefix DIR] [--quick]
import * as fs from 'node:fs';

import { openRegistry } from 'regbridge';
import type { Registry } from 'regbridge';

import { runAsync } from '../measure/loops';
import { Contender, runRounds } from '../measure/rounds';
import type { Context } from '../operations/context';
import { reads } from '../operations/index';
import type { Cell } from '../report/results';
import type { Fixtures } from '../store/fixtures';

const base = 'HKCU\\Software\\regbridge-bench-win32';

/** Writes the fixture keys the read operations use: ten values (a REG_SZ and a REG_DWORD among them), ten subkeys. */
async function writeFixtures(reg: Registry): Promise<Fixtures> {
  if (await reg.keyExists(base)) await reg.deleteKey(base, { recursive: true });
  const valuesKey = `${base}\\values`;
  for (let i = 0; i < 8; i++)
    await reg.writeValue(valuesKey, `bin${i}`, { type: 'REG_BINARY', data: Buffer.alloc(16, i) });
  await reg.writeValue(valuesKey, 'InstallLocation', { type: 'REG_SZ', data: 'C:\\Program Files\\Example' });
  await reg.writeValue(valuesKey, 'Version', { type: 'REG_DWORD', data: 42 });
  const subkeysKey = `${base}\\subkeys`;
  for (let i = 0; i < 10; i++) await reg.createKey(`${subkeysKey}\\sub${i}`);
  return {
    valuesKey,
    valueCount: 10,
    stringName: 'InstallLocation',
    dwordName: 'Version',
    subkeysKey,
    subkeyCount: 10,
    userKey: valuesKey,
    userName: 'InstallLocation',
    writeKeys: { HKCU: `${base}\\writes`, HKLM: `${base}\\writes` },
  };
}

async function main(argv: string[]): Promise<void> {
  let out: string | undefined;
  let prefix: string | undefined;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--prefix') prefix = argv[++i];
    else if (argv[i] === '--quick') quick = true;
    else throw new Error(`modes: unknown option ${argv[i]}`);
  }
  if (!out) throw new Error('usage: modes --out FILE [--prefix DIR] [--quick]');
  const inProcess = await openRegistry({ mode: 'in-process', prefix });
  const pipe = await openRegistry({ mode: 'pipe', prefix });
  const cells: Cell[] = [];
  try {
    const context: Context = { storeDir: prefix ?? '', fixtures: await writeFixtures(inProcess) };
    for (const [op, operation] of Object.entries(reads)) {
      const contenders: Contender[] = [
        { reg: inProcess, mode: 'in-process async' as const },
        { reg: pipe, mode: 'pipe' as const },
      ].map(({ reg, mode }) => ({
        cells: [{ id: `win32.${op}.${mode}`, op, mode, concurrency: 1 }],
        minCalls: 1,
        run: async (calls: number) => [
          await runAsync(() => operation.async(reg, context) as Promise<unknown>, calls, 1),
        ],
      }));
      cells.push(
        ...(await runRounds(`win32.${op}`, contenders, { rounds: quick ? 3 : 9, budgetMs: quick ? 50 : 300 })),
      );
    }
    await inProcess.deleteKey(base, { recursive: true });
  } finally {
    await inProcess.close();
    await pipe.close();
  }
  fs.writeFileSync(out, JSON.stringify({ platform: process.platform, node: process.version, cells }));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
