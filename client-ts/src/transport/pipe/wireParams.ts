// A call's params (checked already, arguments.ts) -> the wire's params object as JSON text (PROTOCOL.md sections 5.1
// and 5.3), by the kinds of the generated spec. Written by hand rather than by JSON.stringify for one reason: a
// bigint goes on the wire as an exact JSON integer, as the addon hands it to the core, so that the core decides
// about it in both modes (JSON.stringify refuses bigints).
import type { CheckedValue, ValueData } from '../../arguments';
import type { OperationSpec } from '../../operationSpec';

function dataJson(data: ValueData): string {
  if (typeof data === 'bigint') return data.toString();
  if (typeof data === 'object' && !Array.isArray(data)) {
    // A Uint8Array or a Uint8ClampedArray (arguments.ts let nothing else through)
    const bytes = data as Uint8Array;
    return `{"base64":"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"}`;
  }
  // As they are, lone surrogates included: JSON.stringify writes them as `\ud800` escapes, which the helper keeps.
  return JSON.stringify(data);
}

function valueJson(value: CheckedValue): string {
  return `{"type":${JSON.stringify(value.type)},"data":${dataJson(value.data)}}`;
}

/** Writes the params of one operation; `params` are in the order of the spec's field list. */
export function paramsWriter(spec: OperationSpec): (params: readonly unknown[]) => string {
  // `"name":` of each member, made once; the text is built by concatenation (no array and join per call).
  const heads = spec.params.map((param) => `${JSON.stringify(param.name)}:`);
  const kinds = spec.params.map((param) => param.kind);
  return (params) => {
    let out = '{';
    for (let i = 0; i < kinds.length; i++) {
      const param = params[i];
      let member: string;
      switch (kinds[i]) {
        case 'string':
        case 'boolean':
          member = JSON.stringify(param);
          break;
        case 'view':
          if (param === undefined) continue; // left out: the default view
          member = JSON.stringify(param);
          break;
        case 'value':
        case 'nullableValue':
          member = param === null ? 'null' : valueJson(param as CheckedValue);
          break;
        default:
          continue;
      }
      out += out.length === 1 ? heads[i] + member : `,${heads[i]}${member}`;
    }
    return `${out}}`;
  };
}
