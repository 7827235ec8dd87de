// Walks whole subtrees of a registry through the public API and writes what it finds as JSON: every key (link keys
// with their target, not followed), every value with its type code and exact bytes. The parity walk (parityWalk.ts)
// runs it twice on one Wine prefix — under Windows' node.exe on the Win32 backend, and under Linux's node on the hive
// store — and compares the two files.
//
//   node walkRegistry.js --mode in-process|pipe [--prefix <folder>] --out <file.json> <root>...
import * as fs from 'node:fs';

import { openRegistry, valueTypeNames } from 'regbridge';
import type { Mode, Registry } from 'regbridge';

/** What the walk found under one key. */
export interface WalkedKey {
  /** For a link key: where it points (it is not descended into). */
  link?: string;
  /** Value name → `<type code>:<bytes in hex>`. */
  values: Record<string, string>;
  /** When the key could not be read: the error's code and message (the walk goes on with the other keys). */
  error?: string;
}

/** Key path (as listed, joined with `\`) → what it holds. */
export type Walk = Record<string, WalkedKey>;

/** A type name's code: its index in valueTypeNames (REG_NONE is 0, REG_QWORD 11). */
const typeCodes: Record<string, number> = Object.fromEntries(valueTypeNames.map((name, code) => [name, code]));

function typeCode(type: string | number): number {
  if (typeof type === 'number') return type;
  const code = typeCodes[type];
  if (code === undefined) throw new Error(`unknown value type ${type}`);
  return code;
}

/** Walks `root` and everything below it into `into`; one key at a time, so that memory stays small. */
export async function walk(reg: Registry, root: string, into: Walk): Promise<void> {
  const pending = [root];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    let subkeys: string[];
    try {
      const info = await reg.getKeyInfo(key, { openLink: true });
      if (info.linkTarget !== undefined) {
        into[key] = { link: info.linkTarget, values: {} };
        continue;
      }
      const values: Record<string, string> = {};
      for (const value of await reg.listValues(key, { raw: true })) {
        values[value.name] = `${typeCode(value.type)}:${(value.data as Buffer).toString('hex')}`;
      }
      subkeys = await reg.listSubkeys(key, { openLink: true });
      into[key] = { values };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      into[key] = { values: {}, error: `${code ?? 'no code'}: ${message ?? String(error)}` };
      continue;
    }
    for (const name of subkeys.reverse()) pending.push(`${key}\\${name}`);
  }
}

async function main(argv: string[]): Promise<void> {
  let mode: Mode = 'in-process';
  let prefix: string | undefined;
  let out: string | undefined;
  const roots: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mode') mode = argv[++i] as Mode;
    else if (arg === '--prefix') prefix = argv[++i];
    else if (arg === '--out') out = argv[++i];
    else if (arg.startsWith('--')) throw new Error(`walkRegistry: unknown option ${arg}`);
    else roots.push(arg);
  }
  if (!out || roots.length === 0) throw new Error('usage: walkRegistry --mode M [--prefix P] --out FILE ROOT...');
  const reg = await openRegistry({ mode, prefix });
  const found: Walk = {};
  const started = Date.now();
  try {
    for (const root of roots) await walk(reg, root, found);
  } finally {
    await reg.close();
  }
  fs.writeFileSync(out, JSON.stringify({ mode, platform: process.platform, ms: Date.now() - started, keys: found }));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
