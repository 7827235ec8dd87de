// Every key and value of a fresh `wineboot -i` prefix, walked through the public API, against what an independent
// reader of Wine's format (support/wineRegReader.ts, which shares no code with the C++ parser) finds in the files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync, valueTypeNames } from 'regbridge';
import type { Registry, RegValue } from 'regbridge';

import { copyOfRealPrefix, describeEachMode } from './00.setup';
import { readWineHive, StoredHive } from './support/wineRegReader';

/** A type name's code: its index in valueTypeNames (REG_NONE is 0, REG_QWORD 11). */
const typeCodes: Record<string, number> = Object.fromEntries(valueTypeNames.map((name, code) => [name, code]));

function typeCode(type: RegValue['type']): number {
  return typeof type === 'number' ? type : typeCodes[type];
}

const hives: Array<{ file: string; root: string }> = [
  { file: 'system.reg', root: 'HKLM' },
  { file: 'user.reg', root: 'HKCU' },
  { file: 'userdef.reg', root: 'HKU\\.Default' },
];

/** Walks one hive key by key; returns how many keys and values it compared. */
async function compareHive(reg: Registry, stored: StoredHive, root: string): Promise<{ keys: number; values: number }> {
  let keys = 0;
  let values = 0;
  const walk = async (relative: string, apiPath: string): Promise<void> => {
    const key = stored.get(relative)!;
    const options = { openLink: true };
    assert.deepEqual(await reg.listSubkeys(apiPath, options), key.subkeys, `subkeys of ${apiPath}`);
    const listed = await reg.listValues(apiPath, { raw: true, openLink: true });
    assert.deepEqual(
      listed.map((v) => ({ name: v.name, type: typeCode(v.type), bytes: Buffer.from(v.data as Buffer) })),
      key.values.map((v) => ({ name: v.name, type: v.type, bytes: v.bytes })),
      `values of ${apiPath}`,
    );
    if (key.isLink || key.className !== undefined) {
      const info = await reg.getKeyInfo(apiPath, options);
      assert.equal(info.className, key.className, `class of ${apiPath}`);
      assert.equal(info.linkTarget !== undefined, key.isLink, `link flag of ${apiPath}`);
    }
    keys += 1;
    values += key.values.length;
    for (const name of key.subkeys) {
      const childRelative = relative === '' ? name.toLowerCase() : `${relative}\\${name.toLowerCase()}`;
      await walk(childRelative, `${apiPath}\\${name}`);
    }
  };
  await walk('', root);
  return { keys, values };
}

describeEachMode('10 wine prefix: every key and value as an independent reader sees them', function (t) {
  let prefix: string;
  let reg: Registry;

  before(function () {
    prefix = copyOfRealPrefix();
  });

  beforeEach(async function () {
    reg = await t.open(prefix);
  });

  for (const { file, root } of hives) {
    it(`${file} through ${root}`, async function () {
      const stored = readWineHive(fs.readFileSync(path.join(prefix, file), 'utf8'));
      const counted = await compareHive(reg, stored, root);
      assert.equal(counted.keys, stored.size);
      // A sanity floor, so that a reader that found nothing cannot pass: wineboot writes thousands of keys.
      if (file === 'system.reg') assert.ok(counted.keys > 5000 && counted.values > 10000, JSON.stringify(counted));
    });
  }

  it('reads the product name, async and sync', async function () {
    const key = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
    const expected = /^Microsoft Windows/;
    assert.match(await reg.readStringValue(key, 'ProductName'), expected);
    const sync = openRegistrySync({ prefix });
    try {
      assert.equal(sync.readStringValue(key, 'ProductName'), await reg.readStringValue(key, 'ProductName'));
    } finally {
      sync.close();
    }
  });
});
