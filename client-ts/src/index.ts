// regbridge: typed access to a Windows-style registry, in-process or in a helper process.
//
// require('regbridge') loads this file alone: each export loads the module behind it at its first use. A program
// that only requires the package (an extension activating, a command printing its help) pays for one module, not
// five: about 1 ms of a fresh process's start. Node caches each module, so later uses only look it up.
import type * as Api from './api';
import type * as Errors from './errors';
import type { OpenRegistryOptions, OpenRegistrySyncOptions, Registry, RegistrySync } from './registryTypes';
import type * as Values from './values';

export type {
  DeleteKeyOptions,
  OpenKeyOptions,
  OpenRegistryOptions,
  OpenRegistrySyncOptions,
  ReadOptions,
  Registry,
  RegistrySync,
  ViewOptions,
} from './registryTypes';
// Every operation's options type (ReadValueOptions, ...), KeyInfo and the other result types of the handler table.
export type * from './generated/operations';
export type { Mode, RegistryView } from './types';
export type { ErrorCode, RegistryErrorDetails } from './errors';
export type { BinaryTypeName, NamedRegValue, RegValue, RegValueInput, ValueTypeName } from './values';

// require() rather than import(): this file is CommonJS, and import() would load the modules as ESM, asynchronously.
const api = () => require('./api') as typeof Api;
const errorsModule = () => require('./errors') as typeof Errors;
const valuesModule = () => require('./values') as typeof Values;

/** Opens a registry: in this process (the addon) or in a helper process over a pipe. */
export function openRegistry(options?: OpenRegistryOptions): Promise<Registry> {
  return api().openRegistry(options);
}

/** Opens a registry in this process with synchronous calls (each call blocks the thread until the store answers). */
export function openRegistrySync(options?: OpenRegistrySyncOptions): RegistrySync {
  return api().openRegistrySync(options);
}

/** The error every regbridge call fails with, in both modes: test `code`, not the message. */
export declare const RegistryError: typeof Errors.RegistryError;
export type RegistryError = Errors.RegistryError;
/** Every code a RegistryError can carry, for checks at run time. */
export declare const errorCodes: typeof Errors.errorCodes;
/** The names of the type codes Windows defines (winnt.h), in code order: REG_NONE is 0, REG_QWORD 11. */
export declare const valueTypeNames: typeof Values.valueTypeNames;

// The three values above are getters, each written `get() { return <name>.<name>; }`: the one form in which Node's
// loader for ES modules (cjs-module-lexer) finds a CommonJS export without running the file, so that
// `import { RegistryError } from 'regbridge'` keeps working.
const errors = {
  get RegistryError() {
    return errorsModule().RegistryError;
  },
  get errorCodes() {
    return errorsModule().errorCodes;
  },
};
const values = {
  get valueTypeNames() {
    return valuesModule().valueTypeNames;
  },
};
Object.defineProperty(exports, 'RegistryError', {
  enumerable: true,
  get() {
    return errors.RegistryError;
  },
});
Object.defineProperty(exports, 'errorCodes', {
  enumerable: true,
  get() {
    return errors.errorCodes;
  },
});
Object.defineProperty(exports, 'valueTypeNames', {
  enumerable: true,
  get() {
    return values.valueTypeNames;
  },
});
