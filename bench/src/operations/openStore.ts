// Opening a store and answering one read from it, then closing: what a program pays once. In-process that is loading
// the hive the read needs (system.reg for the HKLM fixture); in pipe mode it is also starting the helper and the
// handshake (the helper then loads the hive).
import { openRegistry, openRegistrySync } from 'regbridge';

import type { Context } from './context';

export const name = 'openStore';

/** In-process, synchronous. */
export function sync(c: Context): unknown {
  const reg = openRegistrySync({ prefix: c.storeDir });
  const value = reg.readStringValue(c.fixtures.valuesKey, c.fixtures.stringName);
  reg.close();
  return value;
}

/** In-process async. */
export async function async(c: Context): Promise<unknown> {
  const reg = await openRegistry({ mode: 'in-process', prefix: c.storeDir });
  const value = await reg.readStringValue(c.fixtures.valuesKey, c.fixtures.stringName);
  await reg.close();
  return value;
}

/** Pipe mode: a helper started, asked, and stopped. */
export async function pipe(c: Context): Promise<unknown> {
  const reg = await openRegistry({ mode: 'pipe', prefix: c.storeDir });
  const value = await reg.readStringValue(c.fixtures.valuesKey, c.fixtures.stringName);
  await reg.close();
  return value;
}
