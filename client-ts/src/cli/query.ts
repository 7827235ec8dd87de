// `regbridge query KEY [/v NAME | /ve] [/s] [/f TEXT [/k] [/d] [/c] [/e]] [/t TYPES] [/reg:32 | /reg:64]`.
//
// Without /f and /t it prints exactly what Wine's `reg query` prints — the same walk in the same order, the same
// blank lines, the key path as typed after the root's long name, value names after /v as typed — so that output
// compared with Wine's is identical byte for byte. /f and /t are reg.exe's (Windows') search, which Wine's reg does
// not have: keys and values that match, in the same layout, then reg.exe's "End of search" line.
import { CliFailure, invalidSyntax } from './failure';
import { valueLine, wineData } from './format';
import { jsonValue, typeCode } from './jsonValue';
import { childKey, parseKeyName } from './keyPath';
import type { KeyName } from './keyPath';
import { TextOutput, printJson } from './output';
import { notFound } from './storeErrors';

const notFoundKey = (key: KeyName) => notFound('key', key.apiPath);
import type { CliStore } from './store';
import { viewOf, viewSwitches } from './switches';
import type { ParsedArgs, VerbGrammar } from './switches';
import type { NamedRegValue, RegValue } from '../index';

export const queryGrammar: VerbGrammar = {
  verb: 'query',
  positionals: ['key'],
  switches: [
    { name: 'v', takesValue: true },
    { name: 've', takesValue: false },
    { name: 's', takesValue: false },
    { name: 'f', takesValue: true },
    { name: 'k', takesValue: false },
    { name: 'd', takesValue: false },
    { name: 'c', takesValue: false },
    { name: 'e', takesValue: false },
    { name: 't', takesValue: true },
    ...viewSwitches,
  ],
  exclusive: [
    ['v', 've'],
    ['v', 'f'],
    ['ve', 'f'],
    ['k', 'd'],
  ],
};

/** What a search (/f, /t) looks for. */
interface Search {
  readonly text: string | undefined; // undefined: every value of the types (only /t given)
  readonly inKeys: boolean;
  readonly inValues: boolean; // names and data
  readonly caseSensitive: boolean;
  readonly exact: boolean;
  readonly types: ReadonlySet<number> | undefined;
}

/** A JSON listing of one key: --json's form of query output. */
interface JsonKey {
  key: string;
  values: ReturnType<typeof jsonValue>[];
  subkeys?: string[];
}

interface Query {
  readonly store: CliStore;
  readonly view: 32 | 64 | undefined;
  readonly json: boolean;
  readonly out: TextOutput;
  readonly listed: JsonKey[];
}

/** Runs the verb; returns the exit code. */
export async function runQuery(args: ParsedArgs, store: CliStore, json: boolean): Promise<number> {
  const key = parseKeyName(args.positionals[0]);
  const search = searchOf(args);
  const q: Query = { store, view: viewOf(args), json, out: new TextOutput(), listed: [] };
  const recurse = args.switches.has('s');
  try {
    if (!(await store.keyExists(key.apiPath, { view: q.view }))) throw notFound('key', key.apiPath);
    if (search !== undefined) {
      const matches = await searchKey(q, key, search, recurse, true);
      q.out.line();
      if (!json) q.out.line(`End of search: ${matches} match(es) found.`);
      if (json) printJson({ keys: q.listed, matches });
    } else if (args.switches.has('v') || args.switches.has('ve')) {
      const name = args.switches.has('v') ? (args.switches.get('v') as string) : '';
      q.out.line();
      const found = await queryValue(q, key, name, recurse);
      if (recurse) q.out.line(`Search complete. Number of matches found: ${found}`);
      else if (found === 0) throw notFound('value', key.apiPath, name); // after the blank line, as Wine's reg
      if (json) printJson(recurse ? { keys: q.listed, matches: found } : { keys: q.listed });
    } else {
      q.out.line();
      await queryAll(q, key, recurse, false);
      if (json) printJson({ keys: q.listed });
    }
    return 0;
  } finally {
    if (!json) q.out.flush();
  }
}

function searchOf(args: ParsedArgs): Search | undefined {
  const text = args.switches.get('f') as string | undefined;
  const typesArg = args.switches.get('t') as string | undefined;
  for (const only of ['k', 'd', 'c', 'e']) {
    if (args.switches.has(only) && text === undefined) throw invalidSyntax('query', `/${only} goes with /f only`);
  }
  if (text === undefined && typesArg === undefined) return undefined;
  let types: Set<number> | undefined;
  if (typesArg !== undefined) {
    types = new Set();
    for (const name of typesArg.split(',')) {
      const code = searchableTypes.get(name.trim().toUpperCase());
      if (code === undefined) {
        throw new CliFailure(
          'ERR_INVALID_ARGUMENT',
          `Unsupported registry data type [${name}]`,
          'known types: ' + [...searchableTypes.keys()].join(', '),
        );
      }
      types.add(code);
    }
  }
  return {
    text: text === '*' ? undefined : text,
    inKeys: text !== undefined && !args.switches.has('d'),
    inValues: !args.switches.has('k'),
    caseSensitive: args.switches.has('c'),
    exact: args.switches.has('e'),
    types,
  };
}

/** The types /t takes, as reg.exe lists them. */
const searchableTypes = new Map<string, number>([
  ['REG_NONE', 0],
  ['REG_SZ', 1],
  ['REG_EXPAND_SZ', 2],
  ['REG_BINARY', 3],
  ['REG_DWORD', 4],
  ['REG_DWORD_BIG_ENDIAN', 5],
  ['REG_MULTI_SZ', 7],
  ['REG_QWORD', 11],
]);

async function values(q: Query, key: KeyName): Promise<NamedRegValue[]> {
  // Text output prints from the stored bytes; JSON gives the typed data.
  return q.store.listValues(key.apiPath, { raw: !q.json, view: q.view });
}

function rawBytes(value: RegValue): Uint8Array {
  return value.data as Uint8Array;
}

/**
 * A subkey's contents, or undefined when it cannot be opened — a link whose target does not exist, such as the links
 * to keys Wine makes only while it runs. Wine's reg skips those without a word during /s, and so does this.
 */
async function ifOpens<T>(read: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_KEY_NOT_FOUND') return undefined;
    throw error;
  }
}

/** Wine's query_all: the key's values, then its subkeys' paths, or with /s each subkey's listing in turn. */
async function queryAll(q: Query, key: KeyName, recurse: boolean, recursing: boolean): Promise<void> {
  const opened = await ifOpens(
    async () => [await values(q, key), await q.store.listSubkeys(key.apiPath, { view: q.view })] as const,
  );
  if (opened === undefined && recursing) return;
  if (opened === undefined) throw notFoundKey(key);
  const [listed, subkeys] = opened;
  if (q.json) {
    q.listed.push({ key: key.shown, values: listed.map((v) => jsonValue(v.name, v)), ...(recurse ? {} : { subkeys }) });
  } else {
    if (listed.length > 0 || recursing) q.out.line(key.shown);
    for (const value of listed) q.out.line(valueLine(value.name, typeCode(value.type), rawBytes(value)));
    if (listed.length > 0 || recursing) q.out.line();
  }
  for (const name of subkeys) {
    if (recurse) await queryAll(q, childKey(key, name), true, true);
    else if (!q.json) q.out.line(`${key.shown}\\${name}`);
  }
}

/**
 * Wine's query_value: the one value in this key (and with /s in every key below that has it); returns how many
 * were found. The name is printed as typed, as Wine's reg does. A missing default value prints "(value not set)".
 */
async function queryValue(q: Query, key: KeyName, name: string, recurse: boolean): Promise<number> {
  let found = 0;
  const value = await readIfThere(q, key, name);
  if (value !== undefined) {
    if (q.json) q.listed.push({ key: key.shown, values: [jsonValue(name, value)] });
    else {
      q.out.line(key.shown);
      q.out.line(valueLine(name, typeCode(value.type), rawBytes(value)));
      q.out.line();
    }
    found = 1;
  } else if (!recurse && name === '') {
    if (q.json) q.listed.push({ key: key.shown, values: [] });
    else {
      q.out.line(key.shown);
      q.out.line(valueLine('', 1, undefined));
    }
    return 1; // the default value always "exists" for reg: it is just not set
  }
  if (!recurse) return found;
  for (const sub of (await ifOpens(() => q.store.listSubkeys(key.apiPath, { view: q.view }))) ?? []) {
    found += await queryValue(q, childKey(key, sub), name, true);
  }
  return found;
}

async function readIfThere(q: Query, key: KeyName, name: string): Promise<RegValue | undefined> {
  try {
    return await q.store.readValue(key.apiPath, name, { raw: !q.json, view: q.view });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_VALUE_NOT_FOUND' || code === 'ERR_KEY_NOT_FOUND') return undefined; // a dangling link: skipped
    throw error;
  }
}

function matches(search: Search, text: string): boolean {
  if (search.text === undefined) return true;
  const [hay, needle] = search.caseSensitive ? [text, search.text] : [text.toLowerCase(), search.text.toLowerCase()];
  return search.exact ? hay === needle : hay.includes(needle);
}

/**
 * reg.exe's /f and /t: prints each key whose name matches, and each key with matching values followed by those
 * values; returns the number of matches. Without /s the key's own values and its direct subkeys' names are searched.
 */
async function searchKey(q: Query, key: KeyName, search: Search, recurse: boolean, top: boolean): Promise<number> {
  let count = 0;
  const hits: NamedRegValue[] = [];
  if (search.inValues || search.types !== undefined) {
    for (const value of (await ifOpens(() => values(q, key))) ?? []) {
      const code = typeCode(value.type);
      if (search.types !== undefined && !search.types.has(code)) continue;
      const data = q.json ? JSON.stringify(jsonValue('', value).data) : wineData(code, rawBytes(value));
      if (search.text === undefined || (search.inValues && (matches(search, value.name) || matches(search, data)))) {
        hits.push(value);
      }
    }
  }
  if (hits.length > 0) {
    if (q.json) q.listed.push({ key: key.shown, values: hits.map((v) => jsonValue(v.name, v)) });
    else {
      q.out.line();
      q.out.line(key.shown);
      for (const value of hits) q.out.line(valueLine(value.name, typeCode(value.type), rawBytes(value)));
    }
    count += hits.length;
  }
  if (!top && !recurse) return count;
  for (const name of (await ifOpens(() => q.store.listSubkeys(key.apiPath, { view: q.view }))) ?? []) {
    const child = childKey(key, name);
    if (search.inKeys && matches(search, name)) {
      if (q.json) q.listed.push({ key: child.shown, values: [] });
      else {
        q.out.line();
        q.out.line(child.shown);
      }
      count += 1;
    }
    if (recurse) count += await searchKey(q, child, search, true, false);
  }
  return count;
}
