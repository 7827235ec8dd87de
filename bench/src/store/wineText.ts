// Wine's registry text, written as wineserver writes it (server/registry.c: dump_value, save_subkeys, dump_path;
// server/unicode.c: dump_strW), following /work/shared/WINE-REGISTRY-FORMAT.md. Escapes are per UTF-16 code unit.

/** A value as stored: a type code and its bytes (strings as UTF-16LE with their terminating NUL). */
export interface StoredValue {
  name: string; // '' is the key's default value
  type: number;
  data: Buffer;
}

const namedEscapes: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e' };

const isHexDigit = (unit: number | undefined) =>
  unit !== undefined && ((unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 70) || (unit >= 97 && unit <= 102));
const isOctalDigit = (unit: number | undefined) => unit !== undefined && unit >= 48 && unit <= 55;

/** dump_strW: `units` escaped for a context whose delimiters are `delimiters` ('"' for values, '[]' for keys). */
export function escapeUnits(units: readonly number[], delimiters: string): string {
  let out = '';
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    const next = units[i + 1];
    if (unit > 127) {
      out += isHexDigit(next) ? `\\x${unit.toString(16).padStart(4, '0')}` : `\\x${unit.toString(16)}`;
    } else if (unit < 32) {
      const named = namedEscapes[unit];
      if (named) out += `\\${named}`;
      else out += isOctalDigit(next) ? `\\${unit.toString(8).padStart(3, '0')}` : `\\${unit.toString(8)}`;
    } else {
      const char = String.fromCharCode(unit);
      out += char === '\\' || delimiters.includes(char) ? `\\${char}` : char;
    }
  }
  return out;
}

function unitsOf(text: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  return units;
}

/** A key name part as written inside `[...]`. */
export function escapeKeyName(name: string): string {
  return escapeUnits(unitsOf(name), '[]');
}

/** REG_SZ bytes of a string: UTF-16LE with its NUL. */
export function sz(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf16le');
}

/** REG_MULTI_SZ bytes of a list: each string with its NUL, then one more NUL. */
export function multiSz(items: readonly string[]): Buffer {
  return Buffer.from(`${items.map((item) => `${item}\0`).join('')}\0`, 'utf16le');
}

/** REG_DWORD bytes. */
export function dword(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

/** REG_QWORD bytes. */
export function qword(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(value);
  return out;
}

const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_BINARY = 3;
const REG_DWORD = 4;
const REG_MULTI_SZ = 7;

/** One value's line(s), without the final newline. */
export function valueText(value: StoredValue): string {
  let head: string;
  if (value.name === '') {
    head = '@=';
  } else {
    head = `"${escapeUnits(unitsOf(value.name), '"')}"=`;
  }
  const { type, data } = value;
  if (type === REG_SZ || type === REG_EXPAND_SZ || type === REG_MULTI_SZ) {
    // String form only for an even length >= 2 that ends in a NUL code unit; its final NUL is not written.
    if (data.length >= 2 && data.length % 2 === 0 && data.readUInt16LE(data.length - 2) === 0) {
      const units: number[] = [];
      for (let i = 0; i + 2 < data.length; i += 2) units.push(data.readUInt16LE(i));
      const prefix = type === REG_SZ ? '' : `str(${type.toString(16)}):`;
      return `${head}${prefix}"${escapeUnits(units, '"')}"`;
    }
  } else if (type === REG_DWORD && data.length === 4) {
    return `${head}dword:${data.readUInt32LE(0).toString(16).padStart(8, '0')}`;
  }
  let out = head + (type === REG_BINARY ? 'hex:' : `hex(${(type >>> 0).toString(16)}):`);
  // dump_value's count: the name part and the prefix, then each byte and comma; wrap once it passes 76.
  let count = out.length;
  for (let i = 0; i < data.length; i++) {
    out += data[i].toString(16).padStart(2, '0');
    count += 2;
    if (i < data.length - 1) {
      out += ',';
      if (++count > 76) {
        out += '\\\n  ';
        count = 2;
      }
    }
  }
  return out;
}

const ticksPerSecond = 10_000_000n;
const secondsFrom1601To1970 = 11_644_473_600n;

/** A key's header lines: `[path] <unix seconds>` and `#time=<FILETIME>`, from a FILETIME. */
export function keyHeader(escapedPath: string, filetime: bigint): string {
  const seconds = filetime / ticksPerSecond - secondsFrom1601To1970;
  const high = Number(filetime >> 32n).toString(16);
  const low = Number(filetime & 0xffffffffn)
    .toString(16)
    .padStart(8, '0');
  return `[${escapedPath}] ${seconds}\n#time=${high}${low}`;
}

/** A FILETIME from Unix seconds plus sub-second ticks. */
export function filetime(unixSeconds: number, ticks: number): bigint {
  return (BigInt(unixSeconds) + secondsFrom1601To1970) * ticksPerSecond + BigInt(ticks);
}
