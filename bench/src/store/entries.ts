// The entries the round-robin reads run over: every value (and key) under some roots of a store, found by walking it
// with the public API. The same entries go into the N-API floor's hash map, so that both sides hold and look up the
// same things.
import type { RegistrySync } from 'regbridge';

/** A value by its key and name, with its type. */
export interface Entry {
  key: string;
  name: string;
  type: string;
}

/** The values and the keys under the roots. */
export interface Entries {
  values: Entry[];
  keys: string[];
}

// The floor copies each string into a 256-byte stack buffer: longer ones (rare) are left out on both sides alike.
const fits = (text: string) => Buffer.byteLength(text) < 256;

// Link keys are not followed (below); a bound on depth all the same: no real prefix is anywhere near this deep.
const maxDepth = 32;

/** Walks `roots` depth first, each value and key once (link keys are not followed). */
export function collectEntries(reg: RegistrySync, roots: string[]): Entries {
  const values: Entry[] = [];
  const keys: string[] = [];
  const walk = (key: string, depth: number) => {
    if (!fits(key)) return;
    keys.push(key);
    try {
      for (const v of reg.listValues(key)) if (fits(v.name)) values.push({ key, name: v.name, type: String(v.type) });
    } catch {
      return;
    }
    if (depth >= maxDepth) return;
    for (const sub of reg.listSubkeys(key)) {
      const path = `${key}\\${sub}`;
      // A link key (Wine's CurrentControlSet, the Wow6432Node\Classes ones) is walked at its target, not twice.
      if (reg.getKeyInfo(path, { openLink: true }).linkTarget === undefined) walk(path, depth + 1);
    }
  };
  for (const root of roots) walk(root, 0);
  return { values, keys };
}

/** The REG_SZ values of a list. */
export function stringEntries(entries: Entries): Entry[] {
  return entries.values.filter((e) => e.type === 'REG_SZ');
}
