// Keys: creation, existence, listing, info, deletion, case rules, flush and close.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describeEachMode, itHiveStore, onWindows, rejectsWith, testKey } from './00.setup';

const sorted = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));

describeEachMode('04 keys: operations', function (t) {
  it('createKey makes the key and its parents, and is idempotent', async function () {
    const key = testKey('a', 'b', 'c');
    assert.equal(await t.reg.keyExists(key), false);
    await t.reg.createKey(key);
    await t.reg.createKey(key);
    assert.equal(await t.reg.keyExists(key), true);
    assert.equal(await t.reg.keyExists(testKey('a', 'b')), true);
    assert.deepEqual(await t.reg.listSubkeys(testKey('a')), ['b']);
    assert.deepEqual(await t.reg.listValues(key), []);
  });

  it('writeValue creates missing keys on the way', async function () {
    const key = testKey('made', 'by', 'write');
    await t.reg.writeValue(key, 'v', { type: 'REG_DWORD', data: 1 });
    assert.equal(await t.reg.keyExists(testKey('made', 'by')), true);
  });

  it('keyExists: hive roots always exist, in every spelling', async function () {
    for (const root of ['HKCU', 'HKEY_CURRENT_USER', 'hklm', 'HKEY_LOCAL_MACHINE', 'HKU', 'HKCR', 'HKCC', 'HKCU\\']) {
      assert.equal(await t.reg.keyExists(root), true, root);
    }
    assert.equal(await t.reg.keyExists(testKey('missing')), false);
  });

  it('names compare case-insensitively and keep the case first written', async function () {
    await t.reg.writeValue(testKey('CaseTest'), 'ValueName', { type: 'REG_SZ', data: 'x' });
    assert.equal(await t.reg.readStringValue('hkcu\\SOFTWARE\\REGBRIDGE-TESTS\\casetest', 'VALUENAME'), 'x');
    await t.reg.writeValue(testKey('CASETEST'), 'valuename', { type: 'REG_SZ', data: 'y' });
    assert.deepEqual(await t.reg.listSubkeys(testKey()), ['CaseTest']);
    const values = await t.reg.listValues(testKey('casetest'));
    assert.equal(values.length, 1);
    assert.equal(values[0].data, 'y');
  });

  it('listSubkeys lists direct children only', async function () {
    for (const name of ['one', 'Two', 'three\\deeper']) await t.reg.createKey(testKey('list', name));
    assert.deepEqual(sorted(await t.reg.listSubkeys(testKey('list'))), ['one', 'three', 'Two']);
    assert.deepEqual(await t.reg.listSubkeys(testKey('list', 'one')), []);
  });

  it('getKeyInfo counts subkeys and values and gives the last write time as a Date', async function () {
    const key = testKey('info');
    await t.reg.writeValue(key, 'a', { type: 'REG_SZ', data: 'x' });
    await t.reg.writeValue(key, 'b', { type: 'REG_SZ', data: 'y' });
    await t.reg.createKey(`${key}\\child1`);
    await t.reg.createKey(`${key}\\child2`);
    await t.reg.createKey(`${key}\\child2\\grandchild`);
    const info = await t.reg.getKeyInfo(key);
    assert.equal(info.subkeyCount, 2);
    assert.equal(info.valueCount, 2);
    assert.ok(info.lastWriteTime instanceof Date);
    assert.ok(info.lastWriteTime.getFullYear() >= 2024, String(info.lastWriteTime));
    assert.equal('className' in info, false);
    assert.equal('linkTarget' in info, false);
  });

  it('deleteValue removes one value', async function () {
    const key = testKey('delv');
    await t.reg.writeValue(key, 'keep', { type: 'REG_SZ', data: 'k' });
    await t.reg.writeValue(key, 'drop', { type: 'REG_SZ', data: 'd' });
    await t.reg.deleteValue(key, 'DROP');
    await rejectsWith(t.reg.readValue(key, 'drop'), 'ERR_VALUE_NOT_FOUND');
    assert.deepEqual(await t.reg.listValues(key), [{ name: 'keep', type: 'REG_SZ', data: 'k' }]);
  });

  it('deleteKey removes a leaf, refuses a key with subkeys, and removes a tree with recursive', async function () {
    await t.reg.createKey(testKey('tree', 'leaf'));
    await t.reg.writeValue(testKey('tree', 'branch', 'twig'), 'v', { type: 'REG_SZ', data: 'x' });
    await t.reg.deleteKey(testKey('tree', 'leaf'));
    assert.equal(await t.reg.keyExists(testKey('tree', 'leaf')), false);
    await rejectsWith(t.reg.deleteKey(testKey('tree')), 'ERR_KEY_HAS_SUBKEYS');
    assert.equal(await t.reg.keyExists(testKey('tree', 'branch', 'twig')), true);
    await t.reg.deleteKey(testKey('tree'), { recursive: true });
    assert.equal(await t.reg.keyExists(testKey('tree')), false);
    assert.equal(await t.reg.keyExists(testKey()), true);
  });

  it('flush resolves once writes are durable', async function () {
    await t.reg.writeValue(testKey('flush'), 'v', { type: 'REG_SZ', data: 'x' });
    assert.equal(await t.reg.flush(), undefined);
  });

  itHiveStore('writes land in Wine-format hive files in the prefix', 'there are no hive files', async function () {
    await t.reg.writeValue(testKey('file'), 'InUserReg', { type: 'REG_SZ', data: 'x' });
    await t.reg.writeValue('HKLM\\Software\\regbridge-tests', 'InSystemReg', { type: 'REG_SZ', data: 'y' });
    const user = fs.readFileSync(path.join(t.prefix!, 'user.reg'), 'utf8');
    const system = fs.readFileSync(path.join(t.prefix!, 'system.reg'), 'utf8');
    assert.match(user, /^WINE REGISTRY Version 2\n/);
    assert.match(user, /\[Software\\\\regbridge-tests\\\\file\] \d+\n#time=[0-9a-f]+\n"InUserReg"="x"\n/);
    assert.match(system, /"InSystemReg"="y"/);
    assert.doesNotMatch(user, /InSystemReg/);
  });

  // On Windows, the counterpart of the hive files: the registry every other program reads, here through reg.exe.
  if (onWindows) {
    it('writes are seen by reg.exe, and what reg.exe writes is read back', async function () {
      const key = testKey('reg-exe');
      await t.reg.writeValue(key, 'FromRegbridge', { type: 'REG_SZ', data: 'x y' });
      const out = execFileSync('reg', ['query', key, '/v', 'FromRegbridge'], { encoding: 'utf8' });
      assert.match(out, /FromRegbridge\s+REG_SZ\s+x y/);
      execFileSync('reg', ['add', key, '/v', 'FromReg', '/t', 'REG_DWORD', '/d', '7', '/f'], { stdio: 'ignore' });
      assert.deepEqual(await t.reg.readValue(key, 'FromReg'), { type: 'REG_DWORD', data: 7 });
    });
  }

  it('two registries on one prefix see each other’s writes', async function () {
    const other = await t.open(t.prefix);
    await t.reg.writeValue(testKey('shared'), 'v', { type: 'REG_DWORD', data: 1 });
    assert.equal((await other.readValue(testKey('shared'), 'v')).data, 1);
    await other.writeValue(testKey('shared'), 'v', { type: 'REG_DWORD', data: 2 });
    assert.equal((await t.reg.readValue(testKey('shared'), 'v')).data, 2);
  });

  it('close makes every later call fail with ERR_CLOSED, and may be called twice', async function () {
    await t.reg.writeValue(testKey('closing'), 'v', { type: 'REG_SZ', data: 'x' });
    await t.reg.close();
    await t.reg.close();
    await rejectsWith(t.reg.readStringValue(testKey('closing'), 'v'), 'ERR_CLOSED', /closed/);
    await rejectsWith(t.reg.writeValue(testKey('closing'), 'v', { type: 'REG_SZ', data: 'y' }), 'ERR_CLOSED');
    await rejectsWith(t.reg.listSubkeys(testKey()), 'ERR_CLOSED');
    await rejectsWith(t.reg.flush(), 'ERR_CLOSED');
  });
});
