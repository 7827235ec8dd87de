// Writes a REG_DWORD `bench<i>` under HKCU or HKLM (\Software\regbridge-bench): each acknowledged write rewrites the
// whole hive file (temporary file + rename), so its cost grows with the hive. deleteValue undoes it, phase by phase.
import type { Registry, RegistrySync } from 'regbridge';

import type { Context, Hive, RemoteCall } from './context';

export const name = 'writeValue';

/** In-process, synchronous. */
export function sync(reg: RegistrySync, c: Context, i: number, hive: Hive): unknown {
  return reg.writeValue(c.fixtures.writeKeys[hive], `bench${i}`, { type: 'REG_DWORD', data: i });
}

/** In-process async or pipe mode. */
export function async(reg: Registry, c: Context, i: number, hive: Hive): Promise<unknown> {
  return reg.writeValue(c.fixtures.writeKeys[hive], `bench${i}`, { type: 'REG_DWORD', data: i });
}

/** The same request as the echo floor receives it. */
export function remote(call: RemoteCall, c: Context, i: number, hive: Hive): Promise<unknown> {
  return call('writeValue', {
    key: c.fixtures.writeKeys[hive],
    name: `bench${i}`,
    value: { type: 'REG_DWORD', data: i },
  });
}
