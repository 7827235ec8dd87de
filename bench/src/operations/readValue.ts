// A REG_DWORD value, typed (`{ type, data }`). One function per mode: the same call through RegistrySync, through Registry (in-process async and pipe
// mode alike), and as a wire request (the echo floor and the peers).
import type { Registry, RegistrySync } from 'regbridge';

import type { Context, RemoteCall } from './context';

export const name = 'readValue';

/** In-process, synchronous. */
export function sync(reg: RegistrySync, c: Context): unknown {
  return reg.readValue(c.fixtures.valuesKey, c.fixtures.dwordName);
}

/** In-process async or pipe mode. */
export function async(reg: Registry, c: Context): Promise<unknown> {
  return reg.readValue(c.fixtures.valuesKey, c.fixtures.dwordName);
}

/** The same request as a peer or the echo floor receives it. */
export function remote(call: RemoteCall, c: Context): Promise<unknown> {
  return call('readValue', { key: c.fixtures.valuesKey, name: c.fixtures.dwordName });
}
