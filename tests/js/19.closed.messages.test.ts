// After close(), every method fails with ERR_CLOSED and a message naming the method the caller called — in the async
// API of both modes and in the synchronous API, whose native functions have other names.
import * as assert from 'node:assert/strict';

import { openRegistrySync, Registry, RegistrySync } from 'regbridge';

import { describeEachMode, rejectsWith, storePrefix, testKey, throwsWith } from './00.setup';

const key = testKey('closed');

/** Valid arguments for every method but close(), so that nothing but the closed store can fail them. */
const argumentsOf: Record<string, unknown[]> = {
  readStringValue: [key, 'v'],
  readValue: [key, 'v', { raw: true }],
  listValues: [key, { openLink: false }],
  listSubkeys: [key],
  keyExists: [key],
  getKeyInfo: [key],
  writeValue: [key, 'v', { type: 'REG_SZ', data: 'x' }],
  compareAndSetValue: [key, 'v', null, { type: 'REG_SZ', data: 'x' }],
  deleteValue: [key, 'v'],
  createKey: [key],
  deleteKey: [key, { recursive: true }],
  flush: [],
  exportKey: [key],
  importRegFile: ['REGEDIT4\r\n'],
};

/** The methods of a registry object (its class's, not Object's), close() and the mode getter aside. */
function methodsOf(registry: object): string[] {
  const prototype = Object.getPrototypeOf(registry) as object;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor' && name !== 'close')
    .filter((name) => typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function')
    .sort();
}

describeEachMode('19 closed: ERR_CLOSED names the method called', function (fixture) {
  it('for every method of Registry', async function () {
    const reg: Registry = fixture.reg;
    assert.deepEqual(methodsOf(reg), Object.keys(argumentsOf).sort(), 'a method without a case here');
    await reg.close();
    for (const [method, args] of Object.entries(argumentsOf)) {
      const call = (reg as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
      const message = new RegExp(`^cannot call ${method}: the store is closed$`);
      await rejectsWith(call.apply(reg, args), 'ERR_CLOSED', message);
    }
  });
});

describe('19 closed: ERR_CLOSED names the method called [sync]', function () {
  it('for every method of RegistrySync', function () {
    const reg: RegistrySync = openRegistrySync({ prefix: storePrefix() });
    assert.deepEqual(methodsOf(reg), Object.keys(argumentsOf).sort(), 'a method without a case here');
    reg.close();
    for (const [method, args] of Object.entries(argumentsOf)) {
      const call = (reg as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      const error = throwsWith(
        () => call.apply(reg, args),
        'ERR_CLOSED',
        new RegExp(`^cannot call ${method}: the store is closed$`),
      );
      assert.match(error.stack ?? '', new RegExp(`^RegistryError: cannot call ${method}: `));
    }
  });
});
