// A REG_SZ value of the key of ~10 values, as a string: the call a typical user makes first (readStringValue(key, name)). One function per mode: the same call through RegistrySync, through Registry (in-process async and pipe
// mode alike), and as a wire request (the echo floor and the peers).
import type { Registry, RegistrySync } from 'regbridge';

import type { Context, RemoteCall } from './context';

export const name = 'readStringValue';

/** In-process, synchronous. */
export function sync(reg: RegistrySync, c: Context): unknown {
  return reg.readStringValue(c.fixtures.valuesKey, c.fixtures.stringName);
}

/** In-process async or pipe mode. */
export function async(reg: Registry, c: Context): Promise<unknown> {
  return reg.readStringValue(c.fixtures.valuesKey, c.fixtures.stringName);
}

/** The same request as a peer or the echo floor receives it. */
export function remote(call: RemoteCall, c: Context): Promise<unknown> {
  return call('readStringValue', { key: c.fixtures.valuesKey, name: c.fixtures.stringName });
}
