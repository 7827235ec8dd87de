// The in-process placement: the Node-API addon, loaded with require(). The only file that touches the addon.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { RegistryError, toRegistryError } from '../errors';
import { buildFolder, packageRoot } from './packageRoot';
import { operationSpecs } from '../generated/operations';
import { valueTypeNames } from '../values';
import type { RegValue } from '../values';
import type { Operations, SyncOperations, SyncTransport } from './Transport';

/** A store opened by the addon: what its store functions take first. */
type StoreHandle = { readonly __regbridgeStore: never };

/** One of the addon's store functions: the store, then the operation's arguments. */
type StoreFunction = (store: StoreHandle, ...params: unknown[]) => unknown;

/**
 * The addon's store functions (addon/StoreObject.h), shared by every store: `<method>Sync` and `<method>` for every
 * operation, and readValue's data alone with `valueInfo`. `<method>` returns a promise, or the result itself when it
 * answered from memory at once (a result is never a promise).
 */
type StoreFunctions = { readonly valueInfo: Uint32Array } & { readonly [name: string]: StoreFunction };

/** The addon's exports (addon/Module.cpp). */
export interface NativeAddon {
  readonly version: string;
  /** `mapError`: every error of the store passes through it where the addon makes it. */
  openStore(prefix: string, mapError?: (error: unknown) => unknown): StoreHandle;
  readonly store: StoreFunctions;
}

const loaded = new Map<string, NativeAddon>();

/** Where the addon is: $REGBRIDGE_ADDON, else addon/regbridge.node in the package's build folder for this platform. */
export function addonPath(): string {
  const fromEnv = process.env.REGBRIDGE_ADDON;
  return fromEnv ? path.resolve(fromEnv) : path.join(packageRoot(), buildFolder(), 'addon', 'regbridge.node');
}

/** Loads the addon once per path (per thread: each worker_thread loads its own instance). */
export function loadAddon(): NativeAddon {
  const file = addonPath();
  let addon = loaded.get(file);
  if (addon) return addon;
  if (!fs.existsSync(file)) {
    throw new RegistryError(
      'ERR_NOT_BUILT',
      `the regbridge addon is not built: ${file} does not exist; run \`npm run build\` (or set REGBRIDGE_ADDON)`,
    );
  }
  let loadedModule: unknown;
  try {
    loadedModule = require(file);
  } catch (cause) {
    throw new RegistryError('ERR_NOT_BUILT', `the regbridge addon at ${file} does not load: ${String(cause)}`, {
      cause,
    });
  }
  const candidate = loadedModule as Partial<NativeAddon> | null;
  if (typeof candidate?.openStore !== 'function' || typeof candidate.version !== 'string' || !candidate.store) {
    throw new RegistryError(
      'ERR_NOT_BUILT',
      `${file} loads but is not the regbridge addon (no openStore, store functions or version)`,
    );
  }
  addon = candidate as NativeAddon;
  loaded.set(file, addon);
  return addon;
}

type Runner = (...params: unknown[]) => unknown;

/** `fn` with the store as its first argument: for the operations called too rarely to need a closure of their own. */
function bound(fn: StoreFunction, store: StoreHandle): Runner {
  return (...params) => fn(store, ...params);
}

class InProcessTransport implements SyncTransport {
  readonly mode = 'in-process' as const;
  readonly #close: () => void;
  // The addon's store functions with this store first. Every error they throw or reject with was made a
  // RegistryError by toRegistryError already (openInProcess), so they need no handler. `<method>` returns its result
  // itself when it answered from memory at once; the client makes that a promise. The reads called most have a
  // closure of their own each, with the arguments written out: one call site per native function, which V8 then
  // calls directly whatever the store (addon/StoreObject.h).
  readonly operations: Operations;
  readonly syncOperations: SyncOperations;

  constructor(native: StoreFunctions, store: StoreHandle) {
    const close = native.close;
    this.#close = () => close(store);
    const operations: Record<string, Runner> = {};
    const syncOperations: Record<string, Runner> = {};
    for (const method of Object.keys(operationSpecs)) {
      operations[method] = bound(native[method], store);
      syncOperations[method] = bound(native[`${method}Sync`], store);
    }
    const readString = native.readStringValue;
    const readStringSync = native.readStringValueSync;
    operations.readStringValue = (key, name, view) =>
      view === undefined ? readString(store, key, name) : readString(store, key, name, view);
    syncOperations.readStringValue = (key, name, view) =>
      view === undefined ? readStringSync(store, key, name) : readStringSync(store, key, name, view);
    const exists = native.keyExists;
    const existsSync = native.keyExistsSync;
    operations.keyExists = (key, view) => (view === undefined ? exists(store, key) : exists(store, key, view));
    syncOperations.keyExists = (key, view) =>
      view === undefined ? existsSync(store, key) : existsSync(store, key, view);
    // readValue from its data alone and what the addon says of it in `valueInfo` (StoreObject.h): an object literal
    // here costs a fraction of one the addon makes through N-API, and small byte values are views of a shared pool
    // rather than a Buffer of their own each.
    const info = native.valueInfo;
    const readData = native.readValueData;
    const readDataSync = native.readValueDataSync;
    const value = (data: unknown): RegValue =>
      ({
        type: info[0] < valueTypeNames.length ? valueTypeNames[info[0]] : info[0],
        data: info[1] === 0 ? data : Buffer.from(data as ArrayBuffer, info[2], info[3]),
      }) as RegValue;
    // Arguments left out are read as false and the default view without asking N-API anything.
    const plain = (raw: unknown, openLink: unknown, view: unknown) =>
      raw === false && openLink === false && view === undefined;
    syncOperations.readValue = (key, name, raw, openLink, view) =>
      value(
        plain(raw, openLink, view)
          ? readDataSync(store, key, name)
          : readDataSync(store, key, name, raw, openLink, view),
      );
    operations.readValue = (key, name, raw, openLink, view) => {
      const data = plain(raw, openLink, view)
        ? readData(store, key, name)
        : readData(store, key, name, raw, openLink, view);
      // A promise (the read went to a worker thread) resolves with the whole value.
      return data instanceof Promise ? data : value(data);
    };
    this.operations = operations as unknown as Operations;
    this.syncOperations = syncOperations as unknown as SyncOperations;
  }

  close(): Promise<void> {
    this.closeSync();
    return Promise.resolve();
  }

  closeSync(): void {
    // Calls in flight keep the native store until they finish; new calls fail with ERR_CLOSED.
    this.#close();
  }
}

/** Opens the store in `prefix` ('' for the default prefix) in this process. */
export function openInProcess(prefix: string): SyncTransport {
  const addon = loadAddon();
  try {
    // Errors become RegistryErrors where the addon makes them, so that async calls need no handler of their own.
    return new InProcessTransport(addon.store, addon.openStore(prefix, toRegistryError));
  } catch (error) {
    throw toRegistryError(error);
  }
}
