// The registry's errors in reg.exe's words, keeping the RegistryError code and message for scripts and people.
import { RegistryError } from '../index';
import type { ErrorCode } from '../index';
import { CliFailure } from './failure';

/** reg.exe's sentence for each code it has one for. */
const wordings: Partial<Record<ErrorCode, string>> = {
  ERR_KEY_NOT_FOUND: 'Unable to find the specified registry key',
  ERR_VALUE_NOT_FOUND: 'Unable to find the specified registry value',
  ERR_INVALID_PATH: 'Invalid registry key',
  ERR_ACCESS_DENIED: 'Access is denied',
  ERR_STORE_LOCKED: 'Access is denied: the registry is in use',
};

/** A key or value that is not there, as the verbs report it. */
export function notFound(what: 'key' | 'value', key: string, name?: string): CliFailure {
  const detail = what === 'key' ? `no key '${key}'` : `no value '${name}' in '${key}'`;
  return new CliFailure(
    what === 'key' ? 'ERR_KEY_NOT_FOUND' : 'ERR_VALUE_NOT_FOUND',
    wordings[what === 'key' ? 'ERR_KEY_NOT_FOUND' : 'ERR_VALUE_NOT_FOUND']!,
    detail,
  );
}

/** Any error of a verb as a CliFailure; errors that are not the registry's are bugs and pass through. */
export function asFailure(error: unknown): unknown {
  if (error instanceof CliFailure) return error;
  if (error instanceof RegistryError) {
    const wording = wordings[error.code] ?? 'Unable to complete the specified operation. An unexpected error occurred';
    return new CliFailure(error.code, wording, error.message);
  }
  return error;
}
