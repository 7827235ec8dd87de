// JS arguments -> the wire's params object (PROTOCOL.md sections 5.1 and 5.3), checked as the addon checks them.
//
// Both modes must fail identically, but the server only sees JSON: it cannot tell a bigint from a number, a
// Uint16Array from an object, nor a string from a decimal QWORD. So every check the addon makes on JS types happens
// here first, with addon/Marshal.cpp's messages word for word (argumentLabel, describeJs, formatNumber, dataFromJs,
// typeFromJs), in the addon's order: arguments left to right; `type` and `data` read (getters run) before either is
// checked. What is left for the server is what the core decides (registry/ValueCodec.cpp: does the data's kind fit
// the type), with two exceptions the wire cannot carry, made here with the core's words:
//   - a string for REG_QWORD (on the wire a string is a decimal QWORD);
//   - a bigint for another type (on the wire only REG_QWORD data is a 64-bit unsigned integer).
// Those two are reported before the server would look at the key path, so a call that is wrong in both ways names the
// data in pipe mode and the path in-process; nothing else differs.
import { types } from 'node:util';

import { RegistryError } from '../../errors';
import { valueTypeNames } from '../../values';
import { paramNames } from '../Transport';
import type { Method, Methods } from '../Transport';

/** What a JS value is, for messages: addon/Marshal.cpp's describeJs. */
export function describeJs(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'symbol':
      return 'a symbol';
    case 'bigint':
      return 'a bigint';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      // util.types: true for values of other realms too (vm contexts), as napi_is_typedarray is.
      if (types.isTypedArray(value)) return 'a typed array other than Uint8Array';
      if (types.isArrayBuffer(value)) return 'an ArrayBuffer';
      return 'an object';
  }
}

/**
 * A number as C++'s std::to_chars writes it (Marshal.cpp's formatNumber): the shortest round-trip digits, in fixed
 * or scientific notation, whichever is shorter (fixed on a tie), the exponent with at least two digits.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const scientific = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${String(
    Math.abs(exponent),
  ).padStart(2, '0')}`;
  let fixed: string;
  if (exponent < 0) fixed = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  // An integer in fixed notation is printed exactly, as printf's %f does: 1.2345678901234568e+20 is 123456789012345683968.
  else if (digits.length <= exponent + 1) fixed = BigInt(Math.abs(value)).toString();
  else fixed = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return sign + (fixed.length <= scientific.length ? fixed : scientific);
}

const typeCodes = new Map<string, number>(valueTypeNames.map((name, code) => [name, code]));
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_DWORD = 4;
const REG_DWORD_BIG_ENDIAN = 5;
const REG_MULTI_SZ = 7;
const REG_QWORD = 11;
const maxUint64 = 2n ** 64n - 1n;

/** One argument's place, for messages: "writeValue: argument 3 'value'". */
function label(method: Method, index: number): string {
  return `${method}: argument ${index + 1} '${paramNames[method][index]}'`;
}

function invalid(message: string, key?: string, valueName?: string): RegistryError {
  return new RegistryError('ERR_INVALID_ARGUMENT', message, { key, valueName });
}

function stringParam(value: unknown, method: Method, index: number): string {
  if (typeof value !== 'string') throw invalid(`${label(method, index)} must be a string, got ${describeJs(value)}`);
  // As it is, lone surrogates included: JSON.stringify writes them as `\ud800` escapes, which the helper keeps.
  return value;
}

function booleanParam(value: unknown, method: Method, index: number): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined) return false;
  throw invalid(`${label(method, index)} must be a boolean or undefined, got ${describeJs(value)}`);
}

/** The registry view: 32 or 64, or left out (undefined) for the registry's default. */
function viewParam(value: unknown, method: Method, index: number): 32 | 64 | undefined {
  if (value === undefined || value === 32 || value === 64) return value;
  const shown = typeof value === 'number' ? formatNumber(value) : describeJs(value);
  throw invalid(`${label(method, index)} must be 32, 64 or undefined, got ${shown}`);
}

function typeCode(type: unknown, where: string): number {
  if (typeof type === 'string') {
    const code = typeCodes.get(type);
    if (code !== undefined) return code;
    throw invalid(
      `${where}: unknown value type '${type}'; use a name from REG_NONE to REG_QWORD or a number from 0 to 4294967295`,
    );
  }
  if (typeof type === 'number') {
    if (Number.isInteger(type) && type >= 0 && type <= 0xffffffff) return type;
    throw invalid(`${where}: type must be an integer from 0 to 4294967295, got ${formatNumber(type)}`);
  }
  throw invalid(`${where}: type must be a type name such as 'REG_SZ' or a number, got ${describeJs(type)}`);
}

/** The data's JSON form, or an error with the addon's message (dataFromJs). */
function dataToWire(data: unknown, where: string): string | string[] | number | bigint | { base64: string } {
  const fail = (why: string) => invalid(`${where}: data ${why}`);
  switch (typeof data) {
    case 'string':
      return data;
    case 'number':
      if (Math.trunc(data) !== data || Math.abs(data) > Number.MAX_SAFE_INTEGER) {
        throw fail(
          `must be a safe integer when it is a number, got ${formatNumber(data)}; use a bigint for large REG_QWORD data`,
        );
      }
      return data === 0 ? 0 : data; // -0 is 0 to the addon's int64 and would be written "0" anyway
    case 'bigint':
      if (data < 0n || data > maxUint64) throw fail('must be a bigint from 0n to 2n ** 64n - 1n');
      return data;
    case 'object':
      if (Array.isArray(data)) {
        const strings: string[] = new Array(data.length);
        for (let i = 0; i < data.length; i++) {
          const element: unknown = data[i];
          if (typeof element !== 'string') {
            throw fail(`must be an array of strings only; element ${i} is ${describeJs(element)}`);
          }
          strings[i] = element;
        }
        return strings;
      }
      if (types.isUint8Array(data) || types.isUint8ClampedArray(data)) {
        const bytes = data as Uint8Array;
        return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
      }
      break;
  }
  throw fail(`must be a string, an array of strings, a number, a bigint or a Buffer, got ${describeJs(data)}`);
}

/** registry/ValueCodec.cpp's describeType: the name, or "type 0x1234". */
function describeType(code: number): string {
  return valueTypeNames[code] ?? `type 0x${code.toString(16)}`;
}

/** A value argument as the addon reads it (regValueFromJs): its type code and its data's JSON form. */
interface CheckedValue {
  code: number;
  wire: ReturnType<typeof dataToWire>;
}

/** The addon's checks of a value argument's shape, type and data; `shape` is what the argument must be. */
function valueShape(value: unknown, method: Method, index: number, shape: string): CheckedValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${label(method, index)} must be ${shape}, got ${describeJs(value)}`);
  }
  const where = label(method, index);
  const { type, data } = value as { type: unknown; data: unknown }; // both getters run before either is checked
  const code = typeCode(type, where);
  return { code, wire: dataToWire(data, where) };
}

/**
 * The value's wire form: `{ type, data }` with QWORDs as decimal strings; the two core checks the wire cannot carry,
 * worded as registry/ValueCodec.cpp's badData words them for a value written or expected.
 */
function valueToWire(value: CheckedValue, key: string, name: string, expected: boolean): object {
  const { code, wire } = value;
  const badData = (what: string) =>
    invalid(
      expected
        ? `cannot compare value '${name}' of key '${key}' with the expected one: ${what}`
        : `cannot write value '${name}' of key '${key}': ${what}`,
      key,
      name,
    );
  if (code === REG_QWORD) {
    if (typeof wire === 'string') throw badData('data for REG_QWORD must be a bigint, a number or a Buffer');
    if (typeof wire === 'bigint') return { type: 'REG_QWORD', data: wire.toString() };
  } else if (typeof wire === 'bigint') {
    const typeText = describeType(code);
    if (code === REG_DWORD || code === REG_DWORD_BIG_ENDIAN) {
      if (wire > 0xffffffffn) throw badData(`data for ${typeText} must be from 0 to 4294967295, not ${wire}`);
      return { type: typeText, data: Number(wire) };
    }
    if (code === REG_SZ || code === REG_EXPAND_SZ) throw badData(`data for ${typeText} must be a string or a Buffer`);
    if (code === REG_MULTI_SZ) throw badData('data for REG_MULTI_SZ must be an array of strings or a Buffer');
    throw badData(`data for ${typeText} must be a Buffer`);
  }
  return { type: valueTypeNames[code] ?? code, data: wire };
}

/**
 * The params object of `method` from its positional arguments; throws the addon's ERR_INVALID_ARGUMENT errors. As in
 * the addon, every argument is read and checked (left to right) before the data of values is held against their
 * types (the core's checks, in argument order: `expected` before `value`).
 */
export function encodeParams<M extends Method>(method: M, args: Methods[M]['params']): Record<string, unknown> {
  const names = paramNames[method];
  const params: Record<string, unknown> = {};
  const values = args as readonly unknown[];
  let expected: CheckedValue | null | undefined;
  let value: CheckedValue | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name === 'key' || name === 'name' || name === 'text') params[name] = stringParam(values[i], method, i);
    else if (name === 'value') value = valueShape(values[i], method, i, 'an object { type, data }');
    else if (name === 'expected')
      expected = values[i] === null ? null : valueShape(values[i], method, i, 'an object { type, data } or null');
    else if (name === 'view') {
      const view = viewParam(values[i], method, i);
      if (view !== undefined) params.view = view; // left out: the helper's default view
    } else params[name] = booleanParam(values[i], method, i);
  }
  const key = params.key as string;
  const valueName = params.name as string;
  if (expected !== undefined) params.expected = expected && valueToWire(expected, key, valueName, true);
  if (value !== undefined) params.value = valueToWire(value, key, valueName, false);
  return params;
}
