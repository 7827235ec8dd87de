// The checks of a call's arguments, written once for both transports, from the kinds the handler table gives each
// param (operationSpec.ts). They run before a call reaches the addon or the wire, so both modes fail with the same
// codes and words. What they check is what JavaScript can get wrong and JSON cannot carry: the types of arguments, a
// value's `{ type, data }` shape, a type name, and data that is no string, array of strings, safe integer, bigint of
// 64 bits or bytes. Whether the data fits the value's type, and every rule about keys and names, belongs to the core
// (registry/), which both transports reach.
import { types } from 'node:util';

import { RegistryError } from './errors';
import { booleanOption, optionsObject, viewOption } from './options';
import { isOption } from './operationSpec';
import type { OperationSpec, ParamSpec } from './operationSpec';
import type { RegistryView } from './types';
import { valueTypeNames } from './values';

/** What a JS value is, for messages: typeof, with null, arrays and typed arrays told apart. */
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
      // util.types: true for values of other realms too (vm contexts).
      if (types.isTypedArray(value)) return 'a typed array other than Uint8Array';
      if (types.isArrayBuffer(value)) return 'an ArrayBuffer';
      return 'an object';
  }
}

function invalid(message: string): RegistryError {
  return new RegistryError('ERR_INVALID_ARGUMENT', message);
}

/** "writeValue: argument 3 'value'" */
function label(method: string, position: number, name: string): string {
  return `${method}: argument ${position} '${name}'`;
}

/** A string argument, as it is (lone surrogates included). */
export function checkString(value: unknown, method: string, position: number, name: string): string {
  if (typeof value !== 'string') {
    throw invalid(`${label(method, position, name)} must be a string, got ${describeJs(value)}`);
  }
  return value;
}

const typeCodes = new Map<string, number>(valueTypeNames.map((typeName, code) => [typeName, code]));
const maxUint64 = 2n ** 64n - 1n;

/** A value's data as both transports take it. */
export type ValueData = string | readonly string[] | number | bigint | Uint8Array;

/** A value argument once checked: read once (getters run once), so both transports see the same thing. */
export interface CheckedValue {
  readonly type: string | number;
  readonly data: ValueData;
}

function checkType(type: unknown, where: string): string | number {
  if (typeof type === 'string') {
    if (typeCodes.has(type)) return type;
    throw invalid(
      `${where}: unknown value type '${type}'; use a name from REG_NONE to REG_QWORD or a number from 0 to 4294967295`,
    );
  }
  if (typeof type === 'number') {
    if (Number.isInteger(type) && type >= 0 && type <= 0xffffffff) return type;
    throw invalid(`${where}: type must be an integer from 0 to 4294967295, got ${String(type)}`);
  }
  throw invalid(`${where}: type must be a type name such as 'REG_SZ' or a number, got ${describeJs(type)}`);
}

function checkData(data: unknown, where: string): ValueData {
  const fail = (why: string) => invalid(`${where}: data ${why}`);
  switch (typeof data) {
    case 'string':
      return data;
    case 'number':
      if (!Number.isSafeInteger(data)) {
        throw fail(
          `must be a safe integer when it is a number, got ${String(data)}; use a bigint for large REG_QWORD data`,
        );
      }
      return data === 0 ? 0 : data; // -0 is 0
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
      if (types.isUint8Array(data) || types.isUint8ClampedArray(data)) return data as Uint8Array;
      break;
  }
  throw fail(`must be a string, an array of strings, a number, a bigint or a Buffer, got ${describeJs(data)}`);
}

/** A value argument `{ type, data }`; with `nullable`, null too. */
export function checkValue(
  value: unknown,
  method: string,
  position: number,
  name: string,
  nullable: boolean,
): CheckedValue | null {
  if (value === null && nullable) return null;
  const where = label(method, position, name);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const shape = nullable ? 'an object { type, data } or null' : 'an object { type, data }';
    throw invalid(`${where} must be ${shape}, got ${describeJs(value)}`);
  }
  const { type, data } = value as { type: unknown; data: unknown }; // both getters run before either is checked
  return { type: checkType(type, where), data: checkData(data, where) };
}

function checkPositional(value: unknown, param: ParamSpec, method: string, position: number): unknown {
  switch (param.kind) {
    case 'string':
      return checkString(value, method, position, param.name);
    case 'value':
      return checkValue(value, method, position, param.name, false);
    case 'nullableValue':
      return checkValue(value, method, position, param.name, true);
    default:
      throw new Error(`${method}: param '${param.name}' of kind '${param.kind}' is not positional`);
  }
}

/**
 * Reads a call's arguments — positional ones in order, then the options object — into the transport's params, in the
 * order of the C++ field list. `view` is the registry's default view, used when the call gives none.
 */
export type ArgumentReader = (args: readonly unknown[], view: RegistryView | undefined) => unknown[];

/** The ArgumentReader of one operation. */
export function argumentReader(method: string, spec: OperationSpec): ArgumentReader {
  const positional = spec.params.filter((param) => !isOption(param.kind));
  const options = spec.params.filter((param) => isOption(param.kind));
  const optionNames = options.map((param) => param.name);
  const positionalAt = positional.map((param) => spec.params.indexOf(param));
  const optionAt = options.map((param) => spec.params.indexOf(param));
  return (args, view) => {
    const params: unknown[] = new Array(spec.params.length);
    for (let i = 0; i < positional.length; i++) {
      params[positionalAt[i]] = checkPositional(args[i], positional[i], method, i + 1);
    }
    if (options.length === 0) return params;
    const given = optionsObject(args[positional.length], optionNames, method);
    for (let i = 0; i < options.length; i++) {
      const { name, kind } = options[i];
      params[optionAt[i]] =
        kind === 'view' ? viewOption(given[name], view, method) : booleanOption(given[name], name, method);
    }
    return params;
  };
}
