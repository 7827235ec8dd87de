// .reg files through the API: exportKey writes a key's subtree as `reg export` does, importRegFile applies a .reg text
// (version 5 or REGEDIT4) — round trips of every type, deletions, errors with their codes — in both modes and sync.
import * as assert from 'node:assert/strict';

import { openRegistrySync } from 'regbridge';
import type { Registry, RegValueInput } from 'regbridge';

import { describeEachMode, loose, rejectsWith, storePrefix, testKey, throwsWith } from './00.setup';

const header = 'Windows Registry Editor Version 5.00\r\n';
const full = (key: string) => key.replace(/^HKCU\\/, 'HKEY_CURRENT_USER\\');

/** REG_MULTI_SZ bytes: typed data refuses empty items (Windows' readers stop at them), stored bytes may hold them. */
const multiSz = (items: string[]) => Buffer.from(`${items.map((item) => `${item}\0`).join('')}\0`, 'utf16le');

/** A value of every type, with non-ASCII and astral names and data, empty strings, MULTI_SZ with empty items. */
const everyType: Record<string, RegValueInput> = {
  '': { type: 'REG_SZ', data: 'default ✓' },
  sz: { type: 'REG_SZ', data: 'C:\\Program Files\\"quoted"\r\nline 2' },
  'empty sz': { type: 'REG_SZ', data: '' },
  expand: { type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\system32;%PATH%;%APPDATA%\\Vendor\\Product\\Subfolder' },
  'empty expand': { type: 'REG_EXPAND_SZ', data: '' },
  binary: { type: 'REG_BINARY', data: Buffer.from([0, 0xff, 0x10, 0x80]) },
  'empty binary': { type: 'REG_BINARY', data: Buffer.alloc(0) },
  dword: { type: 'REG_DWORD', data: 0x12345678 },
  'big endian': { type: 'REG_DWORD_BIG_ENDIAN', data: 0x01020304 },
  multi: { type: 'REG_MULTI_SZ', data: multiSz(['one', '', 'three 😀', '']) },
  'multi empty': { type: 'REG_MULTI_SZ', data: [] },
  qword: { type: 'REG_QWORD', data: 2n ** 64n - 1n },
  none: { type: 'REG_NONE', data: Buffer.from([1, 2, 3]) },
  odd: { type: 0x12345, data: Buffer.from([9]) },
  long: { type: 'REG_BINARY', data: Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff)) },
  '名前 😀': { type: 'REG_SZ', data: 'データ 😀 ✓ 𝄞' },
};

async function fill(reg: Registry, root: string): Promise<void> {
  for (const [name, value] of Object.entries(everyType)) await reg.writeValue(root, name, value);
  await reg.writeValue(`${root}\\Ünïcödé 名前\\𝄞 astral`, '𝄞', { type: 'REG_EXPAND_SZ', data: '𝄞%X%' });
  await reg.createKey(`${root}\\Empty`);
}

/** Every key under `root` with its raw values, for comparing two stores. */
async function contents(reg: Registry, root: string): Promise<unknown[]> {
  const out: unknown[] = [root, await reg.listValues(root, { raw: true })];
  for (const subkey of await reg.listSubkeys(root)) out.push(...(await contents(reg, `${root}\\${subkey}`)));
  return out;
}

describeEachMode('25 reg files: exportKey and importRegFile', function (t) {
  it('exports a key exactly as reg export writes it', async function () {
    const key = testKey('exact');
    await t.reg.writeValue(key, 'DWORD', { type: 'REG_DWORD', data: 0x100 });
    await t.reg.writeValue(key, 'String', { type: 'REG_SZ', data: 'Your "text" \\ here' });
    await t.reg.writeValue(key, '', { type: 'REG_EXPAND_SZ', data: '%A%' });
    await t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: 1n });
    await t.reg.writeValue(key, 'm', { type: 'REG_MULTI_SZ', data: multiSz(['a', '']) });
    await t.reg.createKey(`${key}\\Sub`);
    assert.equal(
      await t.reg.exportKey(key),
      `${header}\r\n` +
        `[${full(key)}]\r\n` +
        '@=hex(2):25,00,41,00,25,00,00,00\r\n' +
        '"DWORD"=dword:00000100\r\n' +
        '"m"=hex(7):61,00,00,00,00,00,00,00\r\n' +
        '"q"=hex(b):01,00,00,00,00,00,00,00\r\n' +
        '"String"="Your \\"text\\" \\\\ here"\r\n' +
        `\r\n[${full(key)}\\Sub]\r\n` +
        '\r\n',
    );
  });

  it('round-trips every type, names and data beyond ASCII, empty strings and MULTI_SZ empty items', async function () {
    const root = testKey('round trip');
    await fill(t.reg, root);
    const text = await t.reg.exportKey(root);
    assert.ok(text.startsWith(`${header}\r\n[${full(root)}]\r\n`), text.slice(0, 200));
    assert.ok(text.includes(`\r\n[${full(root)}\\Ünïcödé 名前\\𝄞 astral]\r\n"𝄞"=hex(2):34,d8,1e,dd,25,00,`));
    // `"long"=hex:` is 11 characters: 22 bytes fill the first line up to 77, then the line breaks.
    const bytes = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => (from + i).toString(16).padStart(2, '0')).join(',');
    assert.ok(text.includes(`\r\n"long"=hex:${bytes(0, 22)},\\\r\n  ${bytes(22, 47)},\\\r\n`));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');

    const other = await t.open();
    await other.importRegFile(text);
    assert.deepEqual(await contents(other, root), await contents(t.reg, root));
    assert.equal(await other.exportKey(root), text);
    for (const [name, value] of Object.entries(everyType)) {
      if (Buffer.isBuffer(value.data)) continue; // bytes: compared above, raw
      assert.deepEqual(await other.readValue(root, name), value, name);
    }
    assert.deepEqual((await other.readValue(root, 'multi')).data, ['one', '', 'three 😀', '']);
  });

  it('a lone surrogate in a name or a string survives the round trip', async function () {
    const root = testKey('surrogates');
    await t.reg.writeValue(root, 'lone \ud800', { type: 'REG_SZ', data: 'a\udfffb' });
    const text = await t.reg.exportKey(root);
    assert.ok(text.includes('"lone \ud800"="a\udfffb"\r\n'));
    const other = await t.open();
    await other.importRegFile(text);
    assert.equal(await other.readStringValue(root, 'lone \ud800'), 'a\udfffb');
  });

  it('[-KEY] deletes a subtree and "name"=- a value; what is missing is no error', async function () {
    const root = testKey('deletions');
    await t.reg.writeValue(`${root}\\Sub\\Deeper`, 'x', { type: 'REG_SZ', data: '1' });
    await t.reg.writeValue(root, 'keep', { type: 'REG_SZ', data: '2' });
    await t.reg.writeValue(root, 'drop', { type: 'REG_SZ', data: '3' });
    await t.reg.importRegFile(
      `${header}\r\n[-${full(root)}\\Sub]\r\n\r\n[-${root}\\Never\\There]\r\n\r\n` +
        `[${full(root)}]\r\n"drop"=-\r\n"never there"=-\r\n"new"=dword:00000001\r\n`,
    );
    assert.equal(await t.reg.keyExists(`${root}\\Sub`), false);
    assert.deepEqual(await t.reg.listValues(root), [
      { name: 'keep', type: 'REG_SZ', data: '2' },
      { name: 'new', type: 'REG_DWORD', data: 1 },
    ]);
  });

  it('reads REGEDIT4, LF line ends, comments, continuation lines and ANSI string bytes', async function () {
    const key = testKey('regedit4');
    await t.reg.importRegFile(
      'REGEDIT4\n\n; a comment\n[HKEY_CURRENT_USER\\Software\\regbridge-tests\\regedit4] ; here\n' +
        '"text"="caf\u00e9"\n"bytes"=hex:01,02,\\\n  03\n"ansi"=hex(2):63,61,66,e9,80,00\n@=dword:ff\n',
    );
    assert.deepEqual(await t.reg.listValues(key), [
      { name: '', type: 'REG_DWORD', data: 255 },
      { name: 'ansi', type: 'REG_EXPAND_SZ', data: 'café€' },
      { name: 'bytes', type: 'REG_BINARY', data: Buffer.from([1, 2, 3]) },
      { name: 'text', type: 'REG_SZ', data: 'café' },
    ]);
  });

  it('exports in the view asked', async function () {
    await t.reg.writeValue('HKLM\\Software\\Vendor32', 'bits', { type: 'REG_SZ', data: '32' }, { view: 32 });
    assert.equal(
      await t.reg.exportKey('HKLM\\Software\\Vendor32', { view: 32 }),
      `${header}\r\n[HKEY_LOCAL_MACHINE\\Software\\Vendor32]\r\n"bits"="32"\r\n\r\n`,
    );
    await rejectsWith(t.reg.exportKey('HKLM\\Software\\Vendor32', { view: 64 }), 'ERR_KEY_NOT_FOUND');
  });

  it('a syntax error names line and column and changes nothing', async function () {
    const key = testKey('syntax');
    await t.reg.writeValue(key, 'v', { type: 'REG_SZ', data: 'before' });
    const error = await rejectsWith(
      t.reg.importRegFile(`${header}\r\n[${key}]\r\n"v"="after"\r\n"w"=hex:01,zz\r\n`),
      'ERR_INVALID_ARGUMENT',
      /^invalid \.reg text: line 5, column 12: expected a byte in hex, such as 0a$/,
    );
    assert.equal(error.key, undefined);
    assert.equal(await t.reg.readStringValue(key, 'v'), 'before');
    await rejectsWith(
      t.reg.importRegFile('[HKCU\\A]\r\n'),
      'ERR_INVALID_ARGUMENT',
      /^invalid \.reg text: line 1, column 1: expected the header 'Windows Registry Editor Version 5\.00' or 'REGEDIT4'$/,
    );
    await rejectsWith(
      t.reg.importRegFile(`${header}[HKCU\\A]\r\n"v"=\r\n`),
      'ERR_INVALID_ARGUMENT',
      /^invalid \.reg text: line 3, column 5: expected the data after '=': /,
    );
    await rejectsWith(
      t.reg.importRegFile(`${header}[HKXX\\A]\r\n`),
      'ERR_INVALID_ARGUMENT',
      /^invalid \.reg text: line 2, column 2: invalid key path 'HKXX\\A': /,
    );
  });

  it('errors of the arguments and of the keys carry their codes', async function () {
    await rejectsWith(t.reg.exportKey(testKey('missing')), 'ERR_KEY_NOT_FOUND');
    await rejectsWith(t.reg.exportKey('HKXX\\Software'), 'ERR_INVALID_PATH');
    await rejectsWith(
      t.reg.importRegFile(loose(42)),
      'ERR_INVALID_ARGUMENT',
      /^importRegFile: argument 1 'text' must be a string, got a number$/,
    );
    await rejectsWith(
      t.reg.exportKey(loose(null)),
      'ERR_INVALID_ARGUMENT',
      /^exportKey: argument 1 'key' must be a string, got null$/,
    );
    await rejectsWith(t.reg.exportKey(testKey(), loose({ view: 16 })), 'ERR_INVALID_ARGUMENT', /view/);
    await rejectsWith(t.reg.exportKey(testKey(), loose({ raw: true })), 'ERR_INVALID_ARGUMENT', /raw/);
  });
});

describe('25 reg files [sync]', function () {
  it('exportKey and importRegFile answer before returning', function () {
    const reg = openRegistrySync({ prefix: storePrefix() });
    const other = openRegistrySync({ prefix: storePrefix() });
    try {
      const key = testKey('sync');
      reg.writeValue(key, 'v', { type: 'REG_MULTI_SZ', data: ['x', '😀'] });
      const text = reg.exportKey(key);
      assert.equal(
        text,
        `${header}\r\n[${full(key)}]\r\n"v"=hex(7):78,00,00,00,3d,d8,00,de,00,00,00,00\r\n\r\n`,
      );
      other.importRegFile(text);
      assert.deepEqual(other.readValue(key, 'v'), { type: 'REG_MULTI_SZ', data: ['x', '😀'] });
      throwsWith(
        () => other.importRegFile('REGEDIT4\r\nx'),
        'ERR_INVALID_ARGUMENT',
        /^invalid \.reg text: line 2, column 1: /,
      );
    } finally {
      reg.close();
      other.close();
    }
  });
});
