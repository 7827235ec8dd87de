// The wire's results -> exactly what the in-process mode returns (PROTOCOL.md sections 5.3 and 5.4): bytes
// ({"base64": ...}) as Buffers, REG_QWORD decimal strings as bigints, times as Dates, `null` as undefined. Objects
// are fixed in place: JSON.parse has just made them and nobody else holds them.
import type { Method, Methods } from '../Transport';

type Wire = Record<string, unknown>;

/** Thrown for an answer that does not have the protocol's shape. */
export class MalformedResult extends Error {}

function decodeValue(value: Wire): void {
  const data = value.data;
  if (typeof data === 'string') {
    if (value.type === 'REG_QWORD') value.data = BigInt(data);
  } else if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const base64 = (data as Wire).base64;
    if (typeof base64 !== 'string') throw new MalformedResult('bytes without a base64 string');
    value.data = Buffer.from(base64, 'base64');
  }
}

function object(result: unknown): Wire {
  if (result === null || typeof result !== 'object')
    throw new MalformedResult(`expected an object, got ${typeof result}`);
  return result as Wire;
}

function array(result: unknown): Wire[] {
  if (!Array.isArray(result)) throw new MalformedResult(`expected an array, got ${typeof result}`);
  return result as Wire[];
}

const asIs = (result: unknown) => result;
const nothing = () => undefined;

/** One decoder per method: the `result` member of its answer -> the value the call resolves with. */
export const decodeResult: { readonly [M in Method]: (result: unknown) => Methods[M]['result'] } = {
  readStringValue: asIs as (result: unknown) => string,
  readValue(result) {
    const value = object(result);
    decodeValue(value);
    return value as unknown as Methods['readValue']['result'];
  },
  listValues(result) {
    const values = array(result);
    for (const value of values) decodeValue(object(value));
    return values as unknown as Methods['listValues']['result'];
  },
  listSubkeys: asIs as (result: unknown) => string[],
  keyExists: asIs as (result: unknown) => boolean,
  getKeyInfo(result) {
    const info = object(result);
    info.lastWriteTime = new Date(info.lastWriteTime as string);
    return info as unknown as Methods['getKeyInfo']['result'];
  },
  writeValue: nothing,
  compareAndSetValue: nothing,
  deleteValue: nothing,
  createKey: nothing,
  deleteKey: nothing,
  flush: nothing,
  exportKey: asIs as (result: unknown) => string,
  importRegFile: nothing,
};
