// What an operation's functions get: the store, its fixtures, and a remote call for the modes that send the request
// as it goes on the wire (the echo floor and the peers).
import type { Fixtures } from '../store/fixtures';

/** The store a case runs on. */
export interface Context {
  storeDir: string;
  fixtures: Fixtures;
}

/** A request by method name and by-name params, as on the wire; resolves with the answer's result. */
export type RemoteCall = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/** The two hives the write cases write to. */
export type Hive = 'HKCU' | 'HKLM';
