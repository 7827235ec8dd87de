// Shared pieces of the property tests (23.property.*): how many runs, how to replay a failure, and the generators of
// strings, key paths and values they draw from.
import * as fc from 'fast-check';

import type { RegValueInput } from 'regbridge';

/** Runs per property: $REGBRIDGE_PROPERTY_RUNS, else 200 (quick enough for every `npm test`). */
export const numRuns = positiveEnv('REGBRIDGE_PROPERTY_RUNS') ?? 200;

/** A share of numRuns, for the properties whose runs cost more (opening registries, helper processes). */
export function fewerRuns(divisor: number): number {
  return Math.max(10, Math.ceil(numRuns / divisor));
}

/**
 * fast-check's settings: the run count, and the seed and path to replay a failure ($REGBRIDGE_PROPERTY_SEED and
 * $REGBRIDGE_PROPERTY_PATH, both printed by a failing property). A run that does not settle within `timeout` ms
 * fails with its input, rather than the whole test timing out without one.
 */
export function settings<T = unknown>(runs: number = numRuns): fc.Parameters<T> {
  const seed = process.env.REGBRIDGE_PROPERTY_SEED;
  const path = process.env.REGBRIDGE_PROPERTY_PATH;
  return {
    numRuns: runs,
    timeout: 60_000,
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
    ...(path !== undefined && path !== '' ? { path } : {}),
  };
}

function positiveEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`$${name} must be a positive whole number, got '${text}'`);
  return value;
}

// ---- strings -------------------------------------------------------------------------------------------------

/** One character of the strings below: mostly plain, often one that needs escaping somewhere, any code point. */
function unit(options: { nul: boolean; backslash: boolean }): fc.Arbitrary<string> {
  const special = ['"', '[', ']', '=', '@', '%', '/', ' ', '\t', '\n', '\r', ',', ':', ';', '#', 'é', 'ß', 'İ', 'ſ'];
  if (options.nul) special.push('\u0000');
  if (options.backslash) special.push('\\');
  const units: Array<fc.WeightedArbitrary<string>> = [
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
    { weight: 3, arbitrary: fc.constantFrom(...special) },
    // Any code point: BMP ones and astral ones (a surrogate pair in JS).
    {
      weight: 3,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => options.nul || c !== '\u0000'),
    },
  ];
  // Lone UTF-16 surrogates (not in a pair): JS strings may hold them, and the registry (UTF-16 on Windows, `\xd800`
  // escapes in Wine's files) keeps them exactly, so every property expects them back like any other character.
  units.push({ weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) });
  return fc.oneof(...units);
}

/** Text as string data: any character, NUL included. */
export function dataString(maxLength = 64): fc.Arbitrary<string> {
  return fc.string({ unit: unit({ nul: true, backslash: true }), maxLength });
}

/** A value name: any character but NUL ('' is the default value). */
export function valueName(maxLength = 24): fc.Arbitrary<string> {
  return fc.string({ unit: unit({ nul: false, backslash: true }), maxLength });
}

/** A key name: one path segment, never empty, without backslashes or NULs. */
export function keyName(minLength = 1, maxLength = 16): fc.Arbitrary<string> {
  return fc.string({ unit: unit({ nul: false, backslash: false }), minLength, maxLength });
}

// ---- key paths -----------------------------------------------------------------------------------------------

/** Every spelling of every hive the API accepts. */
export const hiveSpellings = [
  'HKEY_LOCAL_MACHINE',
  'HKLM',
  'HKEY_CURRENT_USER',
  'HKCU',
  'HKEY_CLASSES_ROOT',
  'HKCR',
  'HKEY_USERS',
  'HKU',
  'HKEY_CURRENT_CONFIG',
  'HKCC',
] as const;

/** `text` with each ASCII letter's case flipped where `flips` says so. */
function withCase(text: string, flips: boolean[]): string {
  return [...text].map((c, i) => (flips[i % flips.length] ? c.toLowerCase() : c)).join('');
}

/** The user hives under HKEY_USERS: the default user's, and the prefix's one user (Wine's SID for it). */
export const userHives = ['.Default', 'S-1-5-21-0-0-0-1000'] as const;

/** A hive name in any ASCII case, or one of the user hives under HKEY_USERS; sometimes not a hive at all. */
export const hivePrefix: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...hiveSpellings), fc.array(fc.boolean(), { minLength: 1 }))
      .map(([h, f]) => withCase(h, f)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('HKU', 'HKEY_USERS'),
        fc.constantFrom(...userHives),
        fc.array(fc.boolean(), { minLength: 1 }),
      )
      .map(([h, u, f]) => withCase(`${h}\\${u}`, f)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'HKXX', 'HKEY_CURRENT_USERS', 'HKCU ', ' HKCU', 'HK', 'Software', 'HKEY_USERſ'),
  },
  { weight: 1, arbitrary: keyName(0, 20) },
);

/** The segments a generated path is made of; `\` inside a segment makes empty or extra parts on purpose. */
const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: keyName(1, 12) },
  { weight: 1, arbitrary: fc.constantFrom('', '\\', '.', '..', '/', '//', 'a/b', '\u0000', 'nul\u0000in') },
  // Around the 255-unit limit of a key name: plain, and ending in an astral character (two units).
  { weight: 1, arbitrary: fc.integer({ min: 252, max: 258 }).map((n) => 'k'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 251, max: 255 }).map((n) => `${'k'.repeat(n)}😀`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 260 }), keyName(1, 1)).map(([n, c]) => c.repeat(n)) },
);

/** A path of a few segments, or one near the 512-level limit. */
export const keyPath: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.tuple(hivePrefix, fc.array(segment, { maxLength: 6 })).map(([h, s]) => [h, ...s].join('\\')),
  },
  // "HKCU\" (the hive itself), and a single trailing backslash after a longer path (an error).
  {
    weight: 1,
    arbitrary: fc.tuple(hivePrefix, fc.array(segment, { maxLength: 3 })).map(([h, s]) => `${[h, ...s].join('\\')}\\`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hivePrefix, fc.integer({ min: 508, max: 515 }), fc.constantFrom('k', 'K', 'é', '😀'))
      .map(([h, depth, c]) => h + `\\${c}`.repeat(depth)),
  },
);

/**
 * Why KeyPath::parse refuses `path`, or undefined when it accepts it: the rules of the API reference, written again
 * in JS so that the property checks the code against them.
 */
export function whyInvalid(path: string): string | undefined {
  if (path === '') return 'empty';
  if (path.includes('\u0000')) return 'NUL';
  const slash = path.indexOf('\\');
  const hive = slash < 0 ? path : path.slice(0, slash);
  // Hive names compare case-insensitively in ASCII only ('ſ' is no 's' here, whatever toUpperCase says).
  if (!(hiveSpellings as readonly string[]).includes(asciiUpper(hive))) return 'unknown hive';
  if (slash < 0) return undefined;
  const rest = path.slice(slash + 1);
  if (rest === '') return undefined; // "HKCU\" is the hive itself
  const parts = rest.split('\\');
  if (parts.some((part) => part === '')) return 'empty key name';
  if (parts.some((part) => part.length > 255)) return 'key name too long'; // UTF-16 units, as JS counts
  if (parts.length > 512) return 'too deep';
  return undefined;
}

/** A path whyInvalid accepts, split: its hive as written and its key names ("HKCU\\" has none). */
export function splitPath(path: string): { hive: string; parts: string[] } {
  const slash = path.indexOf('\\');
  if (slash < 0) return { hive: path, parts: [] };
  const rest = path.slice(slash + 1);
  return { hive: path.slice(0, slash), parts: rest === '' ? [] : rest.split('\\') };
}

/** `text` with its ASCII letters upper-cased: the same key to the store, whatever else it holds. */
export function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32));
}

// ---- values --------------------------------------------------------------------------------------------------

/** A value of any type as written, and as it must read back. */
export interface ValueCase {
  readonly input: RegValueInput;
  readonly expected: { type: string | number; data: unknown };
}

const same = (input: RegValueInput): ValueCase => ({ input, expected: input as ValueCase['expected'] });

/** The binary-data types (named), and type codes beyond the named ones (given as numbers). */
const binaryNames = [
  'REG_NONE',
  'REG_BINARY',
  'REG_LINK',
  'REG_RESOURCE_LIST',
  'REG_FULL_RESOURCE_DESCRIPTOR',
  'REG_RESOURCE_REQUIREMENTS_LIST',
] as const;

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));

/** A value of every type, with the data each type takes; `big` allows long strings and byte arrays. */
export function valueCase(big = false): fc.Arbitrary<ValueCase> {
  const textMax = big ? 4096 : 64;
  // Strings weigh most: their escaping, in memory, on the wire and in the file, is where most can go wrong.
  const strings = fc.tuple(fc.constantFrom('REG_SZ' as const, 'REG_EXPAND_SZ' as const), dataString(textMax));
  // Without empty items: Windows' readers stop at the first empty string of a REG_MULTI_SZ.
  const item = fc.string({ unit: unit({ nul: false, backslash: true }), minLength: 1, maxLength: 16 });
  const dwords = fc.tuple(
    fc.constantFrom('REG_DWORD' as const, 'REG_DWORD_BIG_ENDIAN' as const),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  );
  const qwords = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const binaries = fc.tuple(fc.constantFrom(...binaryNames), bytes(big ? 8192 : 64));
  // Codes past REG_QWORD (11) read back as the number; codes 0..11 given as numbers read back by name.
  const otherCodes = fc.tuple(fc.integer({ min: 12, max: 2 ** 32 - 1 }), bytes(64));
  return fc.oneof(
    { weight: 4, arbitrary: strings.map(([type, data]) => same({ type, data })) },
    {
      weight: 3,
      arbitrary: fc.array(item, { maxLength: big ? 64 : 8 }).map((data) => same({ type: 'REG_MULTI_SZ', data })),
    },
    { weight: 1, arbitrary: dwords.map(([type, data]) => same({ type, data })) },
    { weight: 1, arbitrary: qwords.map((data) => same({ type: 'REG_QWORD', data })) },
    { weight: 1, arbitrary: binaries.map(([type, data]) => same({ type, data })) },
    { weight: 1, arbitrary: otherCodes.map(([type, data]) => same({ type, data })) },
  );
}
