// Checks of option objects at the API edge, with messages that name the call, the option and what was wrong —
// misspelled keys included, since a silently ignored `{ recursve: true }` is the worst kind of bug.
import { RegistryError } from './errors';

/** typeof, with null and arrays told apart, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'undefined';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** A RegistryError with code ERR_INVALID_ARGUMENT. */
export function invalidArgument(message: string): RegistryError {
  return new RegistryError('ERR_INVALID_ARGUMENT', message);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function suggestion(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  const close = allowed.find((name) => name.toLowerCase() === lower || editDistance(name.toLowerCase(), lower) <= 2);
  return close ? ` (did you mean '${close}'?)` : '';
}

/**
 * The options object of `where` (undefined counts as empty); throws ERR_INVALID_ARGUMENT when it is not a plain
 * object or has a key not in `allowed`.
 */
export function optionsObject<K extends string>(
  options: unknown,
  allowed: readonly K[],
  where: string,
): { readonly [P in K]?: unknown } {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`${where}: options must be an object or undefined, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(allowed as readonly string[]).includes(key)) {
      const known = allowed.length
        ? `the options are ${allowed.map((name) => `'${name}'`).join(', ')}`
        : 'it takes none';
      throw invalidArgument(`${where}: unknown option '${key}'${suggestion(key, allowed)}; ${known}`);
    }
  }
  return options as { readonly [P in K]?: unknown };
}

/** A boolean option; undefined is false. */
export function booleanOption(value: unknown, name: string, where: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw invalidArgument(`${where}: option '${name}' must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

/** A registry view option: 32 or 64; undefined is `fallback` (the registry's default view, itself maybe undefined). */
export function viewOption(value: unknown, fallback: 32 | 64 | undefined, where: string): 32 | 64 | undefined {
  if (value === undefined) return fallback;
  if (value === 32 || value === 64) return value;
  const shown =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? `'${value}'` : describeValue(value);
  throw invalidArgument(`${where}: option 'view' must be 32 or 64, got ${shown}`);
}

/** The largest delay setTimeout keeps (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
export const maxTimeoutMs = 2 ** 31 - 1;

/** A timeout in milliseconds: a positive integer up to maxTimeoutMs; undefined is `fallback`. */
export function timeoutOption(value: unknown, name: string, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxTimeoutMs) {
    const shown = typeof value === 'number' ? String(value) : describeValue(value);
    throw invalidArgument(
      `${where}: option '${name}' must be a whole number of milliseconds from 1 to ${maxTimeoutMs}, got ${shown}`,
    );
  }
  return value;
}
