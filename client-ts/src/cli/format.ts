// Values as Wine's `reg query` prints them, byte for byte: `    NAME    TYPE    DATA` lines, the type names Wine's
// reg knows (any other type prints as "(null)", data and all, as Wine's does), REG_BINARY and REG_NONE as
// uppercase hex, DWORDs as 0x…, REG_MULTI_SZ with its strings joined by `\0`. The data comes as the stored bytes,
// so that what is printed never depends on how the client would decode it.

/** The type names Wine's reg prints, by type code; codes not here print as "(null)". */
const wineTypeNames = new Map<number, string>([
  [0, 'REG_NONE'],
  [1, 'REG_SZ'],
  [2, 'REG_EXPAND_SZ'],
  [3, 'REG_BINARY'],
  [4, 'REG_DWORD'],
  [5, 'REG_DWORD_BIG_ENDIAN'],
  [7, 'REG_MULTI_SZ'],
  [11, 'REG_QWORD'],
]);

const unnamed = '(null)';

/** The type name of a code as Wine's reg prints it. */
export function wineTypeName(code: number): string {
  return wineTypeNames.get(code) ?? unnamed;
}

/** UTF-16LE code units of `bytes`, an odd last byte taken as a unit of its own (as Wine's reader sees it). */
function codeUnits(bytes: Uint8Array, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String.fromCharCode(bytes[2 * i] | ((bytes[2 * i + 1] ?? 0) << 8));
  return text;
}

/** The data column of a value: what Wine's reg prints for these bytes of this type. */
export function wineData(code: number, bytes: Uint8Array): string {
  switch (code) {
    case 1: // REG_SZ
    case 2: {
      // REG_EXPAND_SZ: up to the first NUL
      const text = codeUnits(bytes, Math.ceil(bytes.length / 2));
      const nul = text.indexOf('\0');
      return nul < 0 ? text : text.slice(0, nul);
    }
    case 0: // REG_NONE
    case 3: // REG_BINARY
      return Buffer.from(bytes).toString('hex').toUpperCase();
    case 4: // REG_DWORD
    case 5: {
      // REG_DWORD_BIG_ENDIAN: Wine's reg reads both as a little-endian DWORD; missing bytes count as 0.
      const value = (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) * 2 ** 24);
      return `0x${(value >>> 0).toString(16)}`;
    }
    case 7: {
      // REG_MULTI_SZ: everything but the last two code units (the two NULs that end a well-formed list), NULs as \0.
      if (bytes.length <= 4) return '';
      return codeUnits(bytes, Math.floor((bytes.length - 4) / 2)).replaceAll('\0', '\\0');
    }
    default:
      return unnamed;
  }
}

/** One value line (no line end): four spaces, name or (Default), type, data, separated by four spaces each. */
export function valueLine(name: string, code: number, bytes: Uint8Array | undefined): string {
  const shownName = name === '' ? '(Default)' : name;
  const data = bytes === undefined ? '(value not set)' : wineData(code, bytes);
  return `    ${shownName}    ${wineTypeName(code)}    ${data}`;
}
