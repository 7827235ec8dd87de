// The shape of the generated spec of the handler table (generated/operations.ts): what the client needs to know of
// each operation to check its arguments, pass them to a transport and turn the wire's answer into what the addon
// returns. The generator (tools/ts-spec/) maps the C++ types onto these kinds.

/**
 * A param's kind. Strings and values are positional arguments; booleans and the view are options.
 *   string         a JS string
 *   value          `{ type, data }` (RegValueInput)
 *   nullableValue  `{ type, data }` or null
 *   boolean        an option, true or false (left out: false)
 *   view           the option `view`, 32 or 64 (left out: the registry's default)
 */
export type ParamKind = 'string' | 'value' | 'nullableValue' | 'boolean' | 'view';

/** Whether a param of this kind is an option (in the options object) rather than a positional argument. */
export function isOption(kind: ParamKind): boolean {
  return kind === 'boolean' || kind === 'view';
}

/**
 * How a result travels on the wire compared with what the addon returns:
 *   plain   the same (strings, booleans, numbers, arrays of strings)
 *   none    nothing: null on the wire, undefined to the caller
 *   value   a value's data: `{ base64 }` is a Buffer, a REG_QWORD's decimal string a bigint
 *   date    an ISO 8601 string, a Date to the caller
 *   array / object   the same rule for each element or for the named members
 */
export type ResultShape =
  | 'plain'
  | 'none'
  | 'value'
  | 'date'
  | { readonly array: ResultShape }
  | { readonly object: { readonly [member: string]: ResultShape } };

/** One param: its wire name (the C++ field name) and its kind. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
}

/** One operation of the handler table. */
export interface OperationSpec {
  readonly params: readonly ParamSpec[];
  readonly result: ResultShape;
  /** It may write to disk. */
  readonly mutates: boolean;
}
