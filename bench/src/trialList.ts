// The trial list: every trial runs in a fresh Node process (trial.ts), in this order. `seconds` is what a full run
// of it takes on a 2-core machine, for the ETA; `quickSeconds` the same with --quick.
import * as clients from './kinds/clients';
import type { TrialEnv, TrialOutput } from './kinds/env';
import * as inProcess from './kinds/inProcess';
import * as load from './kinds/load';
import * as memory from './kinds/memory';
import * as open from './kinds/open';
import * as realWrite from './kinds/realWrite';
import * as remote from './kinds/remote';
import * as scale from './kinds/scale';
import * as startup from './kinds/startup';
import * as wine from './kinds/wine';
import * as writes from './kinds/writes';
import { reads, ReadName } from './operations';

/** One trial. */
export interface Trial {
  name: string;
  seconds: number;
  quickSeconds: number;
  run(env: TrialEnv): Promise<TrialOutput>;
}

const readNames = Object.keys(reads) as ReadName[];

/** Every trial, in run order. */
export const trials: Trial[] = [
  ...readNames.map((op) => ({
    name: `inprocess.${op}`,
    seconds: 2,
    quickSeconds: 0.8,
    run: (env: TrialEnv) => inProcess.run(env, op),
  })),
  ...readNames.map((op) => ({
    name: `remote.${op}`,
    seconds: 9,
    quickSeconds: 2.5,
    run: (env: TrialEnv) => remote.run(env, op),
  })),
  { name: 'writes.HKCU', seconds: 4, quickSeconds: 1.5, run: (env) => writes.run(env, 'HKCU') },
  { name: 'writes.HKLM', seconds: 10, quickSeconds: 3, run: (env) => writes.run(env, 'HKLM') },
  { name: 'writes.HKCU.real', seconds: 1.5, quickSeconds: 0.8, run: realWrite.run },
  { name: 'open', seconds: 4, quickSeconds: 1.5, run: open.run },
  { name: 'clients', seconds: 12, quickSeconds: 3, run: clients.run },
  { name: 'startup', seconds: 6, quickSeconds: 4, run: startup.run },
  { name: 'memory', seconds: 2, quickSeconds: 2, run: memory.run },
  { name: 'load', seconds: 3, quickSeconds: 2, run: load.run },
  { name: 'scale', seconds: 25, quickSeconds: 4, run: scale.run },
  { name: 'wine', seconds: 7, quickSeconds: 3, run: wine.run },
];
