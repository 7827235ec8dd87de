// Option objects are checked at the API edge: wrong types, unknown and misspelled keys are ERR_INVALID_ARGUMENT
// with a message naming the call and the option.
import * as assert from 'node:assert/strict';

import { openRegistry, openRegistrySync } from 'regbridge';

import { describeEachMode, loose, rejectsWith, tempPrefix, testKey, throwsWith } from './00.setup';

describe('02 options: openRegistry and openRegistrySync', function () {
  it('rejects options that are not an object', async function () {
    for (const options of [5, 'in-process', null, [], true]) {
      await rejectsWith(
        openRegistry(loose(options)),
        'ERR_INVALID_ARGUMENT',
        /openRegistry: options must be an object/,
      );
      throwsWith(() => openRegistrySync(loose(options)), 'ERR_INVALID_ARGUMENT', /openRegistrySync: options must be/);
    }
  });

  it('names a misspelled option and suggests the right one', async function () {
    await rejectsWith(
      openRegistry(loose({ prefx: tempPrefix() })),
      'ERR_INVALID_ARGUMENT',
      /unknown option 'prefx' \(did you mean 'prefix'\?\)/,
    );
    await rejectsWith(openRegistry(loose({ Mode: 'pipe' })), 'ERR_INVALID_ARGUMENT', /did you mean 'mode'/);
    await rejectsWith(
      openRegistry(loose({ colour: 1 })),
      'ERR_INVALID_ARGUMENT',
      /unknown option 'colour'; the options/,
    );
    throwsWith(() => openRegistrySync(loose({ perfix: 'x' })), 'ERR_INVALID_ARGUMENT', /did you mean 'prefix'/);
  });

  it('checks mode and prefix', async function () {
    await rejectsWith(
      openRegistry(loose({ mode: 'inprocess' })),
      'ERR_INVALID_ARGUMENT',
      /'mode' must be 'in-process' or 'pipe', got 'inprocess'/,
    );
    await rejectsWith(openRegistry(loose({ mode: 1 })), 'ERR_INVALID_ARGUMENT', /got a number/);
    await rejectsWith(
      openRegistry(loose({ prefix: 42 })),
      'ERR_INVALID_ARGUMENT',
      /'prefix' must be a non-empty string/,
    );
    await rejectsWith(openRegistry({ prefix: '' }), 'ERR_INVALID_ARGUMENT', /'prefix' must be a non-empty string/);
    throwsWith(() => openRegistrySync(loose({ prefix: null })), 'ERR_INVALID_ARGUMENT', /got null/);
  });

  it('openRegistrySync has no mode option', function () {
    throwsWith(() => openRegistrySync(loose({ mode: 'in-process' })), 'ERR_INVALID_ARGUMENT', /no 'mode' option/);
  });
});

describeEachMode('02 options: per-call options', function (t) {
  const key = testKey('options');

  beforeEach(async function () {
    await t.reg.writeValue(key, 'v', { type: 'REG_SZ', data: 'x' });
  });

  it('rejects unknown and misspelled keys of read options', async function () {
    await rejectsWith(
      t.reg.readValue(key, 'v', loose({ Raw: true })),
      'ERR_INVALID_ARGUMENT',
      /readValue: unknown option 'Raw' \(did you mean 'raw'\?\)/,
    );
    await rejectsWith(
      t.reg.listValues(key, loose({ openlink: true })),
      'ERR_INVALID_ARGUMENT',
      /listValues: .*did you mean 'openLink'/,
    );
    await rejectsWith(
      t.reg.listSubkeys(key, loose({ raw: true })),
      'ERR_INVALID_ARGUMENT',
      /listSubkeys: unknown option 'raw'/,
    );
    await rejectsWith(
      t.reg.getKeyInfo(key, loose({ follow: true })),
      'ERR_INVALID_ARGUMENT',
      /getKeyInfo: unknown option 'follow'/,
    );
    await rejectsWith(
      t.reg.deleteKey(key, loose({ recursve: true })),
      'ERR_INVALID_ARGUMENT',
      /deleteKey: .*did you mean 'recursive'/,
    );
  });

  it('rejects options of the wrong type', async function () {
    await rejectsWith(
      t.reg.readValue(key, 'v', loose({ raw: 'yes' })),
      'ERR_INVALID_ARGUMENT',
      /option 'raw' must be a boolean, got a string/,
    );
    await rejectsWith(
      t.reg.readValue(key, 'v', loose('raw')),
      'ERR_INVALID_ARGUMENT',
      /readValue: options must be an object/,
    );
    await rejectsWith(
      t.reg.deleteKey(key, loose({ recursive: 1 })),
      'ERR_INVALID_ARGUMENT',
      /'recursive' must be a boolean/,
    );
    await rejectsWith(t.reg.listSubkeys(key, loose(null)), 'ERR_INVALID_ARGUMENT', /got null/);
  });

  it('a rejected option changes nothing', async function () {
    await rejectsWith(t.reg.deleteKey(key, loose({ recursiv: true })), 'ERR_INVALID_ARGUMENT');
    assert.equal(await t.reg.keyExists(key), true);
  });

  it('undefined options and undefined members mean the defaults', async function () {
    const plain = await t.reg.readValue(key, 'v', undefined);
    const explicit = await t.reg.readValue(key, 'v', { raw: undefined, openLink: undefined });
    assert.deepEqual(plain, { type: 'REG_SZ', data: 'x' });
    assert.deepEqual(explicit, { type: 'REG_SZ', data: 'x' });
  });
});
