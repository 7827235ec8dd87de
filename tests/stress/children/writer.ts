// A writer child of the kill trials: opens a registry, says `ready`, then runs the ops of support/plan.ts in order,
// appending one line per outcome to its acknowledgement log with a synchronous write() — so a line is in the log
// (the page cache survives SIGKILL) before the next op starts:
//   `W i` / `D i`   op i (a write / a delete) was acknowledged: it must be in the store from now on
//   `S i`           delete op i skipped: the write it undoes was not acknowledged
//   `E i CODE`      op i failed with a RegistryError (in pipe mode ERR_HELPER_EXITED when its helper was killed)
// It stops at `until` (epoch ms) or after `maxOps`, closes the registry, logs `done` and exits 0. Anything else it
// meets (an unexpected error code, an exception) is logged as `X message` and exits 2. Nothing keeps its event loop
// alive but the calls it awaits, so a pending call that never settles shows up as an exit without `done`.
import * as fs from 'node:fs';

import { openRegistry, RegistryError } from 'regbridge';
import type { Mode } from 'regbridge';

import { plannedOp, WriterSpec } from '../support/plan';

export interface WriterConfig extends WriterSpec {
  mode: Mode;
  prefix?: string;
  /** A running helper's socket (pipe mode), instead of a helper of its own. */
  pipe?: string;
  log: string;
  until: number;
  maxOps: number;
  /** Error codes that are an expected outcome of an op (the child goes on after them). */
  expected: string[];
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as WriterConfig;
  const log = fs.openSync(config.log, 'a');
  const note = (line: string) => fs.writeSync(log, `${line}\n`);
  const reg = await openRegistry(
    config.pipe ? { mode: 'pipe', pipe: config.pipe } : { mode: config.mode, prefix: config.prefix },
  );
  fs.writeSync(1, 'ready\n');
  const acknowledged = new Set<number>();
  for (let i = 0; i < config.maxOps && Date.now() < config.until; i++) {
    const op = plannedOp(config, i);
    if (op.kind === 'delete' && !acknowledged.has(op.target)) {
      note(`S ${i}`);
      continue;
    }
    try {
      if (op.kind === 'write') {
        await reg.writeValue(op.key, op.name, op.value);
        acknowledged.add(i);
        note(`W ${i}`);
      } else {
        await reg.deleteValue(op.key, op.name);
        note(`D ${i}`);
      }
    } catch (error) {
      if (error instanceof RegistryError && config.expected.includes(error.code)) {
        note(`E ${i} ${error.code}`);
        continue;
      }
      note(`X op ${i}: ${error instanceof RegistryError ? error.code + ' ' : ''}${String(error)}`);
      process.exit(2);
    }
  }
  await reg.close();
  note('done');
  fs.closeSync(log);
}

main().catch((error) => {
  fs.writeSync(2, `writer: ${String(error?.stack ?? error)}\n`);
  process.exit(3);
});
