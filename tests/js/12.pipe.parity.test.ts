// Both modes fail identically, word for word: every argument the addon refuses (addon/Marshal.cpp) is refused in pipe
// mode with the same code, message, key and value name, though the pipe client checks it in TypeScript and the server
// sees JSON. And what one mode stores, the other reads back the same, lone surrogates included.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';

import { openRegistry } from 'regbridge';
import type { Registry } from 'regbridge';

import { loose, storePrefix, testKey } from './00.setup';

/** What a call did, in a form deepEqual can compare across modes. */
async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return { resolved: await call() };
  } catch (error) {
    const e = error as Error & { code?: unknown; key?: unknown; valueName?: unknown };
    return {
      rejected: e?.constructor?.name,
      code: e.code,
      message: e.message,
      key: e.key,
      valueName: e.valueName,
      own: Object.keys(e).sort(),
    };
  }
}

const key = testKey('parity');

/** Odd JS values of every kind, for arguments that want something else. */
const oddValues: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['true', true],
  ['42', 42],
  ['1.5', 1.5],
  ['NaN', NaN],
  ['1n', 1n],
  ['symbol', Symbol('s')],
  ['function', () => 1],
  ['object', { a: 1 }],
  ['String object', new String('HKCU')],
  ['array', ['HKCU']],
  ['Buffer', Buffer.from('HKCU')],
  ['Uint16Array', new Uint16Array(2)],
  ['ArrayBuffer', new ArrayBuffer(2)],
  ['SharedArrayBuffer', new SharedArrayBuffer(2)],
  ['DataView', new DataView(new ArrayBuffer(2))],
  ['Date', new Date(0)],
];

const types: unknown[] = [
  'REG_STRING',
  'reg_sz',
  '',
  'REG_SZ ',
  'bad \ud800 name',
  -1,
  2 ** 32,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  1e21,
  1e-7,
  123456789012345680000,
  0.1 + 0.2,
  -0.5,
  2 ** 53 + 2,
  undefined,
  null,
  1n,
  true,
  {},
  ['REG_SZ'],
  Symbol('t'),
];

const data: unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  1.5,
  2 ** 53,
  -(2 ** 53),
  1e21,
  1e-7,
  -1e-300,
  5e-324,
  2 ** 32,
  -(2 ** 31) - 1,
  -0,
  0,
  7,
  0xffffffff,
  -2147483648,
  -1,
  2 ** 53 - 1,
  -1n,
  0n,
  7n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 53n + 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 64n,
  '',
  '5',
  'text',
  '18446744073709551615',
  'a\ud800b',
  [],
  ['a', 1],
  [null],
  ['a', 'b', undefined],
  [{}],
  ['x', Symbol('e')],
  ['a\u0000b'],
  ['ok', 'ü'],
  new Int8Array(2),
  new Uint16Array(1),
  new Float64Array(1),
  new BigUint64Array(1),
  new Uint8ClampedArray([1, 2]),
  new Uint8Array([1]),
  Buffer.alloc(4, 1),
  Buffer.alloc(8, 2),
  new DataView(new ArrayBuffer(2)),
  new ArrayBuffer(2),
  new SharedArrayBuffer(2),
  {},
  { length: 1 },
  true,
  null,
  undefined,
  () => 1,
  Symbol('d'),
];

const dataTypes: unknown[] = [
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_MULTI_SZ',
  'REG_DWORD',
  'REG_DWORD_BIG_ENDIAN',
  'REG_QWORD',
  'REG_BINARY',
  'REG_NONE',
  'REG_LINK',
  11,
  4,
  0x1234,
  0xffffffff,
];

describe('12 pipe: both modes fail and succeed word for word alike', function () {
  let inProcess: Registry;
  let pipe: Registry;

  before(async function () {
    inProcess = await openRegistry({ mode: 'in-process', prefix: storePrefix() });
    pipe = await openRegistry({ mode: 'pipe', prefix: storePrefix() });
  });

  after(async function () {
    await inProcess.close();
    await pipe.close();
  });

  /** Runs `call` in both modes and asserts identical outcomes; returns the count of rejections. */
  async function same(label: string, call: (reg: Registry) => Promise<unknown>): Promise<boolean> {
    const expected = await outcome(() => call(inProcess));
    const actual = await outcome(() => call(pipe));
    assert.deepEqual(actual, expected, label);
    return 'rejected' in (expected as object);
  }

  it('keys and value names of every JS kind', async function () {
    for (const [label, odd] of oddValues) {
      await same(`key ${label}`, (reg) => reg.readValue(loose(odd), 'v'));
      await same(`key ${label} (keyExists)`, (reg) => reg.keyExists(loose(odd)));
      await same(`name ${label}`, (reg) => reg.readStringValue(key, loose(odd)));
      await same(`name ${label} (writeValue)`, (reg) => reg.writeValue(key, loose(odd), { type: 'REG_SZ', data: 'x' }));
      await same(`value ${label}`, (reg) => reg.writeValue(key, 'v', loose(odd)));
    }
  });

  it('value types: names, numbers and everything else', async function () {
    for (const type of types) {
      await same(`type ${inspect(type)}`, (reg) => reg.writeValue(key, 'v', loose({ type, data: Buffer.alloc(1) })));
    }
  });

  it('data of every kind against every type, accepted or refused alike, and read back alike', async function () {
    let refused = 0;
    let stored = 0;
    for (const [t, type] of dataTypes.entries()) {
      for (const [d, value] of data.entries()) {
        const name = `v${t}_${d}`;
        const label = `${String(type)} with ${inspect(value).slice(0, 60)}`;
        if (await same(label, (reg) => reg.writeValue(key, name, loose({ type, data: value })))) {
          refused++;
        } else {
          stored++;
          await same(`read ${label}`, (reg) => reg.readValue(key, name));
          await same(`raw read ${label}`, (reg) => reg.readValue(key, name, { raw: true }));
        }
      }
    }
    // Both branches must have been taken many times, or the comparison proves little.
    assert.ok(refused > 500 && stored > 100, `refused ${refused}, stored ${stored}`);
    await same('listValues', (reg) => reg.listValues(key));
    await same('listValues raw', (reg) => reg.listValues(key, { raw: true }));
  });

  it('getters run in the same order, and a throwing one rejects with its own error', async function () {
    for (const reg of [inProcess, pipe]) {
      const read: string[] = [];
      const value = {
        get data() {
          read.push('data');
          return ['a', 5];
        },
        get type() {
          read.push('type');
          return 'REG_MULTI_SZ';
        },
      };
      await assert.rejects(reg.writeValue(key, 'g', loose(value)), /element 1 is a number/);
      assert.deepEqual(read, ['type', 'data'], reg.mode);
    }
    const throwing = {
      type: 'REG_SZ',
      get data(): string {
        throw new RangeError('mine');
      },
    };
    await same('throwing getter', (reg) => reg.writeValue(key, 'g', loose(throwing)));
  });

  it('lone surrogates in keys, names and data are kept exactly in both modes', async function () {
    const oddKey = testKey('lone\ud800key');
    for (const reg of [inProcess, pipe]) {
      await reg.writeValue(oddKey, 'name\udc00', { type: 'REG_SZ', data: 'a\ud800b' });
      await reg.writeValue(oddKey, 'multi', { type: 'REG_MULTI_SZ', data: ['\udfff', 'x'] });
    }
    await same('listSubkeys', (reg) => reg.listSubkeys(testKey()));
    await same('listValues', (reg) => reg.listValues(oddKey));
    await same('readStringValue', (reg) => reg.readStringValue(oddKey, 'name\udc00'));
    await same('another lone surrogate', (reg) => reg.readStringValue(oddKey, 'name\udfff'));
    await same('U+FFFD', (reg) => reg.listValues(testKey('lone\ufffdkey')));
    assert.equal(await pipe.readStringValue(oddKey, 'name\udc00'), 'a\ud800b');
  });

  it('registry errors carry the same code, message, key and value name', async function () {
    await inProcess.writeValue(key, 'dw', { type: 'REG_DWORD', data: 1 });
    await pipe.writeValue(key, 'dw', { type: 'REG_DWORD', data: 1 });
    const calls: Array<[string, (reg: Registry) => Promise<unknown>]> = [
      ['wrong type', (reg) => reg.readStringValue(key, 'dw')],
      ['missing value', (reg) => reg.readValue(key, 'missing')],
      ['missing key', (reg) => reg.listSubkeys(testKey('missing'))],
      ['bad path', (reg) => reg.getKeyInfo('HKXX\\a')],
      ['empty path', (reg) => reg.keyExists('')],
      ['long name', (reg) => reg.deleteValue(key, 'n'.repeat(16384))],
      ['hive root', (reg) => reg.deleteKey('HKLM')],
      [
        'subkeys',
        async (reg) => {
          await reg.createKey(`${key}\\c`);
          return reg.deleteKey(key);
        },
      ],
      ['DWORD range', (reg) => reg.writeValue(key, 'x', { type: 'REG_DWORD', data: 2 ** 32 })],
      ['QWORD string', (reg) => reg.writeValue(key, 'x', loose({ type: 'REG_QWORD', data: '5x' }))],
      ['big bigint', (reg) => reg.writeValue(key, 'x', loose({ type: 'REG_DWORD', data: 2n ** 40n }))],
    ];
    for (const [label, call] of calls) assert.ok(await same(label, call), `${label} should fail`);
  });
});
