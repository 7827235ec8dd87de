// Every error code from the input that causes it, with the key and value name it concerns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistry } from 'regbridge';

import {
  describeEachMode,
  itHiveStore,
  loose,
  modes,
  onWindows,
  prefixWithWineServer,
  rejectsWith,
  tempPrefix,
  testKey,
} from './00.setup';

describeEachMode('05 errors: paths, keys and values', function (t) {
  const key = testKey('errors');

  beforeEach(async function () {
    await t.reg.writeValue(key, 'sz', { type: 'REG_SZ', data: 'text' });
    await t.reg.writeValue(key, 'dword', { type: 'REG_DWORD', data: 1 });
    await t.reg.writeValue(key, 'multi', { type: 'REG_MULTI_SZ', data: ['a'] });
    await t.reg.writeValue(key, 'binary', { type: 'REG_BINARY', data: Buffer.from([1]) });
    await t.reg.writeValue(key, 'oddsz', { type: 'REG_SZ', data: Buffer.from([0x41, 0x00, 0x42]) });
  });

  it('ERR_INVALID_PATH names what is wrong, and carries the path as written', async function () {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['HKXX\\Software', /unknown hive 'HKXX'/],
      ['Software\\Acme', /unknown hive/],
      ['HKCU\\a\\\\b', /empty key name/],
      ['HKCU\\a\\', /ends with a backslash/],
      [`HKCU\\${'k'.repeat(256)}`, /256 characters long; the limit is 255/],
      [`HKCU${'\\k'.repeat(513)}`, /512 levels/],
      ['HKCU\\nul\u0000inside', /NUL/],
    ];
    for (const [bad, message] of cases) {
      const error = await rejectsWith(t.reg.readValue(bad, 'v'), 'ERR_INVALID_PATH', message);
      assert.equal(error.key, bad === '' ? undefined : bad); // an empty key is no key
    }
    await rejectsWith(t.reg.createKey('HKLM\\a\\\\b'), 'ERR_INVALID_PATH');
    await rejectsWith(t.reg.keyExists('HKEY_NOWHERE'), 'ERR_INVALID_PATH');
    await rejectsWith(t.reg.writeValue('HKCU\\x\\', 'v', { type: 'REG_SZ', data: '' }), 'ERR_INVALID_PATH');
  });

  it('a key name of exactly 255 characters (astral ones count twice) is fine', async function () {
    await t.reg.createKey(`HKCU\\${'k'.repeat(255)}`);
    await t.reg.createKey(`HKCU\\${'😀'.repeat(127)}k`);
    await rejectsWith(t.reg.createKey(`HKCU\\${'😀'.repeat(128)}`), 'ERR_INVALID_PATH', /256 characters/);
  });

  it('ERR_KEY_NOT_FOUND from every call that opens a missing key', async function () {
    const missing = testKey('missing', 'key');
    const calls: Array<() => Promise<unknown>> = [
      () => t.reg.readStringValue(missing, 'v'),
      () => t.reg.readValue(missing, 'v'),
      () => t.reg.listValues(missing),
      () => t.reg.listSubkeys(missing),
      () => t.reg.getKeyInfo(missing),
      () => t.reg.deleteKey(missing),
    ];
    for (const call of calls) {
      const error = await rejectsWith(call, 'ERR_KEY_NOT_FOUND');
      assert.equal(error.key, missing);
    }
  });

  it('ERR_VALUE_NOT_FOUND carries the key and the value name', async function () {
    for (const call of [
      () => t.reg.readStringValue(key, 'nope'),
      () => t.reg.readValue(key, 'nope'),
      () => t.reg.deleteValue(key, 'nope'),
    ]) {
      const error = await rejectsWith(call, 'ERR_VALUE_NOT_FOUND');
      assert.equal(error.key, key);
      assert.equal(error.valueName, 'nope');
    }
  });

  it('ERR_WRONG_TYPE from readStringValue on anything but a REG_SZ or REG_EXPAND_SZ of whole code units', async function () {
    for (const [name, type] of [
      ['dword', 'REG_DWORD'],
      ['multi', 'REG_MULTI_SZ'],
      ['binary', 'REG_BINARY'],
    ]) {
      const error = await rejectsWith(t.reg.readStringValue(key, name), 'ERR_WRONG_TYPE', new RegExp(type));
      assert.equal(error.valueName, name);
    }
    await rejectsWith(t.reg.readStringValue(key, 'oddsz'), 'ERR_WRONG_TYPE', /odd number of bytes/);
    assert.equal(await t.reg.readStringValue(key, 'sz'), 'text');
  });

  it('ERR_KEY_HAS_SUBKEYS unless recursive', async function () {
    await t.reg.createKey(`${key}\\child`);
    const error = await rejectsWith(t.reg.deleteKey(key), 'ERR_KEY_HAS_SUBKEYS');
    assert.equal(error.key, key);
  });

  it('ERR_ACCESS_DENIED for deleting a hive root; ERR_INVALID_PATH for creating one', async function () {
    await rejectsWith(t.reg.deleteKey('HKCU'), 'ERR_ACCESS_DENIED', /hive root/);
    await rejectsWith(t.reg.deleteKey('HKEY_LOCAL_MACHINE', { recursive: true }), 'ERR_ACCESS_DENIED');
    await rejectsWith(t.reg.createKey('HKCU'), 'ERR_INVALID_PATH', /hive root/);
    assert.equal(await t.reg.readStringValue(key, 'sz'), 'text');
  });
});

describeEachMode('05 errors: JS arguments of the wrong type', function (t) {
  const key = testKey('args');

  it('keys and value names must be strings', async function () {
    for (const bad of [undefined, null, 42, {}, ['HKCU'], Symbol('k')]) {
      await rejectsWith(t.reg.readValue(loose(bad), 'v'), 'ERR_INVALID_ARGUMENT', /'key' must be a string/);
      await rejectsWith(t.reg.readStringValue(key, loose(bad)), 'ERR_INVALID_ARGUMENT', /'name' must be a string/);
      await rejectsWith(t.reg.keyExists(loose(bad)), 'ERR_INVALID_ARGUMENT', /'key' must be a string/);
    }
    await rejectsWith(t.reg.readValue(loose(42), 'v'), 'ERR_INVALID_ARGUMENT', /got a number/);
  });

  it('a value must be an object { type, data }', async function () {
    for (const bad of [undefined, null, 'REG_SZ', 5, ['REG_SZ', 'x']]) {
      await rejectsWith(t.reg.writeValue(key, 'v', loose(bad)), 'ERR_INVALID_ARGUMENT', /'value' must be an object/);
    }
  });

  it('the type must be a known name or a 32-bit code', async function () {
    const cases: Array<[unknown, RegExp]> = [
      ['REG_STRING', /unknown value type 'REG_STRING'/],
      ['reg_sz', /unknown value type 'reg_sz'/],
      [-1, /integer from 0 to 4294967295/],
      [2 ** 32, /integer from 0 to 4294967295/],
      [1.5, /integer from 0 to 4294967295/],
      [undefined, /type must be/],
      [1n, /type must be/],
    ];
    for (const [type, message] of cases) {
      await rejectsWith(
        t.reg.writeValue(key, 'v', loose({ type, data: Buffer.alloc(0) })),
        'ERR_INVALID_ARGUMENT',
        message,
      );
    }
  });

  it('the data must fit its type', async function () {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'REG_SZ', data: 5 }, /string or a Buffer/],
      [
        { type: 'REG_SZ', data: undefined },
        /data must be a string, an array of strings, a number, a bigint or a Buffer/,
      ],
      [{ type: 'REG_SZ', data: true }, /got a boolean/],
      [{ type: 'REG_SZ', data: { length: 1 } }, /got an object/],
      [{ type: 'REG_BINARY', data: new Uint16Array(2) }, /typed array other than Uint8Array/],
      [{ type: 'REG_BINARY', data: new ArrayBuffer(2) }, /ArrayBuffer/],
      [{ type: 'REG_BINARY', data: 'text' }, /must be a Buffer/],
      [{ type: 'REG_MULTI_SZ', data: ['a', 1] }, /element 1 is a number/],
      [{ type: 'REG_MULTI_SZ', data: 'a' }, /array of strings/],
      [{ type: 'REG_MULTI_SZ', data: ['a\u0000b'] }, /NUL/],
      [{ type: 'REG_DWORD', data: 2 ** 32 }, /from 0 to 4294967295, not 4294967296/],
      [{ type: 'REG_DWORD', data: -1 }, /from 0 to 4294967295, not -1/],
      [{ type: 'REG_DWORD', data: 1.5 }, /safe integer/],
      [{ type: 'REG_DWORD', data: NaN }, /safe integer/],
      [{ type: 'REG_DWORD', data: 'one' }, /number or a Buffer/],
      [{ type: 'REG_QWORD', data: 2 ** 53 }, /safe integer/],
      [{ type: 'REG_QWORD', data: -1n }, /bigint from 0n/],
      [{ type: 'REG_QWORD', data: 2n ** 64n }, /bigint from 0n/],
      [{ type: 0xffff0011, data: 'text' }, /must be a Buffer/],
    ];
    for (const [value, message] of cases) {
      await rejectsWith(t.reg.writeValue(key, 'v', loose(value)), 'ERR_INVALID_ARGUMENT', message);
    }
    assert.equal(await t.reg.keyExists(key), false, 'a rejected write must not create the key');
  });

  it('a value name longer than 16383 characters is refused', async function () {
    await rejectsWith(
      t.reg.writeValue(key, 'n'.repeat(16384), { type: 'REG_SZ', data: '' }),
      'ERR_INVALID_ARGUMENT',
      /16383/,
    );
    await t.reg.writeValue(key, 'n'.repeat(16383), { type: 'REG_SZ', data: 'long name' });
    assert.equal(await t.reg.readStringValue(key, 'n'.repeat(16383)), 'long name');
  });

  it("a throwing getter's own exception comes through unchanged", async function () {
    const value = {
      get type(): string {
        throw new TypeError('from the getter');
      },
      data: 'x',
    };
    await assert.rejects(t.reg.writeValue(key, 'v', loose(value)), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.equal((error as Error).message, 'from the getter');
      return true;
    });
  });
});

const noHiveFiles = 'there are no hive files or prefixes';

for (const mode of modes) {
  describe(`05 errors: the store [${mode}]`, function () {
    itHiveStore(
      'ERR_STORE_CORRUPT for writes to a hive with a malformed line, naming file and line; reads go on as in Wine',
      noHiveFiles,
      async function () {
        const prefix = tempPrefix();
        const broken =
          'WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\User\\\\S-1-5-21-0-0-0-1000\n\n#arch=win64\n\n' +
          '[Software\\\\A] 1700000000\n"ok"="fine"\n"bad"=this is not a value\n';
        fs.writeFileSync(path.join(prefix, 'user.reg'), broken);
        const reg = await openRegistry({ mode, prefix });
        try {
          // Wine reads past a malformed value, as an empty REG_NONE; so does the store.
          assert.deepEqual(await reg.readValue('HKCU\\Software\\A', 'ok'), { type: 'REG_SZ', data: 'fine' });
          assert.deepEqual(await reg.readValue('HKCU\\Software\\A', 'bad'), {
            type: 'REG_NONE',
            data: Buffer.alloc(0),
          });
          const error = await rejectsWith(
            reg.writeValue('HKCU\\Software\\A', 'new', { type: 'REG_SZ', data: 'x' }),
            'ERR_STORE_CORRUPT',
            /user\.reg:8/,
          );
          assert.equal(error.key, 'HKCU\\Software\\A');
          await rejectsWith(reg.deleteKey('HKCU\\Software\\A', { recursive: true }), 'ERR_STORE_CORRUPT');
          assert.equal(fs.readFileSync(path.join(prefix, 'user.reg'), 'utf8'), broken);
          // The other hives are not affected.
          await reg.writeValue('HKLM\\Software\\A', 'v', { type: 'REG_SZ', data: 'x' });
          assert.equal(await reg.readStringValue('HKLM\\Software\\A', 'v'), 'x');
        } finally {
          await reg.close();
        }
      },
    );

    itHiveStore(
      'ERR_STORE_CORRUPT for writes to a file that is not a Wine registry at all',
      noHiveFiles,
      async function () {
        const prefix = tempPrefix();
        const regedit = 'REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\Software]\n';
        fs.writeFileSync(path.join(prefix, 'system.reg'), regedit);
        const reg = await openRegistry({ mode, prefix });
        try {
          await rejectsWith(
            reg.writeValue('HKLM\\Software\\A', 'v', { type: 'REG_SZ', data: 'x' }),
            'ERR_STORE_CORRUPT',
            /system\.reg:1: .*WINE REGISTRY Version 2/,
          );
          assert.equal(fs.readFileSync(path.join(prefix, 'system.reg'), 'utf8'), regedit);
        } finally {
          await reg.close();
        }
      },
    );

    itHiveStore(
      'ERR_STORE_LOCKED for writes while a wineserver owns the prefix; reads still work',
      noHiveFiles,
      async function () {
        const prefix = await prefixWithWineServer();
        const reg = await openRegistry({ mode, prefix });
        try {
          const current = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
          assert.equal(await reg.readStringValue(current, 'CurrentVersion'), '6.1');
          await rejectsWith(
            reg.writeValue(testKey('locked'), 'v', { type: 'REG_SZ', data: 'x' }),
            'ERR_STORE_LOCKED',
            /wineserver/,
          );
          await rejectsWith(reg.createKey(testKey('locked')), 'ERR_STORE_LOCKED');
          await rejectsWith(reg.deleteKey(current), 'ERR_STORE_LOCKED');
          assert.equal(await reg.keyExists(testKey('locked')), false);
        } finally {
          await reg.close();
        }
      },
    );

    itHiveStore(
      'ERR_IO when the prefix is not a folder',
      'a prefix is refused there (the test below)',
      async function () {
        const file = path.join(tempPrefix(), 'a-file');
        fs.writeFileSync(file, 'not a folder');
        const reg = await openRegistry({ mode, prefix: file });
        try {
          await rejectsWith(reg.writeValue(testKey('io'), 'v', { type: 'REG_SZ', data: 'x' }), 'ERR_IO');
        } finally {
          await reg.close();
        }
      },
    );

    // Windows' stores are the real registry: a prefix, which only the hive store has, is refused, and says why.
    if (onWindows) {
      it('ERR_INVALID_ARGUMENT for a prefix on Windows, naming why', async function () {
        await rejectsWith(
          openRegistry({ mode, prefix: 'C:\\some\\prefix' }),
          'ERR_INVALID_ARGUMENT',
          /a prefix \('C:\\some\\prefix'\) selects the hive store.*leave the prefix out to use the Windows registry/,
        );
      });
    }
  });
}
