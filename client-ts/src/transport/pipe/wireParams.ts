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
  const names = spec.params.map((param) => JSON.stringify(param.name));
  const kinds = spec.params.map((param) => param.kind);
  return (params) => {
    const members: string[] = [];
    for (let i = 0; i < kinds.length; i++) {
      const param = params[i];
      switch (kinds[i]) {
        case 'string':
        case 'boolean':
          members.push(`${names[i]}:${JSON.stringify(param)}`);
          break;
        case 'view':
          if (param !== undefined) members.push(`${names[i]}:${JSON.stringify(param)}`); // left out: the default view
          break;
        case 'value':
        case 'nullableValue':
          members.push(`${names[i]}:${param === null ? 'null' : valueJson(param as CheckedValue)}`);
          break;
      }
    }
    return `{${members.join(',')}}`;
  };
}
