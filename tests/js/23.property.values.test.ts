// Property: a value of any type — strings of any characters (astral ones and NULs included), REG_MULTI_SZ lists,
// DWORDs over their whole range, QWORDs up to 2^64-1, bytes under every other type code — with any value name reads
// back exactly as written: at once, listed, raw and written back, and from the saved hive by a second registry.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';

import type { Registry } from 'regbridge';

import { describeEachMode, testKey } from './00.setup';
import { fewerRuns, settings, valueCase, valueName } from './support/properties';
import type { ValueCase } from './support/properties';

describeEachMode('23 property: values', function (t) {
  const key = testKey('property-values');
  let other: Registry;
  beforeEach(async function () {
    other = await t.open(t.prefix);
  });

  async function roundTrip(name: string, value: ValueCase): Promise<void> {
    // From an empty key: a run that failed (while fast-check shrinks its input, say) leaves its values behind.
    if (await t.reg.keyExists(key)) await t.reg.deleteKey(key, { recursive: true });
    await t.reg.writeValue(key, name, value.input);
    assert.deepEqual(await t.reg.readValue(key, name), value.expected);
    // The key holds this value only, so the listing is exactly it, name included.
    assert.deepEqual(await t.reg.listValues(key), [{ name, ...value.expected }]);
    assert.deepEqual(await other.readValue(key, name), value.expected, 'read back from the saved hive');
    assert.deepEqual(await other.listValues(key), [{ name, ...value.expected }], 'listed from the saved hive');

    // A raw read written back under another name is the same value, typed and raw.
    const raw = await t.reg.readValue(key, name, { raw: true });
    assert.equal(raw.type, value.expected.type);
    assert.ok(Buffer.isBuffer(raw.data));
    const copy = `${name}\u{1F4CB}`; // one character longer, so never the same name in any case
    await t.reg.writeValue(key, copy, raw);
    assert.deepEqual(await other.readValue(key, copy, { raw: true }), raw);
    assert.deepEqual(await other.readValue(key, copy), value.expected);
    if (typeof value.expected.data === 'string')
      assert.equal(await other.readStringValue(key, name), value.expected.data);
  }

  it('every type round-trips exactly, through the saved hive too', async function () {
    this.timeout(0); // each run has its own time limit (settings)
    await fc.assert(fc.asyncProperty(valueName(), valueCase(), roundTrip), settings());
  });

  it('long strings, long lists and large byte arrays round-trip exactly', async function () {
    this.timeout(0);
    await fc.assert(fc.asyncProperty(valueName(300), valueCase(true), roundTrip), settings(fewerRuns(4)));
  });
});
