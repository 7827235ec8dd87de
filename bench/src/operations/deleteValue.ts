// Deletes the value `bench<i>` that writeValue wrote (the write cases run a write phase, then this as its undo).
import type { Registry, RegistrySync } from 'regbridge';

import type { Context, Hive, RemoteCall } from './context';

export const name = 'deleteValue';

/** In-process, synchronous. */
export function sync(reg: RegistrySync, c: Context, i: number, hive: Hive): unknown {
  return reg.deleteValue(c.fixtures.writeKeys[hive], `bench${i}`);
}

/** In-process async or pipe mode. */
export function async(reg: Registry, c: Context, i: number, hive: Hive): Promise<unknown> {
  return reg.deleteValue(c.fixtures.writeKeys[hive], `bench${i}`);
}

/** The same request as the echo floor receives it. */
export function remote(call: RemoteCall, c: Context, i: number, hive: Hive): Promise<unknown> {
  return call('deleteValue', { key: c.fixtures.writeKeys[hive], name: `bench${i}` });
}
