// The wire's results -> exactly what the in-process mode returns (PROTOCOL.md sections 5.3 and 5.4), by the result
// shape of the generated spec: bytes ({"base64": ...}) as Buffers, REG_QWORD decimal strings as bigints, times as
// Dates, `null` as undefined. Objects are fixed in place: JSON.parse has just made them and nobody else holds them.
import type { ResultShape } from '../../operationSpec';

type Wire = Record<string, unknown>;

/** Thrown for an answer that does not have the protocol's shape. */
export class MalformedResult extends Error {}

function object(result: unknown): Wire {
  if (result === null || typeof result !== 'object') {
    throw new MalformedResult(`expected an object, got ${typeof result}`);
  }
  return result as Wire;
}

function decodeValue(result: unknown): unknown {
  const value = object(result);
  const data = value.data;
  if (typeof data === 'string') {
    if (value.type === 'REG_QWORD') value.data = BigInt(data);
  } else if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const base64 = (data as Wire).base64;
    if (typeof base64 !== 'string') throw new MalformedResult('bytes without a base64 string');
    value.data = Buffer.from(base64, 'base64');
  }
  return value;
}

function decodeDate(result: unknown): Date {
  if (typeof result !== 'string') throw new MalformedResult(`expected a time string, got ${typeof result}`);
  return new Date(result);
}

const asIs = (result: unknown) => result;
const nothing = () => undefined;

/** The decoder of one result shape: the `result` member of an answer -> what the call resolves with. */
export function resultDecoder(shape: ResultShape): (result: unknown) => unknown {
  if (shape === 'plain') return asIs;
  if (shape === 'none') return nothing;
  if (shape === 'value') return decodeValue;
  if (shape === 'date') return decodeDate;
  if ('array' in shape) {
    const element = resultDecoder(shape.array);
    return (result) => {
      if (!Array.isArray(result)) throw new MalformedResult(`expected an array, got ${typeof result}`);
      for (let i = 0; i < result.length; i++) result[i] = element(result[i]);
      return result;
    };
  }
  const members = Object.entries(shape.object).map(([name, member]) => [name, resultDecoder(member)] as const);
  return (result) => {
    const value = object(result);
    for (const [name, decode] of members) {
      if (value[name] !== undefined && value[name] !== null) value[name] = decode(value[name]);
    }
    return value;
  };
}
