// compareAndSetValue: a write that happens only if the value is still the one the caller read (or, with null, does
// not exist yet), checked and written in one step. What counts as equal, the refusal (ERR_VALUE_CHANGED, nothing
// written), bad arguments (the same messages in both modes), the sync API, and the use it exists for: increments
// from several processes, each a read and a compareAndSetValue retried on ERR_VALUE_CHANGED, lose nothing.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import { openRegistry, openRegistrySync, Registry } from 'regbridge';
import type { Mode } from 'regbridge';

import { describeEachMode, loose, rejectsWith, repoRoot, storePrefix, testKey, throwsWith } from './00.setup';

const key = testKey('cas');

/** The ERR_VALUE_CHANGED message for value `name` of `key`, with its reason. */
function changed(name: string, why: string): RegExp {
  const escaped = `the value '${name}' of key '${key}' is not the expected one: ${why}; read it again and retry`;
  return new RegExp(`^${escaped.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`);
}

describeEachMode('21 compareAndSetValue', function (t) {
  it('writes when the value is as expected; otherwise fails with ERR_VALUE_CHANGED and writes nothing', async function () {
    await t.reg.writeValue(key, 'n', { type: 'REG_DWORD', data: 1 });
    await t.reg.compareAndSetValue(key, 'n', { type: 'REG_DWORD', data: 1 }, { type: 'REG_DWORD', data: 2 });
    assert.deepEqual(await t.reg.readValue(key, 'n'), { type: 'REG_DWORD', data: 2 });
    const error = await rejectsWith(
      t.reg.compareAndSetValue(key, 'n', { type: 'REG_DWORD', data: 1 }, { type: 'REG_DWORD', data: 3 }),
      'ERR_VALUE_CHANGED',
      changed('n', 'its type or data differ'),
    );
    assert.equal(error.key, key);
    assert.equal(error.valueName, 'n');
    assert.deepEqual(await t.reg.readValue(key, 'n'), { type: 'REG_DWORD', data: 2 });
    // Another registry on the same prefix reads what is stored: the refused write left no trace.
    const other = await t.open(t.prefix);
    assert.deepEqual(await other.readValue(key, 'n'), { type: 'REG_DWORD', data: 2 });
  });

  it('null expects no value yet: create-if-absent, keys included', async function () {
    const deep = `${key}\\new\\deeper`;
    await t.reg.compareAndSetValue(deep, 'owner', null, { type: 'REG_SZ', data: 'first' });
    assert.equal(await t.reg.readStringValue(deep, 'owner'), 'first');
    await rejectsWith(
      t.reg.compareAndSetValue(deep, 'owner', null, { type: 'REG_SZ', data: 'second' }),
      'ERR_VALUE_CHANGED',
      /^the value 'owner' of key '.*deeper' is not the expected one: it exists, and was expected not to; /,
    );
    assert.equal(await t.reg.readStringValue(deep, 'owner'), 'first');
    // A value expected but gone (or never there) is a change too, and creates no key.
    await rejectsWith(
      t.reg.compareAndSetValue(`${key}\\absent`, 'v', { type: 'REG_SZ', data: 'x' }, { type: 'REG_SZ', data: 'y' }),
      'ERR_VALUE_CHANGED',
      /is not the expected one: it does not exist; /,
    );
    assert.equal(await t.reg.keyExists(`${key}\\absent`), false);
  });

  it('what a read returned, raw or typed, matches as long as nobody changed the value', async function () {
    // Stored forms a typed read normalises: a REG_SZ without its final NUL, a REG_MULTI_SZ with an empty item.
    await t.reg.writeValue(key, 's', { type: 'REG_SZ', data: Buffer.from('abc', 'utf16le') });
    await t.reg.writeValue(key, 'm', { type: 'REG_MULTI_SZ', data: Buffer.from('a\0\0b\0\0', 'utf16le') });
    await t.reg.writeValue(key, 'q', { type: 'REG_QWORD', data: 2n ** 64n - 1n });
    for (const name of ['s', 'm', 'q']) {
      const typed = await t.reg.readValue(key, name);
      const raw = await t.reg.readValue(key, name, { raw: true });
      await t.reg.compareAndSetValue(key, name, typed, raw); // the same bytes again
      await t.reg.compareAndSetValue(key, name, raw, { type: 'REG_DWORD', data: 5 });
      assert.deepEqual(await t.reg.readValue(key, name), { type: 'REG_DWORD', data: 5 });
    }
    // Typed data compares as a read gives it: raw FF FF FF FF is DWORD 4294967295, a QWORD may be a number or a bigint.
    await t.reg.writeValue(key, 'd', { type: 'REG_DWORD', data: Buffer.from([0xff, 0xff, 0xff, 0xff]) });
    await t.reg.compareAndSetValue(key, 'd', { type: 'REG_DWORD', data: 4294967295 }, { type: 'REG_QWORD', data: 7 });
    await t.reg.compareAndSetValue(key, 'd', { type: 'REG_QWORD', data: 7n }, { type: 'REG_QWORD', data: 8n });
    // The type counts, and raw bytes must be the stored ones exactly.
    await t.reg.writeValue(key, 'e', { type: 'REG_EXPAND_SZ', data: '%HOME%' });
    await rejectsWith(
      t.reg.compareAndSetValue(key, 'e', { type: 'REG_SZ', data: '%HOME%' }, { type: 'REG_SZ', data: 'x' }),
      'ERR_VALUE_CHANGED',
    );
    await rejectsWith(
      t.reg.compareAndSetValue(
        key,
        'e',
        { type: 'REG_EXPAND_SZ', data: Buffer.from('%HOME%', 'utf16le') },
        {
          type: 'REG_SZ',
          data: 'x',
        },
      ),
      'ERR_VALUE_CHANGED',
    );
    assert.deepEqual(await t.reg.readValue(key, 'e'), { type: 'REG_EXPAND_SZ', data: '%HOME%' });
  });

  it('bad arguments fail with ERR_INVALID_ARGUMENT, the same message in both modes, and write nothing', async function () {
    const dword = { type: 'REG_DWORD', data: 1 };
    const expectedArg = "compareAndSetValue: argument 3 'expected'";
    const valueArg = "compareAndSetValue: argument 4 'value'";
    const compare = `cannot compare value 'n' of key '${key}' with the expected one:`;
    const write = `cannot write value 'n' of key '${key}':`;
    const cases: Array<[unknown[], string]> = [
      [[key, 'n', undefined, dword], `${expectedArg} must be an object { type, data } or null, got undefined`],
      [[key, 'n', 'x', dword], `${expectedArg} must be an object { type, data } or null, got a string`],
      [[key, 'n', [], dword], `${expectedArg} must be an object { type, data } or null, got an array`],
      [[key, 'n', null, null], `${valueArg} must be an object { type, data }, got null`],
      [[key, 'n', null, undefined], `${valueArg} must be an object { type, data }, got undefined`],
      [[key, 7, null, dword], "compareAndSetValue: argument 2 'name' must be a string, got a number"],
      [
        [key, 'n', { type: 'REG_BOGUS', data: 1 }, dword],
        `${expectedArg}: unknown value type 'REG_BOGUS'; use a name from REG_NONE to REG_QWORD or a number from 0 to 4294967295`,
      ],
      [
        [key, 'n', { type: 'REG_DWORD', data: 1.5 }, dword],
        `${expectedArg}: data must be a safe integer when it is a number, got 1.5; use a bigint for large REG_QWORD data`,
      ],
      [
        [key, 'n', { type: 'REG_QWORD', data: '12x' }, dword],
        `${compare} data for REG_QWORD given as a string must be a decimal number from 0 to 18446744073709551615, not '12x'`,
      ],
      [
        [key, 'n', { type: 'REG_QWORD', data: ['1'] }, dword],
        `${compare} data for REG_QWORD must be a bigint, a number, a decimal string or a Buffer`,
      ],
      [[key, 'n', { type: 'REG_SZ', data: 5n }, dword], `${compare} data for REG_SZ must be a string or a Buffer`],
      [
        [key, 'n', { type: 'REG_DWORD', data: 'x' }, dword],
        `${compare} data for REG_DWORD must be a number or a Buffer`,
      ],
      [
        [key, 'n', { type: 'REG_DWORD', data: 2 ** 32 }, dword],
        `${compare} data for REG_DWORD must be from 0 to 4294967295, not 4294967296`,
      ],
      [[key, 'n', null, { type: 'REG_SZ', data: 5n }], `${write} data for REG_SZ must be a string or a Buffer`],
      // Every argument's shape is checked before any data is held against its type, in both modes.
      [
        [key, 'n', { type: 'REG_QWORD', data: '12' }, 'not a value'],
        `${valueArg} must be an object { type, data }, got a string`,
      ],
      // `expected` is checked before `value`.
      [
        [key, 'n', { type: 'REG_SZ', data: 5n }, { type: 'REG_QWORD', data: 'x' }],
        `${compare} data for REG_SZ must be a string or a Buffer`,
      ],
    ];
    for (const [args, message] of cases) {
      const error = await rejectsWith(() => loose(t.reg).compareAndSetValue(...args), 'ERR_INVALID_ARGUMENT');
      assert.equal(error.message, message, `arguments ${String(args[2])}, ${String(args[3])}`);
    }
    // A REG_MULTI_SZ value with an empty item is refused as writeValue refuses it; in `expected` it is fine (a typed
    // read returns such items), so the value alone is named.
    const list = (...items: string[]) => ({ type: 'REG_MULTI_SZ' as const, data: items });
    await rejectsWith(
      t.reg.compareAndSetValue(key, 'n', list('a', ''), list('b', '')),
      'ERR_INVALID_ARGUMENT',
      /^cannot write value 'n' of key '.*': string 1 of the REG_MULTI_SZ data is empty/,
    );
    await rejectsWith(t.reg.compareAndSetValue('HKXX\\a', 'n', null, loose(dword)), 'ERR_INVALID_PATH');
    assert.equal(await t.reg.keyExists(key), false);
  });
});

describe('21 compareAndSetValue [sync]', function () {
  it('the same call, answered before it returns', function () {
    const reg = openRegistrySync({ prefix: storePrefix() });
    try {
      reg.compareAndSetValue(key, 'n', null, { type: 'REG_DWORD', data: 1 });
      reg.compareAndSetValue(key, 'n', reg.readValue(key, 'n'), { type: 'REG_DWORD', data: 2 });
      const error = throwsWith(
        () => reg.compareAndSetValue(key, 'n', { type: 'REG_DWORD', data: 1 }, { type: 'REG_DWORD', data: 3 }),
        'ERR_VALUE_CHANGED',
        changed('n', 'its type or data differ'),
      );
      assert.equal(error.valueName, 'n');
      throwsWith(() => reg.compareAndSetValue(key, 'n', null, { type: 'REG_DWORD', data: 3 }), 'ERR_VALUE_CHANGED');
      throwsWith(
        () => reg.compareAndSetValue(key, 'n', loose(undefined), { type: 'REG_DWORD', data: 3 }),
        'ERR_INVALID_ARGUMENT',
      );
      assert.deepEqual(reg.readValue(key, 'n'), { type: 'REG_DWORD', data: 2 });
    } finally {
      reg.close();
    }
  });
});

/** A child Node process of the test: ready once it has started, go() lets it work, done gives what it printed. */
interface Child {
  ready: Promise<void>;
  go(): void;
  done: Promise<number>;
}

/**
 * A child Node process that adds 1 to the REG_DWORD `count` `increments` times, each a read and a compareAndSetValue
 * retried on ERR_VALUE_CHANGED; it waits for go() and reports how many retries it needed.
 */
function incrementer(mode: Mode, prefix: string | undefined, increments: number): Child {
  const code = `
    const { openRegistry } = require('regbridge');
    const key = ${JSON.stringify(key)};
    async function increment(reg) {
      for (let retries = 0; ; retries++) {
        let seen = null;
        try {
          seen = await reg.readValue(key, 'count');
        } catch (e) {
          if (e.code !== 'ERR_KEY_NOT_FOUND' && e.code !== 'ERR_VALUE_NOT_FOUND') throw e;
        }
        const next = { type: 'REG_DWORD', data: seen === null ? 1 : seen.data + 1 };
        try {
          await reg.compareAndSetValue(key, 'count', seen, next);
          return retries;
        } catch (e) {
          if (e.code !== 'ERR_VALUE_CHANGED') throw e;
        }
      }
    }
    (async () => {
      const reg = await openRegistry(${JSON.stringify({ mode, prefix })});
      console.log('ready');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      let retries = 0;
      for (let i = 0; i < ${increments}; i++) retries += await increment(reg);
      await reg.close();
      console.log(JSON.stringify({ retries }));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', code], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      if (out.startsWith('ready\n')) resolve();
    });
    void exited.then((exitCode) => reject(new Error(`incrementer exited ${exitCode} before it was ready: ${err}`)));
  });
  const done = exited.then((exitCode) => {
    const last = out.trim().split('\n').pop() ?? '';
    if (exitCode !== 0 || !last.startsWith('{')) throw new Error(`incrementer exited ${exitCode}: ${out}${err}`);
    return (JSON.parse(last) as { retries: number }).retries;
  });
  return { ready, go: () => child.stdin.end('go\n'), done };
}

for (const mode of ['in-process', 'pipe'] as const) {
  describe(`21 compareAndSetValue across processes [${mode}]`, function () {
    it('2 processes x 200 increments, each retried on ERR_VALUE_CHANGED, end at exactly 400', async function () {
      const prefix = storePrefix();
      const children = [incrementer(mode, prefix, 200), incrementer(mode, prefix, 200)];
      // Both open their registry first and then start together, so that their increments overlap.
      await Promise.all(children.map((child) => child.ready));
      for (const child of children) child.go();
      const retries = await Promise.all(children.map((child) => child.done));
      const reg: Registry = await openRegistry({ mode, prefix });
      try {
        assert.deepEqual(await reg.readValue(key, 'count'), { type: 'REG_DWORD', data: 400 });
      } finally {
        await reg.close();
      }
      // Reported, not asserted: how often the two collide depends on the scheduler.
      console.log(`      400 increments from 2 ${mode} processes needed ${retries[0]} + ${retries[1]} retries`);
    });
  });
}
