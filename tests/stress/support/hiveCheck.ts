// Checks of a prefix's files that need no store: each hive file starts with Wine's header and ends with a whole
// line, and nothing but the hives and the lock file is in the folder (a `*.regbridge-tmp` left there is a save
// that a killed writer never finished).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The second line of each hive file (user.reg's ends with the user's SID, which varies). */
const relativeTo: Record<string, RegExp> = {
  'system.reg': /^;; All keys relative to REGISTRY\\\\Machine$/,
  'user.reg': /^;; All keys relative to REGISTRY\\\\User\\\\S-[0-9-]+$/,
  'userdef.reg': /^;; All keys relative to REGISTRY\\\\User\\\\\.Default$/,
};

export const hiveFileNames = Object.keys(relativeTo);

/** What is wrong with the hive files of `prefix` (empty when nothing): header, last line. Missing files are fine. */
export function hiveFileProblems(prefix: string): string[] {
  const problems: string[] = [];
  for (const name of hiveFileNames) {
    const file = path.join(prefix, name);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'latin1');
    const lines = text.split('\n', 5);
    if (lines[0] !== 'WINE REGISTRY Version 2') problems.push(`${name}: first line is ${JSON.stringify(lines[0])}`);
    if (!relativeTo[name].test(lines[1] ?? '')) problems.push(`${name}: second line is ${JSON.stringify(lines[1])}`);
    if (!/^#arch=win(32|64)$/m.test(text.slice(0, 300))) problems.push(`${name}: no #arch= line in its header`);
    if (!text.endsWith('\n')) problems.push(`${name}: does not end with a newline (${text.length} bytes)`);
  }
  return problems;
}

/** Files in `prefix` that are neither a hive nor the store's lock file. */
export function strayFiles(prefix: string): string[] {
  if (!fs.existsSync(prefix)) return [];
  return fs.readdirSync(prefix).filter((name) => !hiveFileNames.includes(name) && name !== '.regbridge.lock');
}

/** Reads every hive file of `prefix` as bytes (missing files as undefined), to compare before and after. */
export function snapshotHives(prefix: string): Map<string, Buffer | undefined> {
  const snapshot = new Map<string, Buffer | undefined>();
  for (const name of hiveFileNames) {
    const file = path.join(prefix, name);
    snapshot.set(name, fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  }
  return snapshot;
}

/** The hive files whose bytes differ between two snapshots. */
export function changedHives(
  before: Map<string, Buffer | undefined>,
  after: Map<string, Buffer | undefined>,
): string[] {
  const changed: string[] = [];
  for (const name of hiveFileNames) {
    const a = before.get(name);
    const b = after.get(name);
    if (a === undefined && b === undefined) continue;
    if (a === undefined || b === undefined || !a.equals(b)) changed.push(name);
  }
  return changed;
}
