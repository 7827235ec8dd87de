// The public API: the Registry interfaces and the functions that open one.
import * as path from 'node:path';

import { describeValue, invalidArgument, optionsObject, timeoutOption, viewOption } from './options';
import { RegistryClient, RegistrySyncClient } from './registry';
import { openInProcess } from './transport/inProcess';
import { openPipe } from './transport/pipe';
import type { Mode } from './transport/Transport';
import type { NamedRegValue, RegValue, RegValueInput } from './values';

export type { Mode } from './transport/Transport';

/**
 * Which of 64-bit Windows' two registry views a key is opened in: 64 (a 64-bit program's) or 32 (a 32-bit program's,
 * where most of HKLM\Software and HKCR's class keys are the ones under Wow6432Node), as KEY_WOW64_64KEY and
 * KEY_WOW64_32KEY do. The hive store keeps both views in one prefix, as Wine does, and defaults to 64.
 */
export type RegistryView = 32 | 64;

/** The option every call that names a key takes: the registry view, overriding the registry's default. */
export interface ViewOptions {
  /** The registry view to open the key in (32 or 64); left out: the registry's default. */
  view?: RegistryView;
}

/** Options of reads: `raw` gives the stored bytes as a Buffer; `openLink` reads a link key itself, not its target. */
export interface ReadOptions extends ViewOptions {
  /** Return the data as the exact stored bytes (a Buffer), whatever the type. */
  raw?: boolean;
  /** Open a symbolic link key itself rather than the key it points to. */
  openLink?: boolean;
}

/** Options of calls that open a key: `openLink` opens a link key itself, not its target. */
export interface OpenKeyOptions extends ViewOptions {
  /** Open a symbolic link key itself rather than the key it points to. */
  openLink?: boolean;
}

/** Options of deleteKey. */
export interface DeleteKeyOptions extends ViewOptions {
  /** Delete the subkeys too; without it a key with subkeys fails with ERR_KEY_HAS_SUBKEYS. */
  recursive?: boolean;
}

/** What getKeyInfo reports about a key. */
export interface KeyInfo {
  /** Number of direct subkeys. */
  subkeyCount: number;
  /** Number of values. */
  valueCount: number;
  /** When the key last changed. */
  lastWriteTime: Date;
  /** The key's class, when it has one. */
  className?: string;
  /** For a link key opened with openLink: the path it points to. */
  linkTarget?: string;
}

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
export interface Registry {
  /** Where this registry's native code runs. */
  readonly mode: Mode;
  /** A REG_SZ or REG_EXPAND_SZ value as a string (ERR_WRONG_TYPE for other types). */
  readStringValue(key: string, name: string, options?: ViewOptions): Promise<string>;
  /** A value of any type. */
  readValue(key: string, name: string, options?: ReadOptions): Promise<RegValue>;
  /** All values of a key, with their names. */
  listValues(key: string, options?: ReadOptions): Promise<NamedRegValue[]>;
  /** The names of a key's direct subkeys. */
  listSubkeys(key: string, options?: OpenKeyOptions): Promise<string[]>;
  /** Whether a key exists. */
  keyExists(key: string, options?: ViewOptions): Promise<boolean>;
  /** Counts, last write time, class and link target of a key. */
  getKeyInfo(key: string, options?: OpenKeyOptions): Promise<KeyInfo>;
  /** Writes a value, creating missing keys on the way. */
  writeValue(key: string, name: string, value: RegValueInput, options?: ViewOptions): Promise<void>;
  /**
   * Writes a value only if it is still `expected` — the value as last read (raw or typed), or null for "does not
   * exist yet" — checked and written in one step, so that no other writer (thread or process) comes between.
   * Otherwise fails with ERR_VALUE_CHANGED and writes nothing: read again, recompute, retry. Equal means the same
   * type and, for a Buffer, the same bytes, for typed data what a typed read gives.
   */
  compareAndSetValue(
    key: string,
    name: string,
    expected: RegValueInput | null,
    value: RegValueInput,
    options?: ViewOptions,
  ): Promise<void>;
  /** Deletes a value. */
  deleteValue(key: string, name: string, options?: ViewOptions): Promise<void>;
  /** Creates a key and its missing parents; an existing key is fine. */
  createKey(key: string, options?: ViewOptions): Promise<void>;
  /** Deletes a key; with subkeys only when `recursive`. */
  deleteKey(key: string, options?: DeleteKeyOptions): Promise<void>;
  /** Makes every acknowledged write durable against power loss. */
  flush(): Promise<void>;
  /**
   * The .reg text of a key and its subtree, as `reg export` writes it: `Windows Registry Editor Version 5.00`, CRLF
   * line ends, no byte order mark (write it as UTF-16LE with a BOM for a file Windows and Wine import).
   */
  exportKey(key: string, options?: ViewOptions): Promise<string>;
  /**
   * Applies a .reg text (version 5 or REGEDIT4, already decoded from its file): keys and values set, `[-KEY]` and
   * `"name"=-` deleted. A syntax error is ERR_INVALID_ARGUMENT naming line and column, and changes nothing.
   */
  importRegFile(text: string): Promise<void>;
  /** Releases the store; later calls fail with ERR_CLOSED. */
  close(): Promise<void>;
}

/** The synchronous registry (in-process only): Registry's methods, returning plain values. */
export interface RegistrySync {
  /** A REG_SZ or REG_EXPAND_SZ value as a string (ERR_WRONG_TYPE for other types). */
  readStringValue(key: string, name: string, options?: ViewOptions): string;
  /** A value of any type. */
  readValue(key: string, name: string, options?: ReadOptions): RegValue;
  /** All values of a key, with their names. */
  listValues(key: string, options?: ReadOptions): NamedRegValue[];
  /** The names of a key's direct subkeys. */
  listSubkeys(key: string, options?: OpenKeyOptions): string[];
  /** Whether a key exists. */
  keyExists(key: string, options?: ViewOptions): boolean;
  /** Counts, last write time, class and link target of a key. */
  getKeyInfo(key: string, options?: OpenKeyOptions): KeyInfo;
  /** Writes a value, creating missing keys on the way. */
  writeValue(key: string, name: string, value: RegValueInput, options?: ViewOptions): void;
  /** Writes a value only if it is still `expected` (null: absent); else ERR_VALUE_CHANGED. See Registry's. */
  compareAndSetValue(
    key: string,
    name: string,
    expected: RegValueInput | null,
    value: RegValueInput,
    options?: ViewOptions,
  ): void;
  /** Deletes a value. */
  deleteValue(key: string, name: string, options?: ViewOptions): void;
  /** Creates a key and its missing parents; an existing key is fine. */
  createKey(key: string, options?: ViewOptions): void;
  /** Deletes a key; with subkeys only when `recursive`. */
  deleteKey(key: string, options?: DeleteKeyOptions): void;
  /** Makes every acknowledged write durable against power loss. */
  flush(): void;
  /** The .reg text of a key and its subtree. See Registry's. */
  exportKey(key: string, options?: ViewOptions): string;
  /** Applies a .reg text. See Registry's. */
  importRegFile(text: string): void;
  /** Releases the store; later calls fail with ERR_CLOSED. */
  close(): void;
}

const modes: readonly Mode[] = ['in-process', 'pipe'];

function checkMode(value: unknown, source: string): Mode {
  if (typeof value === 'string' && (modes as readonly string[]).includes(value)) return value as Mode;
  const shown = typeof value === 'string' ? `'${value}'` : describeValue(value);
  throw invalidArgument(`openRegistry: ${source} must be 'in-process' or 'pipe', got ${shown}`);
}

function checkPrefix(value: unknown, where: string): string {
  if (value === undefined) return ''; // the addon (or helper) picks the default prefix
  if (typeof value !== 'string' || value === '') {
    throw invalidArgument(`${where}: option 'prefix' must be a non-empty string (a folder), got ${describeValue(value)}`);
  }
  // Windows builds have no hive store, so a prefix is refused here, the same in every mode: the helper would
  // otherwise refuse it only by exiting before it is ready (the words are the native factory's, registry/win/).
  if (process.platform === 'win32') {
    throw invalidArgument(
      `${where}: a prefix ('${value}') selects the hive store, which this Windows build does not include (its file ` +
        'code is POSIX); leave the prefix out to use the Windows registry',
    );
  }
  // Absolute, so that it means the same folder to a helper process with another working directory.
  return path.resolve(value);
}

/** How long a pipe-mode call waits for its answer unless `timeoutMs` says otherwise. */
const defaultTimeoutMs = 30_000;

function checkPipe(value: unknown, mode: Mode, prefixGiven: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw invalidArgument(
      "openRegistry: option 'pipe' must be a non-empty string (a socket path or a pipe name), got " +
        describeValue(value),
    );
  }
  if (mode !== 'pipe') {
    throw invalidArgument(
      `openRegistry: option 'pipe' connects to a running helper and needs mode 'pipe', not '${mode}'`,
    );
  }
  if (prefixGiven) {
    throw invalidArgument(
      "openRegistry: options 'pipe' and 'prefix' do not go together: a running helper has its own prefix",
    );
  }
  return path.resolve(value);
}

/** Opens a registry: in this process (the addon) or in a helper process over a pipe. */
export async function openRegistry(options?: OpenRegistryOptions): Promise<Registry> {
  const checked = optionsObject(options, ['mode', 'prefix', 'timeoutMs', 'pipe', 'view'], 'openRegistry');
  const fromEnv = process.env.REGBRIDGE_MODE;
  const mode =
    checked.mode !== undefined
      ? checkMode(checked.mode, "option 'mode'")
      : fromEnv
        ? checkMode(fromEnv, '$REGBRIDGE_MODE')
        : 'in-process';
  const prefix = checkPrefix(checked.prefix, 'openRegistry');
  // Checked in both modes, so that a mistake shows whatever $REGBRIDGE_MODE says; in-process calls have no timeout.
  const timeoutMs = timeoutOption(checked.timeoutMs, 'timeoutMs', 'openRegistry', defaultTimeoutMs);
  const pipe = checkPipe(checked.pipe, mode, checked.prefix !== undefined);
  const view = viewOption(checked.view, undefined, 'openRegistry');
  if (mode === 'pipe') return new RegistryClient(await openPipe({ prefix, timeoutMs, pipe }), view);
  return new RegistryClient(openInProcess(prefix), view);
}

/** Opens a registry in this process with synchronous calls (each call blocks the thread until the store answers). */
export function openRegistrySync(options?: OpenRegistrySyncOptions): RegistrySync {
  if (options !== null && typeof options === 'object' && 'mode' in options) {
    throw invalidArgument("openRegistrySync: there is no 'mode' option; synchronous calls are in-process only");
  }
  const checked = optionsObject(options, ['prefix', 'view'], 'openRegistrySync');
  const prefix = checkPrefix(checked.prefix, 'openRegistrySync');
  const view = viewOption(checked.view, undefined, 'openRegistrySync');
  return new RegistrySyncClient(openInProcess(prefix), view);
}
