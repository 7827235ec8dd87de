// Registry and RegistrySync over a transport: option objects checked and flattened into the handler table's
// positional params. Written once for every placement of the native code.
import type {
  DeleteKeyOptions,
  KeyInfo,
  OpenKeyOptions,
  ReadOptions,
  Registry,
  RegistrySync,
  RegistryView,
  ViewOptions,
} from './api';
import { booleanOption, optionsObject, viewOption } from './options';
import type { Mode, Operations, SyncOperations, SyncTransport, Transport } from './transport/Transport';
import type { NamedRegValue, RegValue, RegValueInput } from './values';

const readKeys = ['raw', 'openLink', 'view'] as const;
const openKeys = ['openLink', 'view'] as const;
const deleteKeys = ['recursive', 'view'] as const;
const viewKeys = ['view'] as const;

type View = RegistryView | undefined;

function readFlags(
  options: ReadOptions | undefined,
  view: View,
  where: string,
): [raw: boolean, openLink: boolean, view: View] {
  const o = optionsObject(options, readKeys, where);
  return [
    booleanOption(o.raw, 'raw', where),
    booleanOption(o.openLink, 'openLink', where),
    viewOption(o.view, view, where),
  ];
}

function openFlags(options: OpenKeyOptions | undefined, view: View, where: string): [openLink: boolean, view: View] {
  const o = optionsObject(options, openKeys, where);
  return [booleanOption(o.openLink, 'openLink', where), viewOption(o.view, view, where)];
}

function deleteFlags(
  options: DeleteKeyOptions | undefined,
  view: View,
  where: string,
): [recursive: boolean, view: View] {
  const o = optionsObject(options, deleteKeys, where);
  return [booleanOption(o.recursive, 'recursive', where), viewOption(o.view, view, where)];
}

/** The view of a call: its own `view` option, else the registry's. No options at all costs one comparison. */
function viewOf(options: ViewOptions | undefined, view: View, where: string): View {
  return options === undefined ? view : viewOption(optionsObject(options, viewKeys, where).view, view, where);
}

/** An operation's answer as a promise: the native promise as it is, or one made here for a result at hand. */
function promised<T>(answer: T | Promise<T>): Promise<T> {
  return answer instanceof Promise ? answer : Promise.resolve(answer);
}

/** Registry over any transport. Option errors reject like every other error. */
export class RegistryClient implements Registry {
  readonly #transport: Transport;
  readonly #op: Operations;
  readonly #view: View;

  /** `view`: the view of calls that do not give one (checked by the caller); undefined leaves it to the backend. */
  constructor(transport: Transport, view?: RegistryView) {
    this.#transport = transport;
    this.#op = transport.operations;
    this.#view = view;
  }

  get mode(): Mode {
    return this.#transport.mode;
  }

  // No `async` here: it would add a promise and a microtask turn to the calls that need no option checks.
  readStringValue(key: string, name: string, options?: ViewOptions): Promise<string> {
    try {
      const view = viewOf(options, this.#view, 'readStringValue');
      // Left out rather than passed as undefined when there is none: the addon then reads one argument less.
      return promised(
        view === undefined ? this.#op.readStringValue(key, name) : this.#op.readStringValue(key, name, view),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async readValue(key: string, name: string, options?: ReadOptions): Promise<RegValue> {
    const [raw, openLink, view] = readFlags(options, this.#view, 'readValue');
    return this.#op.readValue(key, name, raw, openLink, view);
  }

  async listValues(key: string, options?: ReadOptions): Promise<NamedRegValue[]> {
    const [raw, openLink, view] = readFlags(options, this.#view, 'listValues');
    return this.#op.listValues(key, raw, openLink, view);
  }

  async listSubkeys(key: string, options?: OpenKeyOptions): Promise<string[]> {
    const [openLink, view] = openFlags(options, this.#view, 'listSubkeys');
    return this.#op.listSubkeys(key, openLink, view);
  }

  keyExists(key: string, options?: ViewOptions): Promise<boolean> {
    try {
      const view = viewOf(options, this.#view, 'keyExists');
      return promised(view === undefined ? this.#op.keyExists(key) : this.#op.keyExists(key, view));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async getKeyInfo(key: string, options?: OpenKeyOptions): Promise<KeyInfo> {
    const [openLink, view] = openFlags(options, this.#view, 'getKeyInfo');
    return this.#op.getKeyInfo(key, openLink, view);
  }

  async writeValue(key: string, name: string, value: RegValueInput, options?: ViewOptions): Promise<void> {
    await this.#op.writeValue(key, name, value, viewOf(options, this.#view, 'writeValue'));
  }

  async compareAndSetValue(
    key: string,
    name: string,
    expected: RegValueInput | null,
    value: RegValueInput,
    options?: ViewOptions,
  ): Promise<void> {
    await this.#op.compareAndSetValue(key, name, expected, value, viewOf(options, this.#view, 'compareAndSetValue'));
  }

  async deleteValue(key: string, name: string, options?: ViewOptions): Promise<void> {
    await this.#op.deleteValue(key, name, viewOf(options, this.#view, 'deleteValue'));
  }

  async createKey(key: string, options?: ViewOptions): Promise<void> {
    await this.#op.createKey(key, viewOf(options, this.#view, 'createKey'));
  }

  async deleteKey(key: string, options?: DeleteKeyOptions): Promise<void> {
    const [recursive, view] = deleteFlags(options, this.#view, 'deleteKey');
    await this.#op.deleteKey(key, recursive, view);
  }

  async flush(): Promise<void> {
    await this.#op.flush();
  }

  async exportKey(key: string, options?: ViewOptions): Promise<string> {
    return this.#op.exportKey(key, viewOf(options, this.#view, 'exportKey'));
  }

  async importRegFile(text: string): Promise<void> {
    await this.#op.importRegFile(text);
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

/** RegistrySync over a transport that answers on the calling thread. */
export class RegistrySyncClient implements RegistrySync {
  readonly #transport: SyncTransport;
  readonly #op: SyncOperations;
  readonly #view: View;

  /** `view`: the view of calls that do not give one (checked by the caller); undefined leaves it to the backend. */
  constructor(transport: SyncTransport, view?: RegistryView) {
    this.#transport = transport;
    this.#op = transport.syncOperations;
    this.#view = view;
  }

  readStringValue(key: string, name: string, options?: ViewOptions): string {
    const view = viewOf(options, this.#view, 'readStringValue');
    return view === undefined ? this.#op.readStringValue(key, name) : this.#op.readStringValue(key, name, view);
  }

  readValue(key: string, name: string, options?: ReadOptions): RegValue {
    const [raw, openLink, view] = readFlags(options, this.#view, 'readValue');
    return this.#op.readValue(key, name, raw, openLink, view);
  }

  listValues(key: string, options?: ReadOptions): NamedRegValue[] {
    const [raw, openLink, view] = readFlags(options, this.#view, 'listValues');
    return this.#op.listValues(key, raw, openLink, view);
  }

  listSubkeys(key: string, options?: OpenKeyOptions): string[] {
    const [openLink, view] = openFlags(options, this.#view, 'listSubkeys');
    return this.#op.listSubkeys(key, openLink, view);
  }

  keyExists(key: string, options?: ViewOptions): boolean {
    const view = viewOf(options, this.#view, 'keyExists');
    return view === undefined ? this.#op.keyExists(key) : this.#op.keyExists(key, view);
  }

  getKeyInfo(key: string, options?: OpenKeyOptions): KeyInfo {
    const [openLink, view] = openFlags(options, this.#view, 'getKeyInfo');
    return this.#op.getKeyInfo(key, openLink, view);
  }

  writeValue(key: string, name: string, value: RegValueInput, options?: ViewOptions): void {
    this.#op.writeValue(key, name, value, viewOf(options, this.#view, 'writeValue'));
  }

  compareAndSetValue(
    key: string,
    name: string,
    expected: RegValueInput | null,
    value: RegValueInput,
    options?: ViewOptions,
  ): void {
    this.#op.compareAndSetValue(key, name, expected, value, viewOf(options, this.#view, 'compareAndSetValue'));
  }

  deleteValue(key: string, name: string, options?: ViewOptions): void {
    this.#op.deleteValue(key, name, viewOf(options, this.#view, 'deleteValue'));
  }

  createKey(key: string, options?: ViewOptions): void {
    this.#op.createKey(key, viewOf(options, this.#view, 'createKey'));
  }

  deleteKey(key: string, options?: DeleteKeyOptions): void {
    const [recursive, view] = deleteFlags(options, this.#view, 'deleteKey');
    this.#op.deleteKey(key, recursive, view);
  }

  flush(): void {
    this.#op.flush();
  }

  exportKey(key: string, options?: ViewOptions): string {
    return this.#op.exportKey(key, viewOf(options, this.#view, 'exportKey'));
  }

  importRegFile(text: string): void {
    this.#op.importRegFile(text);
  }

  close(): void {
    this.#transport.closeSync();
  }
}
