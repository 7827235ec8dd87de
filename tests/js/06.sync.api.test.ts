// The synchronous API (in-process only): the same calls, plain results, errors thrown at once.
import * as assert from 'node:assert/strict';

import { openRegistry, openRegistrySync, RegistryError, RegistrySync } from 'regbridge';

import { loose, storePrefix, testKey, throwsWith } from './00.setup';

describe('06 sync API', function () {
  let prefix: string | undefined;
  let reg: RegistrySync;
  const key = testKey('sync');

  beforeEach(function () {
    prefix = storePrefix();
    reg = openRegistrySync({ prefix });
  });

  afterEach(function () {
    reg.close();
  });

  it('writes and reads every kind of value', function () {
    reg.writeValue(key, 'sz', { type: 'REG_SZ', data: 'text 😀' });
    reg.writeValue(key, 'multi', { type: 'REG_MULTI_SZ', data: ['a', 'b'] });
    reg.writeValue(key, 'dw', { type: 'REG_DWORD', data: 0xffffffff });
    reg.writeValue(key, 'qw', { type: 'REG_QWORD', data: 2n ** 64n - 1n });
    reg.writeValue(key, 'bin', { type: 0xffff0011, data: Buffer.from([1, 2]) });
    assert.equal(reg.readStringValue(key, 'sz'), 'text 😀');
    assert.deepEqual(reg.readValue(key, 'multi'), { type: 'REG_MULTI_SZ', data: ['a', 'b'] });
    assert.deepEqual(reg.readValue(key, 'dw'), { type: 'REG_DWORD', data: 0xffffffff });
    assert.deepEqual(reg.readValue(key, 'qw'), { type: 'REG_QWORD', data: 2n ** 64n - 1n });
    assert.deepEqual(reg.readValue(key, 'bin'), { type: 0xffff0011, data: Buffer.from([1, 2]) });
    assert.deepEqual(reg.readValue(key, 'dw', { raw: true }), { type: 'REG_DWORD', data: Buffer.alloc(4, 0xff) });
    assert.equal(reg.listValues(key).length, 5);
    assert.ok(reg.listValues(key, { raw: true }).every((value) => Buffer.isBuffer(value.data)));
  });

  it('creates, lists, inspects and deletes keys', function () {
    reg.createKey(`${key}\\a\\b`);
    reg.createKey(`${key}\\a\\b`);
    assert.equal(reg.keyExists(`${key}\\a\\b`), true);
    assert.deepEqual(reg.listSubkeys(key), ['a']);
    reg.writeValue(`${key}\\a`, 'v', { type: 'REG_SZ', data: 'x' });
    const info = reg.getKeyInfo(`${key}\\a`);
    assert.equal(info.subkeyCount, 1);
    assert.equal(info.valueCount, 1);
    assert.ok(info.lastWriteTime instanceof Date);
    reg.deleteValue(`${key}\\a`, 'v');
    assert.equal(reg.getKeyInfo(`${key}\\a`).valueCount, 0);
    throwsWith(() => reg.deleteKey(`${key}\\a`), 'ERR_KEY_HAS_SUBKEYS');
    reg.deleteKey(`${key}\\a`, { recursive: true });
    assert.equal(reg.keyExists(`${key}\\a`), false);
    assert.equal(reg.flush(), undefined);
  });

  it('throws RegistryErrors synchronously, with key and value name', function () {
    reg.writeValue(key, 'dw', { type: 'REG_DWORD', data: 1 });
    const wrongType = throwsWith(() => reg.readStringValue(key, 'dw'), 'ERR_WRONG_TYPE');
    assert.equal(wrongType.key, key);
    assert.equal(wrongType.valueName, 'dw');
    throwsWith(() => reg.readValue(key, 'missing'), 'ERR_VALUE_NOT_FOUND');
    throwsWith(() => reg.readValue(testKey('missing'), 'v'), 'ERR_KEY_NOT_FOUND');
    throwsWith(() => reg.listSubkeys('HKCU\\\\x'), 'ERR_INVALID_PATH');
    throwsWith(() => reg.readStringValue(loose(1), 'v'), 'ERR_INVALID_ARGUMENT', /'key' must be a string/);
    throwsWith(() => reg.writeValue(key, 'v', loose({ type: 'REG_SZ', data: 1 })), 'ERR_INVALID_ARGUMENT');
    throwsWith(() => reg.readValue(key, 'dw', loose({ raww: true })), 'ERR_INVALID_ARGUMENT', /did you mean 'raw'/);
    throwsWith(() => reg.deleteKey('HKCU'), 'ERR_ACCESS_DENIED');
  });

  it('the stack of a thrown error starts at the failing call', function () {
    try {
      reg.readValue(testKey('missing'), 'v');
      assert.fail('no throw');
    } catch (error) {
      assert.ok(error instanceof RegistryError);
      assert.match(String(error.stack), /^RegistryError: /);
      assert.doesNotMatch(String(error.stack).split('\n')[1], /toRegistryError/);
    }
  });

  it('sees what the async API wrote on the same prefix, and the other way round', async function () {
    const async = await openRegistry({ mode: 'in-process', prefix });
    try {
      await async.writeValue(key, 'fromAsync', { type: 'REG_SZ', data: 'a' });
      assert.equal(reg.readStringValue(key, 'fromAsync'), 'a');
      reg.writeValue(key, 'fromSync', { type: 'REG_SZ', data: 's' });
      assert.equal(await async.readStringValue(key, 'fromSync'), 's');
    } finally {
      await async.close();
    }
  });

  it('after close every call throws ERR_CLOSED', function () {
    reg.close();
    throwsWith(() => reg.keyExists('HKCU'), 'ERR_CLOSED');
    throwsWith(() => reg.readStringValue(key, 'v'), 'ERR_CLOSED');
    throwsWith(() => reg.writeValue(key, 'v', { type: 'REG_SZ', data: '' }), 'ERR_CLOSED');
  });
});
