// `regbridge copy KEY1 KEY2 [/s] [/f] [/reg:32 | /reg:64]`: copies KEY1's values into KEY2 (created if missing),
// with /s its subkeys too, every value as its stored bytes. The source is read whole before anything is written, so
// that copying a key into its own subtree copies what was there, once, instead of chasing its own copies. Without
// /f it asks before overwriting each value that KEY2 has already.
import { confirm } from './confirm';
import { CliFailure } from './failure';
import { parseKeyName } from './keyPath';
import { notFound } from './storeErrors';
import type { CliStore } from './store';
import { viewOf, viewSwitches } from './switches';
import type { ParsedArgs, VerbGrammar } from './switches';
import type { NamedRegValue } from '../index';

export const copyGrammar: VerbGrammar = {
  verb: 'copy',
  positionals: ['source key', 'destination key'],
  switches: [{ name: 's', takesValue: false }, { name: 'f', takesValue: false }, ...viewSwitches],
};

/** A key read whole: its values (raw) and, with /s, its subkeys. */
interface Snapshot {
  readonly relative: string; // '' for the source itself, else `a\b` below it
  readonly values: NamedRegValue[];
}

async function snapshot(
  store: CliStore,
  key: string,
  recurse: boolean,
  view: 32 | 64 | undefined,
): Promise<Snapshot[]> {
  const taken: Snapshot[] = [];
  const walk = async (relative: string): Promise<void> => {
    const path = relative === '' ? key : `${key}\\${relative}`;
    let values: NamedRegValue[];
    let subkeys: string[];
    try {
      values = await store.listValues(path, { raw: true, view });
      subkeys = recurse ? await store.listSubkeys(path, { view }) : [];
    } catch (error) {
      // A subkey that cannot be opened (a link to a key that is not there) is skipped, as query /s skips it.
      if (relative !== '' && (error as { code?: unknown }).code === 'ERR_KEY_NOT_FOUND') return;
      throw error;
    }
    taken.push({ relative, values });
    for (const name of subkeys) await walk(relative === '' ? name : `${relative}\\${name}`);
  };
  await walk('');
  return taken;
}

/** Runs the verb; returns whether everything asked for was copied (false: the user said no somewhere). */
export async function runCopy(args: ParsedArgs, store: CliStore): Promise<boolean> {
  const source = parseKeyName(args.positionals[0]);
  const target = parseKeyName(args.positionals[1]);
  const view = viewOf(args);
  if (source.shown.toLowerCase() === target.shown.toLowerCase()) {
    throw new CliFailure('ERR_INVALID_ARGUMENT', 'The source and destination keys cannot be the same', source.shown);
  }
  if (!(await store.keyExists(source.apiPath, { view }))) throw notFound('key', source.apiPath);
  const force = args.switches.has('f');
  let all = true;
  for (const key of await snapshot(store, source.apiPath, args.switches.has('s'), view)) {
    const path = key.relative === '' ? target.apiPath : `${target.apiPath}\\${key.relative}`;
    await store.createKey(path, { view });
    const existing = force
      ? new Set<string>()
      : new Set((await store.listValues(path, { raw: true, view })).map((v) => v.name.toLowerCase()));
    for (const value of key.values) {
      if (existing.has(value.name.toLowerCase())) {
        const shown = value.name === '' ? '(Default)' : value.name;
        if (!confirm(`The registry value '${shown}' already exists in '${path}'. Do you want to overwrite it?`)) {
          all = false;
          continue;
        }
      }
      await store.writeValue(path, value.name, { type: value.type, data: value.data as Buffer }, { view });
    }
  }
  return all;
}
