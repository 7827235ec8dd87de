// An independent reader of Wine's registry files, written from the format's rules and sharing no code with the C++
// parser, so that the tests can check what the store serves against a second opinion. Read-only and forgiving:
// it only needs to understand files that Wine wrote.

/** One value as stored: the type code and the exact bytes. */
export interface StoredValue {
  name: string;
  type: number;
  bytes: Buffer;
}

/** One key: its values in file order, its subkey names in first-seen order, whether it is a link. */
export interface StoredKey {
  name: string;
  values: StoredValue[];
  subkeys: string[];
  isLink: boolean;
  className?: string;
}

/** Keys by their path relative to the hive root, joined with `\` ('' is the root), folded to lower case. */
export type StoredHive = Map<string, StoredKey>;

/** Parses a whole `.reg` file written by Wine. */
export function readWineHive(text: string): StoredHive {
  const hive: StoredHive = new Map();
  hive.set('', { name: '', values: [], subkeys: [], isLink: false });
  let current: StoredKey | undefined;
  for (const line of logicalLines(text)) {
    if (line.startsWith('[')) {
      current = ensureKey(hive, parseKeyPath(line));
    } else if (line.startsWith('#link')) {
      if (current) current.isLink = true;
    } else if (line.startsWith('#class=')) {
      if (current) current.className = unitsToString(parseQuoted(line, '#class='.length).units);
    } else if (line.startsWith('"') || line.startsWith('@')) {
      if (current) current.values.push(parseValue(line));
    }
  }
  return hive;
}

/** Lines with continuations (`\` at the end) joined, leading blanks and comments dropped. */
function* logicalLines(text: string): Generator<string> {
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i].replace(/\r$/, '').trimStart();
    while (line.endsWith('\\') && i + 1 < raw.length && !line.startsWith('[') && !line.startsWith(';')) {
      line = line.slice(0, -1) + raw[++i].replace(/\r$/, '').trimStart();
    }
    if (line === '' || line.startsWith(';')) continue;
    yield line;
  }
}

function ensureKey(hive: StoredHive, parts: string[]): StoredKey {
  let path = '';
  let key = hive.get('')!;
  for (const part of parts) {
    const childPath = path === '' ? part.toLowerCase() : `${path}\\${part.toLowerCase()}`;
    let child = hive.get(childPath);
    if (!child) {
      child = { name: part, values: [], subkeys: [], isLink: false };
      hive.set(childPath, child);
      key.subkeys.push(part);
    }
    key = child;
    path = childPath;
  }
  return key;
}

/** `[Software\\Wine\\Key\[x\]] 1795586750` -> ['Software', 'Wine', 'Key[x]']. */
function parseKeyPath(line: string): string[] {
  const { units } = parseQuoted(line, 1, ']');
  return unitsToString(units).split('\\');
}

function parseValue(line: string): StoredValue {
  let name = '';
  let pos: number;
  if (line.startsWith('@')) {
    pos = 1;
  } else {
    const parsed = parseQuoted(line, 1);
    name = unitsToString(parsed.units);
    pos = parsed.end + 1;
  }
  if (line[pos] !== '=') throw new Error(`expected '=' in: ${line}`);
  const data = line.slice(pos + 1);
  const stringForms: Array<[string, number]> = [
    ['"', 1],
    ['str:"', 1],
    ['str(2):"', 2],
    ['str(7):"', 7],
  ];
  for (const [prefix, type] of stringForms) {
    if (data.startsWith(prefix)) {
      const { units } = parseQuoted(data, prefix.length);
      units.push(0); // the final NUL, which Wine does not write
      return { name, type, bytes: unitsToBytes(units) };
    }
  }
  if (data.startsWith('dword:')) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(parseInt(data.slice(6), 16));
    return { name, type: 4, bytes };
  }
  const hex = /^hex(?:\(([0-9a-fA-F]+)\))?:(.*)$/.exec(data);
  if (hex) {
    const type = hex[1] === undefined ? 3 : parseInt(hex[1], 16);
    const list = hex[2].replace(/\s/g, '');
    const bytes = Buffer.from(
      list === ''
        ? []
        : list
            .split(',')
            .filter((b) => b !== '')
            .map((b) => parseInt(b, 16)),
    );
    return { name, type, bytes };
  }
  throw new Error(`unknown value form in: ${line}`);
}

/** Reads an escaped string from `start` up to the unescaped `delimiter`; returns its UTF-16 code units. */
function parseQuoted(text: string, start: number, delimiter = '"'): { units: number[]; end: number } {
  const units: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, e: 27 };
  let i = start;
  while (i < text.length && text[i] !== delimiter) {
    const c = text[i];
    if (c !== '\\') {
      const cp = text.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      for (let k = 0; k < s.length; k++) units.push(s.charCodeAt(k));
      i += s.length;
      continue;
    }
    const next = text[i + 1];
    if (next in simple) {
      units.push(simple[next]);
      i += 2;
    } else if (next === 'x') {
      const m = /^[0-9a-fA-F]{1,4}/.exec(text.slice(i + 2, i + 6));
      if (m) {
        units.push(parseInt(m[0], 16));
        i += 2 + m[0].length;
      } else {
        units.push('x'.charCodeAt(0));
        i += 2;
      }
    } else if (next >= '0' && next <= '7') {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))!;
      units.push(parseInt(m[0], 8));
      i += 1 + m[0].length;
    } else {
      units.push(next.charCodeAt(0));
      i += 2;
    }
  }
  return { units, end: i };
}

function unitsToString(units: number[]): string {
  let s = '';
  for (const u of units) s += String.fromCharCode(u);
  return s;
}

function unitsToBytes(units: number[]): Buffer {
  const bytes = Buffer.alloc(units.length * 2);
  units.forEach((u, i) => bytes.writeUInt16LE(u, i * 2));
  return bytes;
}
