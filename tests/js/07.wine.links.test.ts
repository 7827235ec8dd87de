// A real prefix made by `wineboot -i`: its values read as Wine wrote them, and its symbolic link keys
// (Time Zones under Windows\CurrentVersion points to Windows NT\CurrentVersion) followed or opened with openLink.
import * as assert from 'node:assert/strict';

import type { Registry } from 'regbridge';

import { copyOfRealPrefix, describeEachMode } from './00.setup';

const link = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Time Zones';
const target = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones';
const targetInRegistry = '\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones';

describeEachMode('07 wine prefix: links and openLink', function (t) {
  let reg: Registry;

  beforeEach(async function () {
    reg = await t.open(copyOfRealPrefix());
  });

  it('reads what wineboot wrote', async function () {
    const current = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
    assert.equal(await reg.readStringValue(current, 'CurrentVersion'), '6.1');
    assert.deepEqual(await reg.readValue(`${target}\\Pacific Standard Time`, 'Std'), {
      type: 'REG_SZ',
      data: 'Pacific Standard Time',
    });
    const tzi = await reg.readValue(`${target}\\Pacific Standard Time`, 'TZI');
    assert.equal(tzi.type, 'REG_BINARY');
    assert.equal((tzi.data as Buffer).length, 44);
  });

  it('follows a link key to its target', async function () {
    assert.deepEqual(await reg.listSubkeys(link), await reg.listSubkeys(target));
    assert.ok((await reg.listSubkeys(link)).includes('Pacific Standard Time'));
    assert.deepEqual(
      await reg.readValue(`${link}\\Pacific Standard Time`, 'Display'),
      await reg.readValue(`${target}\\Pacific Standard Time`, 'Display'),
    );
    const info = await reg.getKeyInfo(link);
    assert.equal(info.subkeyCount, (await reg.getKeyInfo(target)).subkeyCount);
    assert.ok(info.subkeyCount > 100);
    assert.equal('linkTarget' in info, false);
  });

  it('openLink opens the link key itself', async function () {
    const info = await reg.getKeyInfo(link, { openLink: true });
    assert.equal(info.linkTarget, targetInRegistry);
    assert.equal(info.subkeyCount, 0);
    assert.equal(info.valueCount, 1);
    assert.deepEqual(await reg.listSubkeys(link, { openLink: true }), []);
    const stored = Buffer.from(targetInRegistry, 'utf16le');
    assert.deepEqual(await reg.readValue(link, 'SymbolicLinkValue', { openLink: true }), {
      type: 'REG_LINK',
      data: stored,
    });
    assert.deepEqual(await reg.listValues(link, { openLink: true }), [
      { name: 'SymbolicLinkValue', type: 'REG_LINK', data: stored },
    ]);
  });

  it('without openLink the link value is not visible', async function () {
    await assert.rejects(reg.readValue(link, 'SymbolicLinkValue'), { code: 'ERR_VALUE_NOT_FOUND' });
  });

  it('writes through a link land in the target', async function () {
    await reg.writeValue(`${link}\\Pacific Standard Time`, 'regbridge', { type: 'REG_SZ', data: 'via link' });
    assert.equal(await reg.readStringValue(`${target}\\Pacific Standard Time`, 'regbridge'), 'via link');
  });
});
