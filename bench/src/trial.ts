// The entry point of one trial's fresh process: `node --expose-gc trial.js <name> <setup.json> <settings JSON>`,
// forked by index.ts. Sends progress and then the result over the IPC channel.
import * as fs from 'node:fs';

import type { Settings } from './kinds/env';
import type { TrialResult } from './report/results';
import type { Setup } from './store/setup';
import { trials } from './trialList';

async function main(): Promise<void> {
  const [name, setupFile, settingsJson] = process.argv.slice(2);
  const trial = trials.find((t) => t.name === name);
  if (!trial) throw new Error(`no trial named ${name}`);
  const setup = JSON.parse(fs.readFileSync(setupFile, 'utf8')) as Setup;
  const settings = JSON.parse(settingsJson) as Settings;
  const start = performance.now();
  const output = await trial.run({
    trial: name,
    setup,
    settings,
    ctx: { storeDir: setup.store.dir, fixtures: setup.fixtures },
    progress: (fraction) => process.send?.({ progress: fraction }),
  });
  const result: TrialResult = { trial: name, ...output, seconds: (performance.now() - start) / 1000 };
  process.send!({ result }, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }, () =>
    process.exit(1),
  );
});
