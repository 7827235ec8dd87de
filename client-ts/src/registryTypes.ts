// The public interfaces of a registry and of the options that open one. The operations themselves, their options and
// their result types are generated from the handler table (generated/operations.ts); this file adds what is not an
// operation (the mode, close) and the names of the option types that calls share.
import type {
  AsyncOperations,
  DeleteKeyOptions as GeneratedDeleteKeyOptions,
  KeyExistsOptions,
  ListSubkeysOptions,
  ReadValueOptions,
  SyncOperations,
} from './generated/operations';
import type { Mode, RegistryView } from './types';

/** The option every call that names a key takes: the registry view, overriding the registry's default. */
export type ViewOptions = KeyExistsOptions;
/** Options of reads: `raw` gives the stored bytes as a Buffer; `openLink` reads a link key itself, not its target. */
export type ReadOptions = ReadValueOptions;
/** Options of calls that open a key: `openLink` opens a link key itself, not its target. */
export type OpenKeyOptions = ListSubkeysOptions;
/** Options of deleteKey. */
export type DeleteKeyOptions = GeneratedDeleteKeyOptions;

/** Options of openRegistry. */
export interface OpenRegistryOptions {
  /** Where the native code runs; left out: $REGBRIDGE_MODE, else 'in-process'. */
  mode?: Mode;
  /** The store's folder (a Wine prefix); left out: $REGBRIDGE_PREFIX, else $XDG_DATA_HOME/regbridge. */
  prefix?: string;
  /** Pipe mode: how long a call waits for its answer before it fails with ERR_TIMEOUT (default 30000 ms). */
  timeoutMs?: number;
  /**
   * Pipe mode: the socket (on Windows, the named pipe) of a regbridge-server already running, to connect to instead of
   * starting one.
   */
  pipe?: string;
  /** The registry view of every call that does not give its own (32 or 64); left out: 64 on the hive store. */
  view?: RegistryView;
}

/** Options of openRegistrySync (always in-process). */
export interface OpenRegistrySyncOptions {
  /** The store's folder (a Wine prefix); left out: $REGBRIDGE_PREFIX, else $XDG_DATA_HOME/regbridge. */
  prefix?: string;
  /** The registry view of every call that does not give its own (32 or 64); left out: 64 on the hive store. */
  view?: RegistryView;
}

/** A registry, in either mode; every failure is a RegistryError. */
export interface Registry extends AsyncOperations {
  /** Where this registry's native code runs. */
  readonly mode: Mode;
  /** Releases the store; later calls fail with ERR_CLOSED. */
  close(): Promise<void>;
}

/** The synchronous registry (in-process only): Registry's methods, returning plain values. */
export interface RegistrySync extends SyncOperations {
  /** Releases the store; later calls fail with ERR_CLOSED. */
  close(): void;
}
