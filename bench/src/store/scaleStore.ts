// Stores for the scale figures, written directly in Wine's text format: a user.reg with one key of `values` REG_SZ
// values, or one of `values` values spread over keys of 100 values each; system.reg and userdef.reg are the smallest
// valid hives, so that what is loaded and measured is the user.reg alone. Written in chunks: 10^6 values is ~40 MB.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { filetime, keyHeader } from './wineText';

/** The key of the one-big-key store, relative to HKCU, and its value names. */
export const bigKey = 'Software\\BenchScale\\Big';
export const valueName = (i: number) => `Value${String(i).padStart(7, '0')}`;
const valueData = (i: number) => `C:\\Program Files\\Bench Scale\\item ${i}\\data.bin`;

/** The key holding value i of the many-keys store (100 values per key), relative to HKCU. */
export const spreadKey = (i: number) =>
  `Software\\BenchScale\\Group${String(Math.floor(i / 10000)).padStart(3, '0')}\\Key${String(Math.floor(i / 100)).padStart(5, '0')}`;

const escapePath = (key: string) => key.replace(/\\/g, '\\\\');
const header = (root: string) => `WINE REGISTRY Version 2\n;; All keys relative to ${root}\n\n#arch=win64\n`;

/** Writes a store into `dir` (made if missing): 'one-key' puts every value in bigKey, 'spread' 100 per key. */
export function writeScaleStore(dir: string, shape: 'one-key' | 'spread', values: number): { userRegBytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'system.reg'), header('REGISTRY\\\\Machine'));
  fs.writeFileSync(path.join(dir, 'userdef.reg'), header('REGISTRY\\\\User\\\\.Default'));
  const file = path.join(dir, 'user.reg');
  const fd = fs.openSync(file, 'w');
  try {
    const time = filetime(1_764_000_000, 0);
    let chunk = header('REGISTRY\\\\User\\\\S-1-5-21-0-0-0-1000');
    let currentKey: string | undefined;
    for (let i = 0; i < values; i++) {
      const key = shape === 'one-key' ? bigKey : spreadKey(i);
      if (key !== currentKey) {
        chunk += `\n${keyHeader(escapePath(key), time)}\n`;
        currentKey = key;
      }
      chunk += `"${valueName(i)}"="${escapePath(valueData(i))}"\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
  return { userRegBytes: fs.statSync(file).size };
}
