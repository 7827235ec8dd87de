// The one error type of the client. Its codes mirror registry/Error.h (errorCodeName) and protocol/PROTOCOL.md,
// plus the codes only the client and the bindings produce.

/** Every code a RegistryError can carry. */
export type ErrorCode =
  // from the core (registry/Error.h), the same in both modes
  | 'ERR_KEY_NOT_FOUND'
  | 'ERR_VALUE_NOT_FOUND'
  | 'ERR_WRONG_TYPE'
  | 'ERR_INVALID_PATH'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_KEY_HAS_SUBKEYS'
  | 'ERR_VALUE_CHANGED' // compareAndSetValue: the value is no longer the one expected; read it again and retry
  | 'ERR_ACCESS_DENIED'
  | 'ERR_STORE_LOCKED'
  | 'ERR_STORE_CORRUPT'
  | 'ERR_IO'
  | 'ERR_INTERNAL'
  // from the bindings and the client
  | 'ERR_CLOSED' // a call on a closed registry
  | 'ERR_NOT_BUILT' // the addon or the helper binary is missing, does not load, or does not match this client
  | 'ERR_TIMEOUT' // pipe mode: no answer within timeoutMs (or no ready line from a starting helper)
  | 'ERR_HELPER_EXITED' // pipe mode: the helper process died (or its connection closed) with the call pending
  | 'ERR_HELPER_CRASH_LOOP'; // pipe mode: the helper died 5 times within 3 minutes; it is not restarted

/** The codes above, for checks at run time. */
export const errorCodes: readonly ErrorCode[] = [
  'ERR_KEY_NOT_FOUND',
  'ERR_VALUE_NOT_FOUND',
  'ERR_WRONG_TYPE',
  'ERR_INVALID_PATH',
  'ERR_INVALID_ARGUMENT',
  'ERR_KEY_HAS_SUBKEYS',
  'ERR_VALUE_CHANGED',
  'ERR_ACCESS_DENIED',
  'ERR_STORE_LOCKED',
  'ERR_STORE_CORRUPT',
  'ERR_IO',
  'ERR_INTERNAL',
  'ERR_CLOSED',
  'ERR_NOT_BUILT',
  'ERR_TIMEOUT',
  'ERR_HELPER_EXITED',
  'ERR_HELPER_CRASH_LOOP',
];

/** What a RegistryError may say besides its code and message. */
export interface RegistryErrorDetails {
  /** The key path as the caller wrote it. */
  key?: string;
  /** The value name, when the error concerns one value. */
  valueName?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The error every regbridge call fails with, in both modes: test `code`, not the message. */
export class RegistryError extends Error {
  /** Why the call failed. */
  readonly code: ErrorCode;
  // `declare`: no class fields emitted, so that an absent key or valueName is no property at all.
  /** The key path as the caller wrote it, when the error concerns a key. */
  declare readonly key?: string;
  /** The value name, when the error concerns one value. */
  declare readonly valueName?: string;

  constructor(code: ErrorCode, message: string, details: RegistryErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    const self = this as { key?: string; valueName?: string };
    if (details.key !== undefined) self.key = details.key;
    if (details.valueName !== undefined) self.valueName = details.valueName;
  }
}

// On the prototype, as for built-in errors, so that it is not an own enumerable property of every error.
Object.defineProperty(RegistryError.prototype, 'name', { value: 'RegistryError', writable: true, configurable: true });

const knownCodes = new Set<string>(errorCodes);

/** Whether `code` is one of errorCodes (a code read off the wire, say). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && knownCodes.has(code);
}

/**
 * A binding's error as a RegistryError. Errors that carry no regbridge code (a JS exception thrown by the caller's
 * own getter while arguments were read, say) are the caller's own and pass through unchanged.
 */
export function toRegistryError(error: unknown): unknown {
  if (error instanceof RegistryError || !(error instanceof Error)) return error;
  const { code, key, valueName } = error as Error & { code?: unknown; key?: unknown; valueName?: unknown };
  if (typeof code !== 'string' || !knownCodes.has(code)) return error;
  const mapped = new RegistryError(code as ErrorCode, error.message, {
    key: typeof key === 'string' ? key : undefined,
    valueName: typeof valueName === 'string' ? valueName : undefined,
  });
  Error.captureStackTrace(mapped, toRegistryError); // start the stack at the call that failed, not here
  return mapped;
}
