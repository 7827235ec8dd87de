// What the peers' child processes answer with: each request by method name and by-name params, served by regbridge
// in-process (synchronous calls) on the same store, its result made JSON as the wire protocol makes it (bytes as
// {base64}, QWORDs as decimal strings, times as ISO strings) — what a user building such a child would have to do.
import type { RegistrySync } from 'regbridge';

type Params = Record<string, unknown>;

function wireValue(value: { type: unknown; data: unknown }): { type: unknown; data: unknown } {
  const { data } = value;
  if (Buffer.isBuffer(data)) return { ...value, data: { base64: data.toString('base64') } };
  if (typeof data === 'bigint') return { ...value, data: data.toString() };
  return value;
}

/** Answers one request; throws what regbridge throws. */
export function serve(reg: RegistrySync, method: string, p: Params): unknown {
  const key = p.key as string;
  const name = p.name as string;
  switch (method) {
    case 'readStringValue':
      return reg.readStringValue(key, name);
    case 'readValue':
      return wireValue(reg.readValue(key, name));
    case 'listValues':
      return reg.listValues(key).map(wireValue);
    case 'listSubkeys':
      return reg.listSubkeys(key);
    case 'keyExists':
      return reg.keyExists(key);
    case 'getKeyInfo': {
      const info = reg.getKeyInfo(key);
      return { ...info, lastWriteTime: info.lastWriteTime.toISOString() };
    }
    default:
      throw new Error(`unknown method ${method}`);
  }
}

/** The parent's side: the answer decoded back into what regbridge returns, as pipe mode's client does. */
export function decode(method: string, result: unknown): unknown {
  const value = (v: { type: unknown; data: unknown }) => {
    const data = v.data as { base64?: string } | string;
    if (typeof data === 'object' && data !== null && typeof data.base64 === 'string')
      v.data = Buffer.from(data.base64, 'base64');
    else if (v.type === 'REG_QWORD' && typeof data === 'string') v.data = BigInt(data);
    return v;
  };
  switch (method) {
    case 'readValue':
      return value(result as { type: unknown; data: unknown });
    case 'listValues':
      return (result as Array<{ type: unknown; data: unknown }>).map(value);
    case 'getKeyInfo': {
      const info = result as { lastWriteTime: string | Date };
      info.lastWriteTime = new Date(info.lastWriteTime as string);
      return info;
    }
    default:
      return result;
  }
}
