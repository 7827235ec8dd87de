// Names and strings are UTF-16 code units, as on Windows and in JavaScript: lone surrogates are kept exactly, end to
// end, in both modes, and a Wine prefix whose names hold them is read and saved back unchanged. And one rule for
// integers, whether given as numbers or bigints: REG_DWORD takes 0..2^32-1, REG_QWORD 0..2^64-1, nothing negative.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { RegValueInput } from 'regbridge';

import { describeEachMode, itHiveStore, loose, rejectsWith, tempPrefix, testKey } from './00.setup';

/** UTF-16LE code units of `text` (lone surrogates as they are), with the terminating NUL Windows stores. */
function utf16z(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf16le'), Buffer.alloc(2)]);
}

/** Strings with lone surrogates at the start, the end and inside, beside valid pairs. */
const loneSamples = [
  '\ud800',
  '\udfff',
  'n\ud800',
  '\udc00n',
  '\udc00\ud800', // a reversed pair: two lone surrogates
  'a\udbff1', // a hex digit after it, which Wine's writer pads for
  '\ud83d\ude00\ud800',
  '\udc00\ud83d\ude00',
  '\ud800\ud800\udc00',
  'plain and long enough for the word-at-a-time paths \udfff',
];

// system.reg as Wine writes it: keys sorted, every code unit above 127 as a \x escape, a reversed pair as two.
const wineSystemReg =
  'WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\n\n#arch=win64\n' +
  '\n[Software\\\\A\\xd800] 1795586750\n#time=1dd7ca305ad0f30\n' +
  '"m"=str(7):"\\xdc00\\xd800\\0\\xd83d\\xde00\\0end\\xdfff\\0"\n' +
  '"\\xdc00"="x\\xd800"\n' +
  '\n[Software\\\\A\\xdfff] 1795586750\n#time=1dd7ca305ad0f30\n' +
  '@=str(2):"\\xdbff1"\n';

describeEachMode('22 unicode: lone surrogates, and the integer ranges', function (t) {
  const key = testKey('unicode');

  it('an error quoting names that hold a NUL quotes them whole, the same in both modes', async function () {
    const withNul = `${key}\\a\u0000b`;
    const error = await rejectsWith(
      t.reg.writeValue(withNul, 'x\u0000y', loose({ type: 'REG_DWORD', data: -1 })),
      'ERR_INVALID_ARGUMENT',
    );
    assert.equal(
      error.message,
      `cannot write value 'x\u0000y' of key '${withNul}': data for REG_DWORD must be from 0 ` + `to 4294967295, not -1`,
    );
  });

  it('a value written under n\\uD800 is not read as n\\uDFFF, nor as n\\uFFFD', async function () {
    await t.reg.writeValue(key, 'n\ud800', { type: 'REG_SZ', data: 'high' });
    const error = await rejectsWith(t.reg.readValue(key, 'n\udfff'), 'ERR_VALUE_NOT_FOUND');
    assert.equal(error.valueName, 'n\udfff');
    assert.ok(error.message.includes("'n\udfff'"), error.message);
    await rejectsWith(t.reg.readValue(key, 'n\ufffd'), 'ERR_VALUE_NOT_FOUND');
    await t.reg.writeValue(key, 'n\udfff', { type: 'REG_SZ', data: 'low' });
    assert.equal(await t.reg.readStringValue(key, 'n\ud800'), 'high');
    assert.equal(await t.reg.readStringValue(key, 'n\udfff'), 'low');
  });

  it('a key created as n\\uD800 is not opened as n\\uDFFF', async function () {
    await t.reg.writeValue(testKey('n\ud800'), 'v', { type: 'REG_SZ', data: 'x' });
    await rejectsWith(t.reg.readValue(testKey('n\udfff'), 'v'), 'ERR_KEY_NOT_FOUND');
    await rejectsWith(t.reg.listValues(testKey('n\ufffd')), 'ERR_KEY_NOT_FOUND');
    assert.equal(await t.reg.keyExists(testKey('n\udfff')), false);
    assert.equal(await t.reg.keyExists(testKey('N\ud800')), true); // ASCII still folds case
  });

  it('lone surrogates round-trip in key names, value names and REG_SZ, REG_EXPAND_SZ and REG_MULTI_SZ data', async function () {
    for (const [i, text] of loneSamples.entries()) {
      const at = testKey('round', text);
      const values: Array<[string, RegValueInput]> = [
        [text, { type: 'REG_SZ', data: text }],
        [`e${i}`, { type: 'REG_EXPAND_SZ', data: `%${text}%` }],
        [`m${i}`, { type: 'REG_MULTI_SZ', data: [text, `x${text}`, `${text}y`] }],
      ];
      for (const [name, value] of values) {
        await t.reg.writeValue(at, name, value);
        assert.deepEqual(await t.reg.readValue(at, name), value, `${JSON.stringify(text)} ${name}`);
      }
      // The stored bytes are the exact code units.
      assert.deepEqual((await t.reg.readValue(at, text, { raw: true })).data, utf16z(text));
      assert.equal(await t.reg.readStringValue(at, text), text);
      assert.deepEqual((await t.reg.listValues(at)).map((v) => v.name).sort(), values.map(([name]) => name).sort());
    }
    const listed = await t.reg.listSubkeys(testKey('round'));
    assert.deepEqual([...listed].sort(), [...loneSamples].sort());
  });

  itHiveStore(
    'a Wine prefix with such names is opened by them and saved back byte-identical',
    'there are no prefixes',
    async function () {
      const prefix = tempPrefix();
      const file = path.join(prefix, 'system.reg');
      fs.writeFileSync(file, wineSystemReg, 'latin1');
      const reg = await t.open(prefix);

      assert.deepEqual(await reg.listSubkeys('HKLM\\Software'), ['A\ud800', 'A\udfff']);
      assert.deepEqual(await reg.listValues('HKLM\\Software\\A\ud800'), [
        { name: 'm', type: 'REG_MULTI_SZ', data: ['\udc00\ud800', '\ud83d\ude00', 'end\udfff'] },
        { name: '\udc00', type: 'REG_SZ', data: 'x\ud800' },
      ]);
      assert.deepEqual(await reg.readValue('HKLM\\Software\\A\udfff', ''), { type: 'REG_EXPAND_SZ', data: '\udbff1' });
      await rejectsWith(reg.readValue('HKLM\\Software\\A\ud800', '\udfff'), 'ERR_VALUE_NOT_FOUND');

      // A change elsewhere saves the hive again; undone, the file is what Wine wrote, byte for byte.
      await reg.writeValue('HKLM\\Software\\Other', 'v', { type: 'REG_DWORD', data: 1 });
      assert.ok(fs.readFileSync(file, 'latin1').startsWith(wineSystemReg));
      await reg.deleteKey('HKLM\\Software\\Other');
      assert.equal(fs.readFileSync(file, 'latin1'), wineSystemReg);

      // Written by us, a lone surrogate is escaped as Wine escapes it.
      await reg.writeValue('HKLM\\Software\\A\ud800', '\ud800z', { type: 'REG_SZ', data: '\udfff' });
      assert.ok(fs.readFileSync(file, 'latin1').includes('\n"\\xd800z"="\\xdfff"\n'));
    },
  );

  it('astral characters (valid pairs) are still one character each', async function () {
    const emoji = 'emoji 😀𝄞 🇺🇳';
    await t.reg.writeValue(testKey(emoji), emoji, { type: 'REG_MULTI_SZ', data: [emoji, '😀'] });
    assert.deepEqual(await t.reg.listSubkeys(testKey()), [emoji]);
    assert.deepEqual(await t.reg.listValues(testKey(emoji)), [
      { name: emoji, type: 'REG_MULTI_SZ', data: [emoji, '😀'] },
    ]);
    assert.deepEqual(
      (await t.reg.readValue(testKey(emoji), emoji, { raw: true })).data,
      Buffer.concat([utf16z(emoji), utf16z('😀'), Buffer.alloc(2)]),
    );
  });

  it('REG_QWORD: -1 is refused as -1n is, naming the range; nothing is written', async function () {
    const range = /data for REG_QWORD must be from 0 to 18446744073709551615, not -1$/;
    await rejectsWith(t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: -1 }), 'ERR_INVALID_ARGUMENT', range);
    await rejectsWith(
      t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: -1n }),
      'ERR_INVALID_ARGUMENT',
      /bigint from 0n to 2n \*\* 64n - 1n/,
    );
    await rejectsWith(
      t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: -Number.MAX_SAFE_INTEGER }),
      'ERR_INVALID_ARGUMENT',
      /from 0 to 18446744073709551615, not -9007199254740991/,
    );
    await rejectsWith(
      t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: 2n ** 64n }),
      'ERR_INVALID_ARGUMENT',
      /bigint from 0n/,
    );
    for (const data of [2 ** 53, 1.5, NaN, Infinity, -Infinity]) {
      await rejectsWith(
        t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data }),
        'ERR_INVALID_ARGUMENT',
        /safe integer.*use a bigint/,
      );
    }
    assert.equal(await t.reg.keyExists(key), false);
    await t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: Number.MAX_SAFE_INTEGER });
    assert.deepEqual(await t.reg.readValue(key, 'q'), { type: 'REG_QWORD', data: 2n ** 53n - 1n });
  });

  it('REG_DWORD and REG_DWORD_BIG_ENDIAN: 0..4294967295 as numbers or bigints, nothing negative', async function () {
    for (const type of ['REG_DWORD', 'REG_DWORD_BIG_ENDIAN'] as const) {
      const range = (n: string) => new RegExp(`data for ${type} must be from 0 to 4294967295, not ${n}$`);
      await rejectsWith(t.reg.writeValue(key, 'd', { type, data: -1 }), 'ERR_INVALID_ARGUMENT', range('-1'));
      await rejectsWith(
        t.reg.writeValue(key, 'd', { type, data: -(2 ** 31) }),
        'ERR_INVALID_ARGUMENT',
        range('-2147483648'),
      );
      await rejectsWith(
        t.reg.writeValue(key, 'd', { type, data: 2 ** 32 }),
        'ERR_INVALID_ARGUMENT',
        range('4294967296'),
      );
      await rejectsWith(
        t.reg.writeValue(key, 'd', loose({ type, data: 2n ** 32n })),
        'ERR_INVALID_ARGUMENT',
        range('4294967296'),
      );
      await rejectsWith(
        t.reg.writeValue(key, 'd', loose({ type, data: -1n })),
        'ERR_INVALID_ARGUMENT',
        /bigint from 0n/,
      );
      for (const data of [1.5, NaN, Infinity, -Infinity, 2 ** 53]) {
        await rejectsWith(t.reg.writeValue(key, 'd', { type, data }), 'ERR_INVALID_ARGUMENT', /safe integer/);
      }
      assert.equal(await t.reg.keyExists(key), false);
      for (const [name, data, read] of [
        ['zero', -0, 0],
        ['max', 0xffffffff, 0xffffffff],
        ['big', loose(0xffffffffn), 0xffffffff],
      ] as const) {
        await t.reg.writeValue(key, `${type}${name}`, { type, data });
        assert.deepEqual(await t.reg.readValue(key, `${type}${name}`), { type, data: read });
      }
      await t.reg.deleteKey(key, { recursive: true });
    }
  });
});
