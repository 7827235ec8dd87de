// Values in --json output: the forms of the wire protocol (protocol/PROTOCOL.md section 3), which every JSON reader
// takes as they are — strings, string arrays, numbers for DWORDs, QWORDs as decimal strings (a JSON number is exact
// only up to 2^53), and `{"base64": ...}` for bytes (binary types, and data that does not fit its type).
import { valueTypeNames } from '../index';
import type { RegValue } from '../index';

/** A value's type as a code, whether the API named it or gave the number. */
export function typeCode(type: RegValue['type']): number {
  return typeof type === 'number' ? type : (valueTypeNames as readonly string[]).indexOf(type);
}

/** A value as --json prints it. */
export function jsonValue(name: string, value: RegValue): { name: string; type: string | number; data: unknown } {
  const data = value.data;
  const shown =
    data instanceof Uint8Array
      ? { base64: Buffer.from(data).toString('base64') }
      : typeof data === 'bigint'
        ? data.toString()
        : data;
  return { name, type: value.type, data: shown };
}
