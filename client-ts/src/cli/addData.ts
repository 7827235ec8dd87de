// `/t TYPE /d DATA` of `add` to the bytes reg.exe stores, by Wine's rules: strings (REG_NONE too) as UTF-16LE with
// their NUL, DWORDs and QWORDs in decimal or 0x-hex (no sign), REG_BINARY as hex digits (an odd count: the first
// digit is a byte of its own), REG_MULTI_SZ split at `\0` or at the /s character, each string ending in a NUL, then
// one more NUL — and no empty string inside the list, which reg.exe refuses.
import { CliFailure } from './failure';

/** The types `add /t` takes (reg.exe's list, plus the two DWORD aliases Wine's reg accepts), by name. */
const addTypes = new Map<string, number>([
  ['REG_NONE', 0],
  ['REG_SZ', 1],
  ['REG_EXPAND_SZ', 2],
  ['REG_BINARY', 3],
  ['REG_DWORD', 4],
  ['REG_DWORD_LITTLE_ENDIAN', 4],
  ['REG_DWORD_BIG_ENDIAN', 5],
  ['REG_MULTI_SZ', 7],
  ['REG_QWORD', 11],
]);

/** The type code of a /t argument (any case); reg.exe's error for others. */
export function addType(name: string | undefined): number {
  if (name === undefined) return 1;
  const code = addTypes.get(name.toUpperCase());
  if (code === undefined) {
    throw new CliFailure(
      'ERR_INVALID_ARGUMENT',
      `Unsupported registry data type [${name}]`,
      `known types: ${[...addTypes.keys()].join(', ')}`,
    );
  }
  return code;
}

function utf16z(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf16le');
}

function badNumber(data: string, max: bigint): CliFailure {
  return new CliFailure(
    'ERR_INVALID_ARGUMENT',
    'The option [/d] must be followed by a valid numeric value',
    `'${data}' is not a whole number from 0 to ${max} (decimal, or hexadecimal after 0x)`,
  );
}

function parseNumber(data: string, bytes: 4 | 8): bigint {
  const max = bytes === 4 ? 0xffffffffn : 0xffffffffffffffffn;
  if (data === '') return 0n; // reg.exe stores 0 for `/d ""`
  const hex = /^0[xX][0-9a-fA-F]+$/.test(data);
  if (!hex && !/^[0-9]+$/.test(data)) throw badNumber(data, max);
  const value = BigInt(data);
  if (value > max) throw badNumber(data, max);
  return value;
}

function parseHex(data: string): Buffer {
  if (!/^[0-9a-fA-F]*$/.test(data)) {
    throw new CliFailure(
      'ERR_INVALID_ARGUMENT',
      'The option [/d] must be followed by a valid hexadecimal value',
      `'${data}' has characters other than hex digits`,
    );
  }
  return Buffer.from(data.length % 2 === 1 ? `0${data}` : data, 'hex');
}

function parseMulti(data: string, separator: string | undefined): Buffer {
  const items = separator === undefined ? data.split('\\0') : data.split(separator);
  if (data === '') return Buffer.alloc(2); // an empty list: one NUL, as reg.exe stores it
  if (items[items.length - 1] === '') items.pop(); // a separator at the end closes the last string
  if (items.some((item) => item === '')) {
    throw new CliFailure(
      'ERR_INVALID_ARGUMENT',
      'The option [/d] must be followed by a valid string',
      'REG_MULTI_SZ data may not hold an empty string (two separators in a row, or one at the start)',
    );
  }
  return Buffer.from(`${items.join('\0')}\0\0`, 'utf16le');
}

/** The bytes to store for `/d data` (absent: empty) of type `code`. */
export function addBytes(code: number, data: string | undefined, separator: string | undefined): Buffer {
  if ((code === 4 || code === 5) && data === undefined) {
    throw new CliFailure('ERR_INVALID_ARGUMENT', 'Invalid command line parameters', 'a REG_DWORD needs /d');
  }
  const text = data ?? '';
  switch (code) {
    case 4:
    case 5: {
      const out = Buffer.alloc(4);
      out.writeUInt32LE(Number(parseNumber(text, 4))); // little-endian for both, as reg.exe stores them
      return out;
    }
    case 11: {
      const out = Buffer.alloc(8);
      out.writeBigUInt64LE(parseNumber(text, 8));
      return out;
    }
    case 3:
      return parseHex(text);
    case 7:
      return parseMulti(text, separator);
    default:
      return utf16z(text); // REG_SZ, REG_EXPAND_SZ, REG_NONE
  }
}
