// A process started under `prlimit --fsize=N` (RLIMIT_FSIZE): no file it writes may grow past N bytes, so the save
// of a hive larger than N stops part way with EFBIG (Node ignores SIGXFSZ, as the helper must). Runs the changes of
// support/fullDisk.ts on a prefix whose user.reg is larger than N, then deletes them all and writes again.
// Prints one JSON line: the outcomes, or the first broken promise.
import * as fs from 'node:fs';

import { openRegistry } from 'regbridge';
import type { Mode } from 'regbridge';

import { fullKey, roomAgain, shortOfRoom } from '../support/fullDisk';

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as { mode: Mode; prefix: string; limit: number };
  const reg = await openRegistry({ mode: config.mode, prefix: config.prefix });
  let result: { outcomes?: string[]; problem?: string };
  try {
    const label = `${config.mode}, RLIMIT_FSIZE ${config.limit}`;
    const outcomes = await shortOfRoom(reg, config.prefix, label);
    // Room again: the big values go all at once with their key (one at a time, a hive more than a quarter over
    // the limit would never fit), and the hive left is far below the limit.
    await reg.deleteKey(fullKey, { recursive: true });
    await roomAgain(reg, config.prefix, label);
    result = { outcomes };
  } catch (error) {
    result = { problem: String(error instanceof Error ? error.message : error) };
  }
  await reg.close();
  fs.writeSync(1, `${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  fs.writeSync(2, `fsizeLimited: ${String(error?.stack ?? error)}\n`);
  process.exit(3);
});
