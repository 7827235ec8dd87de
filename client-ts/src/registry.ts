// Registry and RegistrySync over a transport: option objects checked and flattened into the handler table's
// positional params. Written once for every placement of the native code.
import type { DeleteKeyOptions, KeyInfo, OpenKeyOptions, ReadOptions, Registry, RegistrySync } from './api';
import { booleanOption, optionsObject } from './options';
import type { Mode, SyncTransport, Transport } from './transport/Transport';
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

/** Registry over any transport. Option errors reject like every other error. */
export class RegistryClient implements Registry {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  get mode(): Mode {
    return this.#transport.mode;
  }

  readStringValue(key: string, name: string): Promise<string> {
    return this.#transport.call('readStringValue', [key, name]);
  }

  async readValue(key: string, name: string, options?: ReadOptions): Promise<RegValue> {
    return this.#transport.call('readValue', [key, name, ...readFlags(options, 'readValue')]);
  }

  async listValues(key: string, options?: ReadOptions): Promise<NamedRegValue[]> {
    return this.#transport.call('listValues', [key, ...readFlags(options, 'listValues')]);
  }

  async listSubkeys(key: string, options?: OpenKeyOptions): Promise<string[]> {
    return this.#transport.call('listSubkeys', [key, openLinkFlag(options, 'listSubkeys')]);
  }

  keyExists(key: string): Promise<boolean> {
    return this.#transport.call('keyExists', [key]);
  }

  async getKeyInfo(key: string, options?: OpenKeyOptions): Promise<KeyInfo> {
    return this.#transport.call('getKeyInfo', [key, openLinkFlag(options, 'getKeyInfo')]);
  }

  async writeValue(key: string, name: string, value: RegValueInput): Promise<void> {
    await this.#transport.call('writeValue', [key, name, value]);
  }

  async deleteValue(key: string, name: string): Promise<void> {
    await this.#transport.call('deleteValue', [key, name]);
  }

  async createKey(key: string): Promise<void> {
    await this.#transport.call('createKey', [key]);
  }

  async deleteKey(key: string, options?: DeleteKeyOptions): Promise<void> {
    await this.#transport.call('deleteKey', [key, recursiveFlag(options, 'deleteKey')]);
  }

  async flush(): Promise<void> {
    await this.#transport.call('flush', []);
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

/** RegistrySync over a transport that answers on the calling thread. */
export class RegistrySyncClient implements RegistrySync {
  readonly #transport: SyncTransport;

  constructor(transport: SyncTransport) {
    this.#transport = transport;
  }

  readStringValue(key: string, name: string): string {
    return this.#transport.callSync('readStringValue', [key, name]);
  }

  readValue(key: string, name: string, options?: ReadOptions): RegValue {
    return this.#transport.callSync('readValue', [key, name, ...readFlags(options, 'readValue')]);
  }

  listValues(key: string, options?: ReadOptions): NamedRegValue[] {
    return this.#transport.callSync('listValues', [key, ...readFlags(options, 'listValues')]);
  }

  listSubkeys(key: string, options?: OpenKeyOptions): string[] {
    return this.#transport.callSync('listSubkeys', [key, openLinkFlag(options, 'listSubkeys')]);
  }

  keyExists(key: string): boolean {
    return this.#transport.callSync('keyExists', [key]);
  }

  getKeyInfo(key: string, options?: OpenKeyOptions): KeyInfo {
    return this.#transport.callSync('getKeyInfo', [key, openLinkFlag(options, 'getKeyInfo')]);
  }

  writeValue(key: string, name: string, value: RegValueInput): void {
    this.#transport.callSync('writeValue', [key, name, value]);
  }

  deleteValue(key: string, name: string): void {
    this.#transport.callSync('deleteValue', [key, name]);
  }

  createKey(key: string): void {
    this.#transport.callSync('createKey', [key]);
  }

  deleteKey(key: string, options?: DeleteKeyOptions): void {
    this.#transport.callSync('deleteKey', [key, recursiveFlag(options, 'deleteKey')]);
  }

  flush(): void {
    this.#transport.callSync('flush', []);
  }

  close(): void {
    this.#transport.closeSync();
  }
}
