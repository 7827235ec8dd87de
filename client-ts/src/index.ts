// regbridge: typed access to a Windows-style registry, in-process or in a helper process.
export { openRegistry, openRegistrySync } from './api';
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
export { RegistryError, errorCodes } from './errors';
export type { ErrorCode, RegistryErrorDetails } from './errors';
export { valueTypeNames } from './values';
export type { BinaryTypeName, NamedRegValue, RegValue, RegValueInput, ValueTypeName } from './values';
