// The subkey names of a key with subkeys. One function per mode: the same call through RegistrySync, through Registry (in-process async and pipe
// mode alike), and as a wire request (the echo floor and the peers).
import type { Registry, RegistrySync } from 'regbridge';

import type { Context, RemoteCall } from './context';

export const name = 'listSubkeys';

/** In-process, synchronous. */
export function sync(reg: RegistrySync, c: Context): unknown {
  return reg.listSubkeys(c.fixtures.subkeysKey);
}

/** In-process async or pipe mode. */
export function async(reg: Registry, c: Context): Promise<unknown> {
  return reg.listSubkeys(c.fixtures.subkeysKey);
}

/** The same request as a peer or the echo floor receives it. */
export function remote(call: RemoteCall, c: Context): Promise<unknown> {
  return call('listSubkeys', { key: c.fixtures.subkeysKey });
}
