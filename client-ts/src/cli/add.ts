// `regbridge add KEY [/v NAME | /ve] [/t TYPE] [/s SEP] [/d DATA] [/f] [/reg:32 | /reg:64]`: writes one value,
// creating the key (and its parents) when missing. With neither /v nor /ve it sets the key's default value, to an
// empty string unless /d says otherwise, as reg.exe does. Over an existing value it asks first, unless /f.
import { addBytes, addType } from './addData';
import { confirm } from './confirm';
import { invalidSyntax } from './failure';
import { parseKeyName } from './keyPath';
import type { CliStore } from './store';
import { viewOf, viewSwitches } from './switches';
import type { ParsedArgs, VerbGrammar } from './switches';

export const addGrammar: VerbGrammar = {
  verb: 'add',
  positionals: ['key'],
  switches: [
    { name: 'v', takesValue: true },
    { name: 've', takesValue: false },
    { name: 't', takesValue: true },
    { name: 's', takesValue: true },
    { name: 'd', takesValue: true },
    { name: 'f', takesValue: false },
    ...viewSwitches,
  ],
  exclusive: [['v', 've']],
};

/** Runs the verb; returns whether it wrote (false: the user said no). */
export async function runAdd(args: ParsedArgs, store: CliStore): Promise<boolean> {
  const key = parseKeyName(args.positionals[0]);
  const view = viewOf(args);
  const name = (args.switches.get('v') as string | undefined) ?? '';
  const separator = args.switches.get('s') as string | undefined;
  if (separator !== undefined && [...separator].length !== 1) {
    throw invalidSyntax('add', `/s takes one character, not '${separator}'`);
  }
  const type = addType(args.switches.get('t') as string | undefined);
  const bytes = addBytes(type, args.switches.get('d') as string | undefined, separator);
  if (!args.switches.has('f') && (await exists(store, key.apiPath, name, view))) {
    const shown = name === '' ? '(Default)' : name;
    if (!confirm(`The registry value '${shown}' already exists. Do you want to overwrite it?`)) return false;
  }
  await store.writeValue(key.apiPath, name, { type, data: bytes }, { view });
  return true;
}

async function exists(store: CliStore, key: string, name: string, view: 32 | 64 | undefined): Promise<boolean> {
  try {
    await store.readValue(key, name, { raw: true, view });
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_VALUE_NOT_FOUND' || code === 'ERR_KEY_NOT_FOUND') return false;
    throw error;
  }
}
