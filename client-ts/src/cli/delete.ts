// `regbridge delete KEY [/v NAME | /ve | /va] [/f] [/reg:32 | /reg:64]`: deletes the key with everything under it,
// or one value, the default value, or all values of the key. Asks first, unless /f.
import { confirm } from './confirm';
import { parseKeyName } from './keyPath';
import { notFound } from './storeErrors';
import type { CliStore } from './store';
import { viewOf, viewSwitches } from './switches';
import type { ParsedArgs, VerbGrammar } from './switches';

export const deleteGrammar: VerbGrammar = {
  verb: 'delete',
  positionals: ['key'],
  switches: [
    { name: 'v', takesValue: true },
    { name: 've', takesValue: false },
    { name: 'va', takesValue: false },
    { name: 'f', takesValue: false },
    ...viewSwitches,
  ],
  exclusive: [['v', 've', 'va']],
};

/** Runs the verb; returns whether it deleted (false: the user said no). */
export async function runDelete(args: ParsedArgs, store: CliStore): Promise<boolean> {
  const key = parseKeyName(args.positionals[0]);
  const view = viewOf(args);
  const { switches } = args;
  // reg.exe finds out that the key is missing before it asks anything.
  if (!(await store.keyExists(key.apiPath, { view }))) throw notFound('key', key.apiPath);
  const valueName = switches.has('v') ? (switches.get('v') as string) : switches.has('ve') ? '' : undefined;
  if (!switches.has('f')) {
    const question =
      valueName !== undefined
        ? `Are you sure you want to delete the registry value '${valueName === '' ? '(Default)' : valueName}'?`
        : switches.has('va')
          ? `Are you sure you want to delete all registry values in '${key.shown}'?`
          : `Are you sure you want to delete the registry key '${key.shown}'?`;
    if (!confirm(question)) return false;
  }
  if (valueName !== undefined) {
    await store.deleteValue(key.apiPath, valueName, { view });
  } else if (switches.has('va')) {
    for (const value of await store.listValues(key.apiPath, { raw: true, view })) {
      await store.deleteValue(key.apiPath, value.name, { view });
    }
  } else {
    await store.deleteKey(key.apiPath, { recursive: true, view });
  }
  return true;
}
