// Which keys and values the cases read, found in the store itself so that a real prefix (--prefix) works as well as
// the generated one: the key of ~10 values every read case uses (HKLM\...\Windows NT\CurrentVersion in both), a
// key with subkeys, and the HKCU string the start-up figures read first. Deterministic: a sorted walk.
import type { RegistrySync } from 'regbridge';

/** The keys and values the cases use; key paths with their hive. */
export interface Fixtures {
  /** A key of about ten values (REG_SZ and REG_DWORD among them): listValues, getKeyInfo, keyExists. */
  valuesKey: string;
  valueCount: number;
  /** A REG_SZ value of valuesKey: readStringValue. */
  stringName: string;
  /** A REG_DWORD value of valuesKey: readValue. */
  dwordName: string;
  /** A key with subkeys: listSubkeys. */
  subkeysKey: string;
  subkeyCount: number;
  /** An HKCU REG_SZ value: what start-up reads first (readStringValue of an installation folder). */
  userKey: string;
  userName: string;
  /** Where the write cases write (created, then removed again). */
  writeKeys: { HKCU: string; HKLM: string };
}

interface Candidate {
  key: string;
  stringName: string;
  dwordName: string;
  count: number;
}

function candidate(reg: RegistrySync, key: string): Candidate | undefined {
  let values;
  try {
    values = reg.listValues(key);
  } catch {
    return undefined;
  }
  if (values.length < 8 || values.length > 16) return undefined;
  // ProductName when there is one (the value every prefix has there), else the first named string.
  const strings = values.filter((v) => v.name !== '' && v.type === 'REG_SZ' && typeof v.data === 'string');
  const string = strings.find((v) => v.name === 'ProductName') ?? strings[0];
  const dword = values.find((v) => v.name !== '' && v.type === 'REG_DWORD' && typeof v.data === 'number');
  return string && dword ? { key, stringName: string.name, dwordName: dword.name, count: values.length } : undefined;
}

/** Depth-first, subkeys in the store's order, at most `limit` keys; stops when `visit` returns true. */
function walk(reg: RegistrySync, start: string, limit: number, visit: (key: string) => boolean): void {
  const stack = [start];
  let seen = 0;
  while (stack.length > 0 && seen++ < limit) {
    const key = stack.pop()!;
    if (visit(key)) return;
    let subkeys: string[] = [];
    try {
      subkeys = reg.listSubkeys(key);
    } catch {
      // a link to nowhere, say: skip it
    }
    for (let i = subkeys.length - 1; i >= 0; i--) stack.push(`${key}\\${subkeys[i]}`);
  }
}

/** Finds the fixtures in an open store; throws with what is missing. */
export function findFixtures(reg: RegistrySync): Fixtures {
  let values = candidate(reg, 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion');
  if (!values) walk(reg, 'HKLM\\Software', 50_000, (key) => (values = candidate(reg, key)) !== undefined);
  if (!values) throw new Error('no HKLM key with 8 to 16 values, a REG_SZ and a REG_DWORD among them');
  const found: Candidate = values;

  let subkeysKey = found.key;
  let subkeyCount = reg.getKeyInfo(found.key).subkeyCount;
  if (subkeyCount < 5) {
    walk(reg, 'HKLM\\Software', 50_000, (key) => {
      const count = reg.getKeyInfo(key).subkeyCount;
      if (count < 5 || count > 60) return false;
      subkeysKey = key;
      subkeyCount = count;
      return true;
    });
  }

  let user: { key: string; name: string } | undefined;
  const userString = (key: string) => {
    try {
      const v = reg.listValues(key).find((value) => value.name !== '' && value.type === 'REG_SZ');
      return v ? { key, name: v.name } : undefined;
    } catch {
      return undefined;
    }
  };
  try {
    reg.readStringValue('HKCU\\Software\\dotnet\\Setup', 'InstallLocation');
    user = { key: 'HKCU\\Software\\dotnet\\Setup', name: 'InstallLocation' };
  } catch {
    user = userString('HKCU\\Control Panel\\Desktop');
    if (!user) walk(reg, 'HKCU', 50_000, (key) => (user = userString(key)) !== undefined);
  }
  if (!user) throw new Error('no named REG_SZ value anywhere in HKCU');

  return {
    valuesKey: found.key,
    valueCount: found.count,
    stringName: found.stringName,
    dwordName: found.dwordName,
    subkeysKey,
    subkeyCount,
    userKey: user.key,
    userName: user.name,
    writeKeys: { HKCU: 'HKCU\\Software\\regbridge-bench', HKLM: 'HKLM\\Software\\regbridge-bench' },
  };
}
