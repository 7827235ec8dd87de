// What a registry client needs from a placement of the native code: run an operation of the handler table, close.
// The in-process transport (the addon) and the pipe transport (the helper) both implement it over the generated spec
// of the table, so that Registry and RegistrySync are written once and a new operation needs nothing here.
import type { Method, Methods } from '../generated/operations';
import type { Mode } from '../types';

/** Every operation as a function of its params (checked already, in field order), returning its result or a promise of it. */
export type Operations = {
  readonly [M in Method]: (...params: Methods[M]['params']) => Methods[M]['result'] | Promise<Methods[M]['result']>;
};

/** Every operation as a function of its params that runs it before returning. */
export type SyncOperations = {
  readonly [M in Method]: (...params: Methods[M]['params']) => Methods[M]['result'];
};

/**
 * A placement of the native code; every failure is a RegistryError, thrown or rejected.
 *
 * Operations are functions, one per method, rather than one call(method, params): each client method then has a call
 * site of its own, which V8 compiles into a direct call of the native function; a shared dispatch sees every method,
 * and its spread call of whichever function it gets cost as much as 10 % of an in-process read.
 */
export interface Transport {
  /** Which placement this is. */
  readonly mode: Mode;
  /** Runs one operation: the result, or a promise of it (in-process: when it was not at hand at once). */
  readonly operations: Operations;
  /** Releases the store; calls after it fail with ERR_CLOSED. Idempotent. */
  close(): Promise<void>;
}

/** A placement that can also answer on the calling thread (in-process only). */
export interface SyncTransport extends Transport {
  /** Runs one operation before returning. */
  readonly syncOperations: SyncOperations;
  /** close(), before returning. */
  closeSync(): void;
}
