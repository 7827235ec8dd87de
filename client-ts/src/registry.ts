// Registry and RegistrySync over a transport, written once for every placement of the native code and every
// operation: each method of the generated spec (generated/operations.ts) checks its arguments (arguments.ts),
// flattens its options into the handler table's params and calls the transport. The hottest reads are written out
// by hand below, for the reason Transport.ts gives: a method of its own is a call site of its own.
import { argumentReader, checkString } from './arguments';
import type { ArgumentReader } from './arguments';
import { operationSpecs } from './generated/operations';
import type { KeyExistsOptions, Method, ReadStringValueOptions, ReadValueOptions } from './generated/operations';
import { optionsObject, viewOption } from './options';
import type { Registry, RegistrySync } from './registryTypes';
import type { Operations, SyncOperations, SyncTransport, Transport } from './transport/Transport';
import type { Mode, RegistryView } from './types';
import type { RegValue } from './values';

type View = RegistryView | undefined;
type Runner = (...params: unknown[]) => unknown;

const viewKeys = ['view'] as const;

/** The view of a call: its own `view` option, else the registry's. No options at all costs one comparison. */
function viewOf(options: unknown, view: View, where: string): View {
  return options === undefined ? view : viewOption(optionsObject(options, viewKeys, where).view, view, where);
}

/** Throws the error of the first of `key` and `name` that is no string (the fast paths test both inline first). */
function checkStrings(method: string, key: unknown, name: unknown): void {
  checkString(key, method, 1, 'key');
  checkString(name, method, 2, 'name');
}

/** An operation's answer as a promise: the native promise as it is, or one made here for a result at hand. */
function promised<T>(answer: T | Promise<T>): Promise<T> {
  return answer instanceof Promise ? answer : Promise.resolve(answer);
}

const readers = new Map<Method, ArgumentReader>(
  Object.entries(operationSpecs).map(([method, spec]) => [method as Method, argumentReader(method, spec)]),
);

const readValueReader = readers.get('readValue')!;

/** readValue's params when options are given, checked by the generated reader. */
function readValueArgs(
  key: string,
  name: string,
  options: ReadValueOptions,
  view: View,
): [string, string, boolean, boolean, RegistryView?] {
  return readValueReader([key, name, options], view) as [string, string, boolean, boolean, RegistryView?];
}

/** The methods of the spec a class does not write out itself. */
function generatedMethods(prototype: object): [Method, ArgumentReader][] {
  return [...readers].filter(([method]) => !Object.prototype.hasOwnProperty.call(prototype, method));
}

function defineMethod(prototype: object, method: Method, body: (this: never, ...args: unknown[]) => unknown): void {
  Object.defineProperty(prototype, method, { value: body, writable: true, configurable: true });
}

// Every operation of the spec is a method: declared by the generated interface, defined in the static block.
export interface RegistryClient extends Registry {}

/** Registry over any transport. Argument errors reject like every other error. */
export class RegistryClient {
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
  readStringValue(key: string, name: string, options?: ReadStringValueOptions): Promise<string> {
    try {
      if (typeof key !== 'string' || typeof name !== 'string') checkStrings('readStringValue', key, name);
      const view = viewOf(options, this.#view, 'readStringValue');
      // Left out rather than passed as undefined when there is none: the addon then reads one argument less.
      return promised(
        view === undefined ? this.#op.readStringValue(key, name) : this.#op.readStringValue(key, name, view),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  readValue(key: string, name: string, options?: ReadValueOptions): Promise<RegValue> {
    try {
      if (typeof key !== 'string' || typeof name !== 'string') checkStrings('readValue', key, name);
      // Options bring booleans to check: the generated reader does that.
      if (options !== undefined) return promised(this.#op.readValue(...readValueArgs(key, name, options, this.#view)));
      const view = this.#view;
      return promised(
        view === undefined
          ? this.#op.readValue(key, name, false, false)
          : this.#op.readValue(key, name, false, false, view),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  keyExists(key: string, options?: KeyExistsOptions): Promise<boolean> {
    try {
      if (typeof key !== 'string') checkString(key, 'keyExists', 1, 'key');
      const view = viewOf(options, this.#view, 'keyExists');
      return promised(view === undefined ? this.#op.keyExists(key) : this.#op.keyExists(key, view));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  static {
    for (const [method, read] of generatedMethods(RegistryClient.prototype)) {
      defineMethod(RegistryClient.prototype, method, function (this: RegistryClient, ...args: unknown[]) {
        try {
          return promised((this.#op[method] as Runner)(...read(args, this.#view)));
        } catch (error) {
          return Promise.reject(error);
        }
      });
    }
  }
}

// Every operation of the spec is a method, as for RegistryClient.
export interface RegistrySyncClient extends RegistrySync {}

/** RegistrySync over a transport that answers on the calling thread. */
export class RegistrySyncClient {
  readonly #transport: SyncTransport;
  readonly #op: SyncOperations;
  readonly #view: View;

  /** `view`: the view of calls that do not give one (checked by the caller); undefined leaves it to the backend. */
  constructor(transport: SyncTransport, view?: RegistryView) {
    this.#transport = transport;
    this.#op = transport.syncOperations;
    this.#view = view;
  }

  readStringValue(key: string, name: string, options?: ReadStringValueOptions): string {
    if (typeof key !== 'string' || typeof name !== 'string') checkStrings('readStringValue', key, name);
    const view = viewOf(options, this.#view, 'readStringValue');
    return view === undefined ? this.#op.readStringValue(key, name) : this.#op.readStringValue(key, name, view);
  }

  readValue(key: string, name: string, options?: ReadValueOptions): RegValue {
    if (typeof key !== 'string' || typeof name !== 'string') checkStrings('readValue', key, name);
    if (options !== undefined) return this.#op.readValue(...readValueArgs(key, name, options, this.#view));
    const view = this.#view;
    return view === undefined
      ? this.#op.readValue(key, name, false, false)
      : this.#op.readValue(key, name, false, false, view);
  }

  keyExists(key: string, options?: KeyExistsOptions): boolean {
    if (typeof key !== 'string') checkString(key, 'keyExists', 1, 'key');
    const view = viewOf(options, this.#view, 'keyExists');
    return view === undefined ? this.#op.keyExists(key) : this.#op.keyExists(key, view);
  }

  close(): void {
    this.#transport.closeSync();
  }

  static {
    for (const [method, read] of generatedMethods(RegistrySyncClient.prototype)) {
      defineMethod(RegistrySyncClient.prototype, method, function (this: RegistrySyncClient, ...args: unknown[]) {
        return (this.#op[method] as Runner)(...read(args, this.#view));
      });
    }
  }
}
