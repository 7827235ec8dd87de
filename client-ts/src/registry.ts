// Registry and RegistrySync over a transport: option objects checked and flattened into the handler table's
// positional params. Written once for every placement of the native code.
import type { DeleteKeyOptions, KeyInfo, OpenKeyOptions, ReadOptions, Registry, RegistrySync } from './api';
import { booleanOption, optionsObject } from './options';
import type { Mode, Operations, SyncOperations, SyncTransport, Transport } from './transport/Transport';
import type { NamedRegValue, RegValue, RegValueInput } from './values';

const readKeys = ['raw', 'openLink'] as const;
const openKeys = ['openLink'] as const;
const deleteKeys = ['recursive'] as const;

function readFlags(options: ReadOptions | undefined, where: string): [raw: boolean, openLink: boolean] {
  const o = optionsObject(options, readKeys, where);
  return [booleanOption(o.raw, 'raw', where), booleanOption(o.openLink, 'openLink', where)];
}

function openLinkFlag(options: OpenKeyOptions | undefined, where: string): boolean {
  return booleanOption(optionsObject(options, openKeys, where).openLink, 'openLink', where);
}

function recursiveFlag(options: DeleteKeyOptions | undefined, where: string): boolean {
  return booleanOption(optionsObject(options, deleteKeys, where).recursive, 'recursive', where);
}

/** An operation's answer as a promise: the native promise as it is, or one made here for a result at hand. */
function promised<T>(answer: T | Promise<T>): Promise<T> {
  return answer instanceof Promise ? answer : Promise.resolve(answer);
}

/** Registry over any transport. Option errors reject like every other error. */
export class RegistryClient implements Registry {
  readonly #transport: Transport;
  readonly #op: Operations;

  constructor(transport: Transport) {
    this.#transport = transport;
    this.#op = transport.operations;
  }

  get mode(): Mode {
    return this.#transport.mode;
  }

  // No `async` here: it would add a promise and a microtask turn to the calls that need no option checks.
  readStringValue(key: string, name: string): Promise<string> {
    try {
      return promised(this.#op.readStringValue(key, name));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async readValue(key: string, name: string, options?: ReadOptions): Promise<RegValue> {
    const [raw, openLink] = readFlags(options, 'readValue');
    return this.#op.readValue(key, name, raw, openLink);
  }

  async listValues(key: string, options?: ReadOptions): Promise<NamedRegValue[]> {
    const [raw, openLink] = readFlags(options, 'listValues');
    return this.#op.listValues(key, raw, openLink);
  }

  async listSubkeys(key: string, options?: OpenKeyOptions): Promise<string[]> {
    return this.#op.listSubkeys(key, openLinkFlag(options, 'listSubkeys'));
  }

  keyExists(key: string): Promise<boolean> {
    try {
      return promised(this.#op.keyExists(key));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async getKeyInfo(key: string, options?: OpenKeyOptions): Promise<KeyInfo> {
    return this.#op.getKeyInfo(key, openLinkFlag(options, 'getKeyInfo'));
  }

  async writeValue(key: string, name: string, value: RegValueInput): Promise<void> {
    await this.#op.writeValue(key, name, value);
  }

  async compareAndSetValue(
    key: string,
    name: string,
    expected: RegValueInput | null,
    value: RegValueInput,
  ): Promise<void> {
    await this.#op.compareAndSetValue(key, name, expected, value);
  }

  async deleteValue(key: string, name: string): Promise<void> {
    await this.#op.deleteValue(key, name);
  }

  async createKey(key: string): Promise<void> {
    await this.#op.createKey(key);
  }

  async deleteKey(key: string, options?: DeleteKeyOptions): Promise<void> {
    await this.#op.deleteKey(key, recursiveFlag(options, 'deleteKey'));
  }

  async flush(): Promise<void> {
    await this.#op.flush();
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

/** RegistrySync over a transport that answers on the calling thread. */
export class RegistrySyncClient implements RegistrySync {
  readonly #transport: SyncTransport;
  readonly #op: SyncOperations;

  constructor(transport: SyncTransport) {
    this.#transport = transport;
    this.#op = transport.syncOperations;
  }

  readStringValue(key: string, name: string): string {
    return this.#op.readStringValue(key, name);
  }

  readValue(key: string, name: string, options?: ReadOptions): RegValue {
    const [raw, openLink] = readFlags(options, 'readValue');
    return this.#op.readValue(key, name, raw, openLink);
  }

  listValues(key: string, options?: ReadOptions): NamedRegValue[] {
    const [raw, openLink] = readFlags(options, 'listValues');
    return this.#op.listValues(key, raw, openLink);
  }

  listSubkeys(key: string, options?: OpenKeyOptions): string[] {
    return this.#op.listSubkeys(key, openLinkFlag(options, 'listSubkeys'));
  }

  keyExists(key: string): boolean {
    return this.#op.keyExists(key);
  }

  getKeyInfo(key: string, options?: OpenKeyOptions): KeyInfo {
    return this.#op.getKeyInfo(key, openLinkFlag(options, 'getKeyInfo'));
  }

  writeValue(key: string, name: string, value: RegValueInput): void {
    this.#op.writeValue(key, name, value);
  }

  compareAndSetValue(key: string, name: string, expected: RegValueInput | null, value: RegValueInput): void {
    this.#op.compareAndSetValue(key, name, expected, value);
  }

  deleteValue(key: string, name: string): void {
    this.#op.deleteValue(key, name);
  }

  createKey(key: string): void {
    this.#op.createKey(key);
  }

  deleteKey(key: string, options?: DeleteKeyOptions): void {
    this.#op.deleteKey(key, recursiveFlag(options, 'deleteKey'));
  }

  flush(): void {
    this.#op.flush();
  }

  close(): void {
    this.#transport.closeSync();
  }
}
