// .reg files against Wine itself: a subtree exported by regbridge is imported by `wine reg import` into a fresh
// prefix, exported again by `wine reg export`, and that file imported by regbridge into another store gives back
// every value, byte for byte — every type, names and data beyond ASCII (astral ones and lone surrogates too), empty
// strings, MULTI_SZ with empty items; Wine's file is also the very text regbridge exports, for odd strings too; and
// Wine's export of a real prefix's HKLM\Software reads back unchanged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Registry, RegValueInput } from 'regbridge';

import { describeEachMode, itHiveStore, tempDir } from './00.setup';
import { runnableCopyOfRealPrefix, wineDrivePath, wineReg } from './support/wineReg';

const root = 'HKCU\\Software\\regbridge-reg-wine';

const multiSz = (items: string[]) => Buffer.from(`${items.map((item) => `${item}\0`).join('')}\0`, 'utf16le');

const values: Record<string, RegValueInput> = {
  '': { type: 'REG_SZ', data: 'default ✓' },
  sz: { type: 'REG_SZ', data: 'C:\\Program Files\\"quoted" ; [not a key]' },
  'empty sz': { type: 'REG_SZ', data: '' },
  expand: { type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\system32;%PATH%;%APPDATA%\\Vendor\\Product 😀' },
  'empty expand': { type: 'REG_EXPAND_SZ', data: Buffer.alloc(0) },
  binary: { type: 'REG_BINARY', data: Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff)) },
  'empty binary': { type: 'REG_BINARY', data: Buffer.alloc(0) },
  dword: { type: 'REG_DWORD', data: 0xfedcba98 },
  'big endian': { type: 'REG_DWORD_BIG_ENDIAN', data: 0x01020304 },
  multi: { type: 'REG_MULTI_SZ', data: multiSz(['one', '', 'thrée 😀', '']) },
  'multi of one empty': { type: 'REG_MULTI_SZ', data: multiSz(['']) },
  qword: { type: 'REG_QWORD', data: 0x0123456789abcdefn },
  none: { type: 'REG_NONE', data: Buffer.from([1, 2, 3]) },
  'type 0x12345': { type: 0x12345, data: Buffer.from([9, 8]) },
  'Ünïcödé 名前 😀': { type: 'REG_SZ', data: 'データ 😀 ✓ 𝄞' },
  'lone \ud800 surrogate': { type: 'REG_SZ', data: 'a\udfffb' },
};

async function fill(reg: Registry): Promise<void> {
  for (const [name, value] of Object.entries(values)) await reg.writeValue(root, name, value);
  await reg.writeValue(`${root}\\Sub 名前\\𝄞 astral`, '𝄞', { type: 'REG_EXPAND_SZ', data: '𝄞%X%' });
  await reg.writeValue(`${root}\\Sub 名前`, 'é', { type: 'REG_MULTI_SZ', data: ['a', 'b'] });
  await reg.createKey(`${root}\\Empty`);
}

/** Every key under `key` with its raw values, for comparing two stores. */
async function contents(reg: Registry, key: string): Promise<unknown[]> {
  const out: unknown[] = [key, await reg.listValues(key, { raw: true })];
  for (const subkey of await reg.listSubkeys(key)) out.push(...(await contents(reg, `${key}\\${subkey}`)));
  return out;
}

describeEachMode('26 reg files: Wine imports what regbridge exports, and the reverse', function (t) {
  itHiveStore(
    'regbridge export -> wine reg import -> wine reg export -> regbridge import gives back every value',
    'runs Wine on a prefix from Linux',
    async function () {
      this.timeout(300_000); // the first use makes the real prefix (wineboot), and each reg.exe run starts Wine
      await fill(t.reg);
      const exported = await t.reg.exportKey(root);

      // As Wine's and Windows' reg export write it: UTF-16LE with a byte order mark.
      const files = tempDir('regfiles');
      const ours = path.join(files, 'regbridge.reg');
      fs.writeFileSync(ours, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(exported, 'utf16le')]));
      const prefix = runnableCopyOfRealPrefix();
      const imported = wineReg(prefix, ['import', wineDrivePath(ours)], { wait: false }); // the export reads it
      assert.equal(imported.status, 0, `wine reg import: ${imported.stdout}`);
      const theirs = path.join(files, 'wine.reg');
      const exportedByWine = wineReg(prefix, ['export', root, wineDrivePath(theirs), '/y']);
      assert.equal(exportedByWine.status, 0, `wine reg export: ${exportedByWine.stdout}`);

      const bytes = fs.readFileSync(theirs);
      assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe], 'a UTF-16LE file with a byte order mark');
      const wineText = bytes.subarray(2).toString('utf16le');
      // Wine names the top key as it was asked for; regbridge's names it as the caller wrote it too.
      assert.equal(wineText, exported);

      const other = await t.open();
      await other.importRegFile(wineText);
      assert.deepEqual(await contents(other, root), await contents(t.reg, root));
      assert.equal(await other.exportKey(root), exported);
    },
  );

  itHiveStore(
    "values Wine's export writes lossily are written the same way: strings with a NUL or without their terminator",
    'runs Wine on a prefix from Linux',
    async function () {
      this.timeout(300_000);
      const prefix = runnableCopyOfRealPrefix();
      const key = `${root}\odd`;
      const reg = await t.open(prefix);
      const sz = (bytes: number[]) => ({ type: 'REG_SZ' as const, data: Buffer.from(bytes) });
      await reg.writeValue(key, 'unterminated', sz([0x61, 0, 0x62, 0, 0x63, 0]));
      await reg.writeValue(key, 'embedded nul', sz([0x61, 0, 0, 0, 0x62, 0, 0, 0]));
      await reg.writeValue(key, 'leading nul', sz([0, 0, 0x62, 0, 0, 0]));
      await reg.writeValue(key, 'odd length', sz([0x61, 0, 0x62, 0, 0x63]));
      await reg.writeValue(key, 'no bytes', sz([]));
      await reg.writeValue(key, 'empty dword', { type: 'REG_DWORD', data: Buffer.alloc(0) });
      const exported = await reg.exportKey(key);
      await reg.close();
      assert.ok(exported.includes('"unterminated"="ab"\r\n'), exported);

      const file = path.join(tempDir('regfiles'), 'wine.reg');
      const exportedByWine = wineReg(prefix, ['export', key, wineDrivePath(file), '/y']);
      assert.equal(exportedByWine.status, 0, `wine reg export: ${exportedByWine.stdout}`);
      assert.equal(fs.readFileSync(file).subarray(2).toString('utf16le'), exported);
    },
  );

  itHiveStore(
    "Wine's export of a real prefix's HKLM\\Software (2.5 MB) imports into a store that exports it back unchanged",
    'runs Wine on a prefix from Linux',
    async function () {
      this.timeout(300_000);
      const prefix = runnableCopyOfRealPrefix();
      const file = path.join(tempDir('regfiles'), 'software.reg');
      const exportedByWine = wineReg(prefix, ['export', 'HKLM\\Software', wineDrivePath(file), '/y']);
      assert.equal(exportedByWine.status, 0, `wine reg export: ${exportedByWine.stdout}`);
      const wineText = fs.readFileSync(file).subarray(2).toString('utf16le');
      assert.ok(wineText.length > 1_000_000, `only ${wineText.length} characters`);

      // Every kind of line Wine writes for real keys (classes, links followed, every type) reads back as it was.
      await t.reg.importRegFile(wineText);
      assert.equal(await t.reg.exportKey('HKLM\\Software'), wineText);
    },
  );
});
