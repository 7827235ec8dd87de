// What a registry client needs from a placement of the native code: call an operation of the handler table, close.
// The in-process transport (the addon) and the pipe transport (the helper) both implement it, so that Registry and
// RegistrySync are written once.
import type { KeyInfo, RegistryView } from '../api';
import type { NamedRegValue, RegValue, RegValueInput } from '../values';

/** Where the native code runs. */
export type Mode = 'in-process' | 'pipe';

/**
 * The operations of the handler table (registry/Operations.h): positional params in the order of the C++ params
 * struct's field list, and the result.
 */
export interface Methods {
  readStringValue: { params: [key: string, name: string, view?: RegistryView]; result: string };
  readValue: {
    params: [key: string, name: string, raw: boolean, openLink: boolean, view?: RegistryView];
    result: RegValue;
  };
  listValues: { params: [key: string, raw: boolean, openLink: boolean, view?: RegistryView]; result: NamedRegValue[] };
  listSubkeys: { params: [key: string, openLink: boolean, view?: RegistryView]; result: string[] };
  keyExists: { params: [key: string, view?: RegistryView]; result: boolean };
  getKeyInfo: { params: [key: string, openLink: boolean, view?: RegistryView]; result: KeyInfo };
  writeValue: { params: [key: string, name: string, value: RegValueInput, view?: RegistryView]; result: undefined };
  compareAndSetValue: {
    params: [key: string, name: string, expected: RegValueInput | null, value: RegValueInput, view?: RegistryView];
    result: undefined;
  };
  deleteValue: { params: [key: string, name: string, view?: RegistryView]; result: undefined };
  createKey: { params: [key: string, view?: RegistryView]; result: undefined };
  deleteKey: { params: [key: string, recursive: boolean, view?: RegistryView]; result: undefined };
  flush: { params: []; result: undefined };
  exportKey: { params: [key: string, view?: RegistryView]; result: string };
  importRegFile: { params: [text: string]; result: undefined };
}

/** The name of an operation. */
export type Method = keyof Methods;

/** The params' names in position order, as the wire protocol keys them (the C++ field names). */
export const paramNames: { readonly [M in Method]: readonly string[] } = {
  readStringValue: ['key', 'name', 'view'],
  readValue: ['key', 'name', 'raw', 'openLink', 'view'],
  listValues: ['key', 'raw', 'openLink', 'view'],
  listSubkeys: ['key', 'openLink', 'view'],
  keyExists: ['key', 'view'],
  getKeyInfo: ['key', 'openLink', 'view'],
  writeValue: ['key', 'name', 'value', 'view'],
  compareAndSetValue: ['key', 'name', 'expected', 'value', 'view'],
  deleteValue: ['key', 'name', 'view'],
  createKey: ['key', 'view'],
  deleteKey: ['key', 'recursive', 'view'],
  flush: [],
  exportKey: ['key', 'view'],
  importRegFile: ['text'],
};

/** Every operation as a function of its positional params, returning its result or a promise of it. */
export type Operations = {
  readonly [M in Method]: (...params: Methods[M]['params']) => Methods[M]['result'] | Promise<Methods[M]['result']>;
};

/** Every operation as a function of its positional params that runs it before returning. */
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

/** Operations over one call(method, params) function that returns a promise. */
export function operationsCalling(
  call: <M extends Method>(method: M, params: Methods[M]['params']) => Promise<Methods[M]['result']>,
): Operations {
  const operations: Record<string, (...params: never[]) => unknown> = {};
  for (const method of Object.keys(paramNames) as Method[]) {
    operations[method] = (...params: never[]) => call(method, params as Methods[typeof method]['params']);
  }
  return operations as unknown as Operations;
}
