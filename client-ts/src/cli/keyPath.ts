// Key names as reg.exe takes them (`HKCU\Software\x`, `HKEY_CURRENT_USER\Software\x\`, any case) and shows them
// (`HKEY_CURRENT_USER\Software\x`: the root's long name, the rest as typed).
import { CliFailure } from './failure';

const roots: ReadonlyArray<readonly [short: string, long: string]> = [
  ['HKLM', 'HKEY_LOCAL_MACHINE'],
  ['HKCU', 'HKEY_CURRENT_USER'],
  ['HKCR', 'HKEY_CLASSES_ROOT'],
  ['HKU', 'HKEY_USERS'],
  ['HKCC', 'HKEY_CURRENT_CONFIG'],
];

/** A key named on the command line. */
export interface KeyName {
  /** The path to give the API: as typed, without a trailing backslash. */
  readonly apiPath: string;
  /** The path as reg.exe prints it: the root's long name, then the rest as typed. */
  readonly shown: string;
}

/** Checks and splits a key argument, failing with reg.exe's words for a remote, rootless or malformed name. */
export function parseKeyName(typed: string): KeyName {
  if (typed.startsWith('\\\\')) {
    throw new CliFailure('ERR_INVALID_PATH', 'Unable to access remote machine', `'${typed}' names another machine`);
  }
  // One trailing backslash is allowed (reg.exe ignores it); two are not.
  const trimmed = typed.endsWith('\\') && !typed.endsWith('\\\\') ? typed.slice(0, -1) : typed;
  const cut = trimmed.indexOf('\\');
  const rootTyped = (cut < 0 ? trimmed : trimmed.slice(0, cut)).toUpperCase();
  const root = roots.find(([short, long]) => rootTyped === short || rootTyped === long);
  if (root === undefined) {
    throw new CliFailure(
      'ERR_INVALID_PATH',
      'Invalid system key',
      `'${typed}' does not start with HKLM, HKCU, HKCR, HKU or HKCC (or their long names)`,
    );
  }
  const rest = cut < 0 ? '' : trimmed.slice(cut + 1);
  if (rest.endsWith('\\') || rest.startsWith('\\') || rest.includes('\\\\')) {
    throw new CliFailure('ERR_INVALID_PATH', 'Invalid registry key', `'${typed}' has an empty key name in it`);
  }
  return { apiPath: trimmed, shown: rest === '' ? root[1] : `${root[1]}\\${rest}` };
}

/** The path of a subkey `name` of `parent`, in both forms. */
export function childKey(parent: KeyName, name: string): KeyName {
  return { apiPath: `${parent.apiPath}\\${name}`, shown: `${parent.shown}\\${name}` };
}
