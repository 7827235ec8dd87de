// The help texts: `regbridge /?`, `regbridge VERB /?` (or --help). Written for this tool; the syntax lines are
// reg.exe's.

const keyHelp = `  KEY    ROOT\\Subkey, where ROOT is HKLM, HKCU, HKCR, HKU or HKCC (or HKEY_LOCAL_MACHINE,
         HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS, HKEY_CURRENT_CONFIG), in any case.`;

const common = `  /reg:32 | /reg:64   the 32-bit or the 64-bit registry view (default: 64)

Options of regbridge itself (before or after the verb):
  --mode in-process|pipe   where the store's code runs (default: $REGBRIDGE_MODE, else in-process)
  --prefix DIR             the store's folder, a Wine prefix (default: $REGBRIDGE_PREFIX,
                           else $XDG_DATA_HOME/regbridge)
  --json                   print the result as JSON (see the README's "Command line" section)
  --help, /?               this text

Switches are case-insensitive and may start with '-' instead of '/'. Exit code 0 on success,
1 on failure; errors go to stderr, ending with the registry's error code in brackets.`;

const texts: Record<string, string> = {
  '': `Usage: regbridge VERB [arguments]

Verbs: ADD | COPY | DELETE | EXPORT | IMPORT | QUERY
For help on one verb: regbridge VERB /?

Verbs and switches are reg.exe's; QUERY prints what Wine's reg query prints.`,
  query: `REGBRIDGE QUERY KEY [/v NAME | /ve] [/s] [/f TEXT [/k] [/d] [/c] [/e]] [/t TYPES]

Lists a key's values and subkeys, byte for byte as Wine's reg query does.

${keyHelp}
  /v NAME   only the value NAME (with /s: in the key and every key below it)
  /ve       only the default value
  /s        the key and every key below it
  /f TEXT   search (reg.exe's): keys and values whose name or data contains TEXT ('*': all)
  /k        with /f: search key names only
  /d        with /f: search data only
  /c        with /f: case-sensitive
  /e        with /f: whole name or data only
  /t TYPES  only values of these types, comma-separated (REG_SZ,REG_DWORD,...)
${common}`,
  add: `REGBRIDGE ADD KEY [/v NAME | /ve] [/t TYPE] [/s SEP] [/d DATA] [/f]

Writes a value, creating the key and its parents as needed. With neither /v nor /ve it sets
the key's default value (an empty string unless /d says otherwise).

${keyHelp}
  /v NAME   the value's name
  /ve       the default value
  /t TYPE   REG_SZ (default), REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD, REG_BINARY,
            REG_NONE, REG_DWORD_BIG_ENDIAN
  /s SEP    the character between strings of REG_MULTI_SZ data (default: \\0)
  /d DATA   the data: text, a number (decimal or 0x hex) or hex digits (REG_BINARY)
  /f        overwrite an existing value without asking (needed when stdin is no terminal)
${common}`,
  delete: `REGBRIDGE DELETE KEY [/v NAME | /ve | /va] [/f]

Deletes a key with everything under it, or values of a key.

${keyHelp}
  /v NAME   delete only the value NAME
  /ve       delete only the default value
  /va       delete all values of the key (its subkeys stay)
  /f        do not ask (needed when stdin is no terminal)
${common}`,
  copy: `REGBRIDGE COPY KEY1 KEY2 [/s] [/f]

Copies KEY1's values into KEY2, creating KEY2 as needed.

${keyHelp}
  /s        copy the subkeys too, all the way down
  /f        overwrite values KEY2 has already without asking (needed when stdin is no terminal)
${common}`,
  export: `REGBRIDGE EXPORT KEY FILE [/y]

Writes KEY and everything under it to FILE as a .reg file (Windows Registry Editor Version 5.00,
UTF-16LE with a byte order mark, CRLF), as reg export and regedit /E do.

${keyHelp}
  /y        overwrite FILE if it exists without asking (needed when stdin is no terminal)
${common}`,
  import: `REGBRIDGE IMPORT FILE

Applies a .reg file: version 5 (UTF-16LE or UTF-8, with or without a byte order mark) or REGEDIT4.
${common}`,
};

/** The help of `verb` ('' for the overview). */
export function helpText(verb: string): string {
  return texts[verb];
}
