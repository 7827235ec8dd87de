// Property: any key path — every hive spelling in any case, random key names of every sort of character (`/`
// included), names near the 255-unit limit, depths near 512 levels — is either refused with ERR_INVALID_PATH, exactly
// when the rules say it is invalid, or works: the key can be created, found in any ASCII case, listed under its
// parent with its name as written, and read back from the saved hive by a second registry.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';

import type { Registry } from 'regbridge';

import { describeEachMode, rejectsWith } from './00.setup';
import { asciiUpper, keyPath, settings, splitPath, userHives, whyInvalid } from './support/properties';

const isUsers = (hive: string) => ['HKU', 'HKEY_USERS'].includes(asciiUpper(hive));
const isUserHive = (name: string) => (userHives as readonly string[]).some((u) => asciiUpper(u) === asciiUpper(name));

describeEachMode('23 property: key paths', function (t) {
  // A second registry on the same prefix reads what the first saved, so each run also goes through the hive file.
  let other: Registry;
  beforeEach(async function () {
    other = await t.open(t.prefix);
  });

  async function checkValidPath(path: string): Promise<void> {
    const { hive, parts } = splitPath(path);
    if (parts.length === 0) {
      // A hive root always exists and cannot be created.
      assert.equal(await t.reg.keyExists(path), true);
      await t.reg.getKeyInfo(path);
      await rejectsWith(t.reg.createKey(path), 'ERR_INVALID_PATH', /hive root/);
      return;
    }
    if (isUsers(hive) && !isUserHive(parts[0])) {
      // HKEY_USERS holds the prefix's user hives only.
      assert.equal(await t.reg.keyExists(path), false);
      await rejectsWith(t.reg.createKey(path), 'ERR_ACCESS_DENIED');
      return;
    }
    // From a clean state: what an earlier run left (one that failed before removing it) would otherwise show.
    const topDepth = isUsers(hive) ? 2 : 1;
    const top = [hive, ...parts.slice(0, topDepth)].join('\\');
    const name = parts[parts.length - 1];
    if (parts.length < topDepth) await t.reg.deleteValue(path, name).catch(() => undefined);
    else if (await t.reg.keyExists(top)) await t.reg.deleteKey(top, { recursive: true });

    await t.reg.createKey(path);
    assert.equal(await t.reg.keyExists(path), true);
    assert.equal(await t.reg.keyExists(asciiUpper(path)), true, 'names compare case-insensitively');
    await t.reg.getKeyInfo(path);
    const parent = [hive, ...parts.slice(0, -1)].join('\\');
    // The value's name is the key's own, so that it goes through the value-name escaping of the file too.
    await t.reg.writeValue(path, name, { type: 'REG_SZ', data: path });

    // Listed as written; a user hive has its own spelling, whatever the caller's.
    const listed = (names: string[]) =>
      parts.length < topDepth ? names.map(asciiUpper).includes(asciiUpper(name)) : names.includes(name);
    assert.ok(listed(await t.reg.listSubkeys(parent)), `listSubkeys of the parent lacks '${name}'`);
    assert.ok(listed(await other.listSubkeys(parent)), `the saved hive lacks '${name}'`);
    assert.deepEqual(await other.readValue(path, name), { type: 'REG_SZ', data: path });
    assert.deepEqual(await other.listValues(path), [{ name, type: 'REG_SZ', data: path }]);

    // Removed again, so that the store stays small: the key under the hive root (under the user hive in HKU), or
    // only the value when the path is a user hive itself.
    if (parts.length < topDepth) {
      await t.reg.deleteValue(path, name);
      return;
    }
    await t.reg.deleteKey(top, { recursive: true });
    assert.equal(await other.keyExists(path), false);
  }

  it('a path is refused with ERR_INVALID_PATH exactly when it breaks a rule, and works otherwise', async function () {
    this.timeout(0); // each run has its own time limit (settings)
    await fc.assert(
      fc.asyncProperty(keyPath, async (path) => {
        const why = whyInvalid(path);
        if (why === undefined) return checkValidPath(path);
        try {
          await rejectsWith(t.reg.keyExists(path), 'ERR_INVALID_PATH');
          await rejectsWith(t.reg.createKey(path), 'ERR_INVALID_PATH');
          await rejectsWith(t.reg.writeValue(path, 'v', { type: 'REG_DWORD', data: 1 }), 'ERR_INVALID_PATH');
          await rejectsWith(t.reg.listSubkeys(path), 'ERR_INVALID_PATH');
        } catch (error) {
          throw new Error(`the rules refuse this path (${why}): ${(error as Error).message}`);
        }
      }),
      settings(),
    );
  });
});
