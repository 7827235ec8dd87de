// Reads a writer child's acknowledgement log (children/writer.ts) and turns it into what the store must hold.
import * as fs from 'node:fs';

import { plannedOp, WriterSpec } from './plan';

/** What one writer's log says. */
export interface AckLog {
  /** Ops acknowledged, by index: a write or a delete. */
  acknowledged: Map<number, 'W' | 'D'>;
  /** Ops that failed with an expected RegistryError: they may or may not have happened. */
  failed: Map<number, string>;
  /** The highest op index logged in any way (-1 when none). */
  lastLogged: number;
  /** Whether the writer logged `done` (it ran to its end and closed). */
  done: boolean;
  /** `X` lines: what the writer did not expect. */
  unexpected: string[];
}

export function readAckLog(file: string): AckLog {
  const log: AckLog = { acknowledged: new Map(), failed: new Map(), lastLogged: -1, done: false, unexpected: [] };
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === 'done') {
      log.done = true;
      continue;
    }
    const [tag, index, code] = line.split(' ');
    const i = Number(index);
    if (tag === 'W' || tag === 'D') log.acknowledged.set(i, tag);
    else if (tag === 'E') log.failed.set(i, code);
    else if (tag === 'X') log.unexpected.push(line);
    else if (tag !== 'S') log.unexpected.push(`unreadable log line: ${line}`);
    if (Number.isInteger(i)) log.lastLogged = Math.max(log.lastLogged, i);
  }
  return log;
}

/** One thing to check in the store: a value that must be there (with the op that wrote it), or must not. */
export type Expectation =
  | { present: true; spec: WriterSpec; op: number; key: string; name: string }
  | { present: false; spec: WriterSpec; op: number; key: string; name: string };

/**
 * Every check an acknowledgement log implies. An acknowledged write must be there with its data unless the delete
 * that undoes it might have run: acknowledged (then it must be gone), failed, or the op in flight when the writer
 * was killed (then either is right, and nothing is checked).
 */
export function expectations(spec: WriterSpec, log: AckLog): Expectation[] {
  const out: Expectation[] = [];
  const mightHaveRun = (i: number) => log.failed.has(i) || (!log.done && i === log.lastLogged + 1);
  for (const [i, tag] of log.acknowledged) {
    if (tag !== 'W') continue;
    const op = plannedOp(spec, i);
    const undo = i + 5;
    const undone = undo % 10 === 9;
    if (undone && log.acknowledged.get(undo) === 'D') {
      out.push({ present: false, spec, op: i, key: op.key, name: op.name });
    } else if (!(undone && mightHaveRun(undo))) {
      out.push({ present: true, spec, op: i, key: op.key, name: op.name });
    }
  }
  return out;
}
