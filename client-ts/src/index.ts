// regbridge: typed access to a Windows-style registry, in-process or in a helper process.
export { openRegistry, openRegistrySync } from './api';
export type {
  DeleteKeyOptions,
  KeyInfo,
  Mode,
  OpenKeyOptions,
  OpenRegistryOptions,
  OpenRegistrySyncOptions,
  ReadOptions,
  Registry,
  RegistrySync,
  RegistryView,
  ViewOptions,
} from './api';
export { RegistryError, errorCodes } from './errors';
export type { ErrorCode, RegistryErrorDetails } from './errors';
export { valueTypeNames } from './values';
export type { BinaryTypeName, NamedRegValue, RegValue, RegValueInput, ValueTypeName } from './values';
