// regbridge: typed access to a Windows-style registry, in-process or in a helper process.
//
// require('regbridge') loads this file alone: the first use of an export loads the module behind them all
// (lazyExports.ts). A program that only requires the package (an extension activating, a command printing its help)
// pays for one small module: about 1 ms of a fresh process's start. Node caches each module, so later uses only look
// it up.
import type * as Errors from './errors';
import type * as LazyExports from './lazyExports';
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

// require() rather than import(): this file is CommonJS, and import() would load the module as ESM, asynchronously.
// One module behind all the exports (the build makes it a single file): see lazyExports.ts.
const lazyExports = () => require('./lazyExports') as typeof LazyExports;

/** Opens a registry: in this process (the addon) or in a helper process over a pipe. */
export function openRegistry(options?: OpenRegistryOptions): Promise<Registry> {
  return lazyExports().openRegistry(options);
}

/** Opens a registry in this process with synchronous calls (each call blocks the thread until the store answers). */
export function openRegistrySync(options?: OpenRegistrySyncOptions): RegistrySync {
  return lazyExports().openRegistrySync(options);
}

/** The error every regbridge call fails with, in both modes: test `code`, not the message. */
export declare const RegistryError: typeof Errors.RegistryError;
export type RegistryError = Errors.RegistryError;
/** Every code a RegistryError can carry, for checks at run time. */
export declare const errorCodes: typeof Errors.errorCodes;
/** The names of the type codes Windows defines (winnt.h), in code order: REG_NONE is 0, REG_QWORD 11. */
export declare const valueTypeNames: typeof Values.valueTypeNames;

// The three values above are getters, each written `get() { return <object>.<name>; }`: the one form in which Node's
// loader for ES modules (cjs-module-lexer) finds a CommonJS export without running the file, so that
// `import { RegistryError } from 'regbridge'` keeps working.
const lazy = {
  get RegistryError() {
    return lazyExports().RegistryError;
  },
  get errorCodes() {
    return lazyExports().errorCodes;
  },
  get valueTypeNames() {
    return lazyExports().valueTypeNames;
  },
};
Object.defineProperty(exports, 'RegistryError', {
  enumerable: true,
  get() {
    return lazy.RegistryError;
  },
});
Object.defineProperty(exports, 'errorCodes', {
  enumerable: true,
  get() {
    return lazy.errorCodes;
  },
});
Object.defineProperty(exports, 'valueTypeNames', {
  enumerable: true,
  get() {
    return lazy.valueTypeNames;
  },
});
