// After close(), every method fails with ERR_CLOSED and a message naming the method the caller called — in the async
// API of both modes and in the synchronous API, whose native functions have other names.
import * as assert from 'node:assert/strict';

import { openRegistrySync, Registry, RegistrySync } from 'regbridge';

import { describeEachMode, rejectsWith, repoRoot, storePrefix, testKey, throwsWith } from './00.setup';

const key = testKey('closed');

type Spec = { params: readonly { name: string; kind: string }[] };
const { operationSpecs } = require(`${repoRoot}/dist/generated/operations.js`) as {
  operationSpecs: Record<string, Spec>;
};

/** A valid argument of each positional kind (options are left out: their defaults are valid). */
const validArgument: Record<string, unknown> = {
  string: key,
  value: { type: 'REG_SZ', data: 'x' },
  nullableValue: null,
};

/**
 * Valid arguments for every operation of the handler table, from its spec, so that nothing but the closed store can
 * fail them; a new operation is covered with nothing written here.
 */
const argumentsOf: Record<string, unknown[]> = Object.fromEntries(
  Object.entries(operationSpecs).map(([method, spec]) => [
    method,
    spec.params.filter((param) => param.kind in validArgument).map((param) => validArgument[param.kind]),
  ]),
);

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
