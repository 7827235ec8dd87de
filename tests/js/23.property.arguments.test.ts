// Property: any arguments to any method — wrong types, symbols, functions, NaN, bigints, huge strings, odd objects,
// too few or too many — give a result or a RegistryError, never another error, a crash or a hang; and the same one
// in-process, in pipe mode and through the synchronous API: the same result, or the same code, message, key and
// value name. The calls run in sequence on three stores kept in the same state, so later calls see what earlier
// ones wrote.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fc from 'fast-check';

import { openRegistry, openRegistrySync, RegistryError } from 'regbridge';
import type { Registry, RegistrySync } from 'regbridge';

import { modes, tempDir } from './00.setup';
import { dataString, fewerRuns, keyPath, settings, valueCase, valueName } from './support/properties';

// ---- the arguments -------------------------------------------------------------------------------------------

/** Values no method takes anywhere, or takes only in some places. */
const oddValues: readonly unknown[] = [
  undefined,
  null,
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1.5,
  -1,
  2 ** 32,
  2 ** 53,
  2 ** 64,
  Number.MAX_VALUE,
  true,
  false,
  '',
  0n,
  -1n,
  2n ** 64n,
  10n ** 40n,
  Symbol('s'),
  Symbol.iterator,
  () => 'HKCU',
  class {},
  [],
  ['HKCU'],
  {},
  Object.create(null),
  new Date(0),
  new Date(NaN),
  /HKCU/,
  new Map([['raw', true]]),
  new Set(['a']),
  new ArrayBuffer(4),
  new DataView(new ArrayBuffer(2)),
  new Uint16Array([1, 2]),
  new Float64Array([1.5]),
  new BigInt64Array([1n]),
  Buffer.from('HKCU'),
  new Uint8Array([0, 1, 255]),
  new Error('an error'),
  new String('HKCU'),
  new Number(4),
  new Boolean(true),
  Object(Symbol('boxed')),
  Promise.resolve('HKCU'),
  { toString: () => 'HKCU\\Software', valueOf: () => 4 },
  { toJSON: () => 'HKCU' },
  { type: 'REG_SZ' },
  { data: 'x' },
  { type: 'REG_SZ', data: 'x', extra: 1 },
  { raw: true, openLink: true, recursive: true },
  { recursve: true },
  { raw: 'yes' },
  { openLink: 1 },
  { __proto__: { raw: true } },
  new Proxy({}, {}),
  globalThis,
];

/** Strings longer than any limit: a key name's (255), a value name's (16,383), a path's depth. */
const hugeStrings: readonly string[] = [
  'k'.repeat(16_383),
  'k'.repeat(16_384),
  `HKCU\\${'k'.repeat(100_000)}`,
  `HKCU${'\\k'.repeat(600)}`,
  '😀'.repeat(50_000),
  'x'.repeat(1 << 20),
];

const anything: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...oddValues) },
  { weight: 1, arbitrary: fc.constantFrom(...hugeStrings) },
  {
    weight: 3,
    arbitrary: fc.anything({
      maxDepth: 2,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    }),
  },
);

/** A few keys and names the calls share, so that reads find what writes made, and deletes have work. */
const sharedKeys = ['HKCU\\p', 'HKCU\\p\\q', 'hkcu\\P\\Q\\r', 'HKLM\\p', 'HKU\\.Default\\p', 'HKCR\\.p', 'HKCU'];
const sharedNames = ['', 'a', 'A', 'n 😀', 'b'];

const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...sharedKeys) },
  { weight: 2, arbitrary: keyPath },
  { weight: 2, arbitrary: anything },
);
const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...sharedNames) },
  { weight: 2, arbitrary: valueName() },
  { weight: 2, arbitrary: anything },
);
const options = fc.oneof(
  fc.constant(undefined),
  fc.record({ raw: fc.boolean(), openLink: fc.boolean(), recursive: fc.boolean() }, { requiredKeys: [] }),
  fc.record(
    { view: fc.constantFrom(32, 64, undefined), raw: fc.boolean(), recursive: fc.boolean() },
    { requiredKeys: [] },
  ),
  fc.record({ raw: anything, openLink: anything, recursive: anything, view: anything }, { requiredKeys: [] }),
  fc.dictionary(fc.string({ maxLength: 10 }), anything, { maxKeys: 2 }),
  anything,
);
const typeName = fc.oneof(
  fc.constantFrom('REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_QWORD'),
  fc.constantFrom('REG_NONE', 'REG_BINARY', 'REG_LINK', 'reg_sz', 'REG_SZX', 'SZ', ' REG_SZ'),
  fc.constantFrom(0, 1, 4, 7, 11, 12, -1, 2 ** 32 - 1, 2 ** 32, 1.5, NaN),
  anything,
);
const data = fc.oneof(
  anything,
  dataString(),
  fc.array(fc.oneof(dataString(8), anything), { maxLength: 4 }),
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
  fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
);
const value = fc.oneof(
  valueCase().map((c) => c.input),
  fc.record({ type: typeName, data }),
  fc.record({ type: typeName, data, extra: anything }, { requiredKeys: [] }),
  anything,
);

/** The parameters of every method of Registry and RegistrySync, as the API reference lists them. */
const parameters: Record<string, fc.Arbitrary<unknown[]>> = {
  readStringValue: fc.tuple(key, name, options),
  readValue: fc.tuple(key, name, options),
  listValues: fc.tuple(key, options),
  listSubkeys: fc.tuple(key, options),
  keyExists: fc.tuple(key, options),
  getKeyInfo: fc.tuple(key, options),
  writeValue: fc.tuple(key, name, value, options),
  deleteValue: fc.tuple(key, name, options),
  createKey: fc.tuple(key, options),
  deleteKey: fc.tuple(key, options),
  flush: fc.constant([]),
};
const methods = Object.keys(parameters);

interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** A call with its arguments as the method lists them, or some left out, or more than it takes. */
const call: fc.Arbitrary<Call> = fc.oneof(
  ...methods.map((method) =>
    fc
      .tuple(parameters[method], fc.nat({ max: 3 }), fc.array(anything, { maxLength: 2 }))
      .map(([args, dropped, extra]) => ({
        method,
        args: dropped === 3 ? [...args, ...extra] : args.slice(0, Math.max(0, args.length - dropped)),
      })),
  ),
);

// ---- running one call in every placement ---------------------------------------------------------------------

/** What a call gave, reduced to what must be the same everywhere. */
type Outcome =
  | { result: unknown }
  | { error: { code: string; message: string; key?: string; valueName?: string } }
  | { notARegistryError: string }
  | { thrownSynchronously: string };

/** The result with its last-write times checked and replaced: two stores never change at the same instant. */
function comparable(result: unknown): unknown {
  if (result === null || typeof result !== 'object' || !('lastWriteTime' in result)) return result;
  const time = (result as { lastWriteTime: unknown }).lastWriteTime;
  assert.ok(
    time instanceof Date && !Number.isNaN(time.getTime()),
    `lastWriteTime is not a valid Date: ${String(time)}`,
  );
  return { ...result, lastWriteTime: 'a valid Date' };
}

function failure(error: unknown): Outcome {
  if (!(error instanceof RegistryError)) return { notARegistryError: String(error) };
  const { code, message, key, valueName } = error;
  return { error: { code, message, ...(key !== undefined && { key }), ...(valueName !== undefined && { valueName }) } };
}

async function callAsync(reg: Registry, { method, args }: Call): Promise<Outcome> {
  let answer: unknown;
  try {
    answer = (reg as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args);
  } catch (error) {
    return { thrownSynchronously: String(error) }; // an async method must reject, not throw
  }
  try {
    return { result: comparable(await answer) };
  } catch (error) {
    return failure(error);
  }
}

function callSync(reg: RegistrySync, { method, args }: Call): Outcome {
  try {
    return { result: comparable((reg as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args)) };
  } catch (error) {
    return failure(error);
  }
}

/** The three placements of one store state: async in each mode, and the synchronous API. */
interface Placements {
  readonly async: ReadonlyArray<{ mode: string; reg: Registry }>;
  readonly sync: RegistrySync;
}

async function openPlacements(): Promise<Placements> {
  const async = [];
  for (const mode of modes) async.push({ mode, reg: await openRegistry({ mode, prefix: tempDir() }) });
  return { async, sync: openRegistrySync({ prefix: tempDir() }) };
}

async function closePlacements(p: Placements): Promise<void> {
  for (const { reg } of p.async) await reg.close();
  p.sync.close();
}

/** Runs `calls` in order in every placement and checks that each gave the same outcome everywhere. */
async function sameEverywhere(p: Placements, calls: readonly Call[], closed: boolean): Promise<void> {
  for (const c of calls) {
    const outcomes: Record<string, Outcome> = {};
    for (const { mode, reg } of p.async) outcomes[mode] = await callAsync(reg, c);
    outcomes.sync = callSync(p.sync, c);
    const [first, ...others] = Object.entries(outcomes);
    for (const [where, outcome] of Object.entries(outcomes)) {
      const what = `${c.method} (${where})`;
      if ('notARegistryError' in outcome)
        assert.fail(`${what} failed with another error: ${outcome.notARegistryError}`);
      if ('thrownSynchronously' in outcome)
        assert.fail(`${what} threw instead of rejecting: ${outcome.thrownSynchronously}`);
      if (closed && !('error' in outcome)) assert.fail(`${what} on a closed registry gave a result`);
    }
    for (const [where, outcome] of others) {
      assert.deepEqual(outcome, first[1], `${c.method}: ${where} differs from ${first[0]}`);
    }
  }
}

describe('23 property: any arguments, in-process, pipe and sync alike', function () {
  let placements: Placements;
  beforeEach(async function () {
    placements = await openPlacements();
  });
  afterEach(async function () {
    await closePlacements(placements);
  });

  it('every call gives a result or a RegistryError, the same in every placement', async function () {
    this.timeout(0); // each run has its own time limit (settings)
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 8 }), (calls) =>
        sameEverywhere(placements, calls, false),
      ),
      settings(),
    );
  });

  it('on a closed registry every call fails with a RegistryError, the same in every placement', async function () {
    this.timeout(0);
    await closePlacements(placements);
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 4 }), (calls) =>
        sameEverywhere(placements, calls, true),
      ),
      settings(fewerRuns(4)),
    );
  });
});

describe('23 property: any options to openRegistry and openRegistrySync', function () {
  // Prefixes only inside a temporary folder, the default one ($REGBRIDGE_PREFIX) included: a valid prefix is a real
  // folder the store may write to.
  const base = tempDir('options');
  const savedDefault = process.env.REGBRIDGE_PREFIX;
  before(function () {
    process.env.REGBRIDGE_PREFIX = path.join(base, 'default');
  });
  after(function () {
    if (savedDefault === undefined) delete process.env.REGBRIDGE_PREFIX;
    else process.env.REGBRIDGE_PREFIX = savedDefault;
  });

  const goodPrefix = fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 })
    .map((name) => path.join(base, name.replace(/\.\.|\//g, '_')));
  const good = fc.record(
    {
      mode: fc.constantFrom('in-process', 'pipe'),
      prefix: goodPrefix,
      timeoutMs: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      view: fc.constantFrom(32, 64),
    },
    { requiredKeys: ['prefix'] },
  );
  const optionName = fc.constantFrom(
    'mode',
    'prefix',
    'timeoutMs',
    'pipe',
    'view',
    'prefx',
    'Mode',
    '__proto__',
    'constructor',
  );
  const optionSets = fc.oneof(
    { weight: 2, arbitrary: good },
    // One option wrong, missing or unknown.
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          good,
          optionName,
          fc.oneof(anything, fc.constantFrom('', 'pipe', 'in-process', 0, 1, 2 ** 31), goodPrefix),
        )
        .map(([options, name, wrong]) => ({ ...options, [name]: wrong })),
    },
    { weight: 1, arbitrary: fc.tuple(good, optionName).map(([options, name]) => ({ ...options, [name]: undefined })) },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          mode: fc.oneof(fc.constantFrom('in-process', 'pipe', 'IN-PROCESS', 'pipes', ''), anything),
          prefix: fc.oneof(goodPrefix, anything),
          timeoutMs: fc.oneof(fc.integer({ min: -10, max: 2 ** 32 }), fc.constantFrom(0.5, NaN, Infinity), anything),
          pipe: fc.oneof(fc.constantFrom(path.join(base, 'no-such.sock'), ''), anything),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: anything },
  );

  it('openRegistry gives a working registry or a RegistryError', async function () {
    this.timeout(0);
    await fc.assert(
      fc.asyncProperty(optionSets, async (options) => {
        let reg: Registry;
        try {
          reg = await openRegistry(options as never);
        } catch (error) {
          assert.ok(error instanceof RegistryError, `openRegistry failed with another error: ${String(error)}`);
          return;
        }
        // Opening is lazy: a prefix the store cannot use (a name too long for the file system, say) fails at the
        // first call, and a timeout of a millisecond or two may expire; either way with a RegistryError.
        try {
          assert.equal(await reg.keyExists('HKCU'), true);
        } catch (error) {
          assert.ok(error instanceof RegistryError, `the first call failed with another error: ${String(error)}`);
        } finally {
          await reg.close();
        }
      }),
      settings(fewerRuns(5)),
    );
  });

  it('openRegistrySync gives a working registry or a RegistryError', async function () {
    this.timeout(0);
    fc.assert(
      fc.property(optionSets, (options) => {
        let reg: RegistrySync;
        try {
          reg = openRegistrySync(options as never);
        } catch (error) {
          assert.ok(error instanceof RegistryError, `openRegistrySync failed with another error: ${String(error)}`);
          return;
        }
        try {
          assert.equal(reg.keyExists('HKCU'), true);
        } catch (error) {
          assert.ok(error instanceof RegistryError, `the first call failed with another error: ${String(error)}`);
        } finally {
          reg.close();
        }
      }),
      settings(fewerRuns(2)),
    );
  });
});
