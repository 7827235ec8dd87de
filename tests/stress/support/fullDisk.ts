// What a save that runs out of room must do, whichever way it runs out: the write (or delete) fails with ERR_IO,
// every hive file keeps its old bytes, no temporary file is left, the store still serves what the disk holds, and
// once there is room again writes work. The hive is made large first, so that the temporary file of a save runs
// out of room part way through.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { RegistryError } from 'regbridge';
import type { Registry } from 'regbridge';

import { changedHives, hiveFileProblems, snapshotHives, strayFiles } from './hiveCheck';

export const fullKey = 'HKCU\\Software\\regbridge-stress\\full';
export const bigCount = 4;

/** The data of big value n: 40 KB, so that user.reg is about 500 KB of text. */
export function bigData(n: number): Buffer {
  const data = Buffer.alloc(40 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = (i * 13 + n * 101) & 0xff;
  return data;
}

/** Writes the big values (and one small one in HKLM), making user.reg large. */
export async function fillHive(reg: Registry): Promise<void> {
  for (let n = 0; n < bigCount; n++) await reg.writeValue(fullKey, `big${n}`, { type: 'REG_BINARY', data: bigData(n) });
  await reg.writeValue(fullKey, 'small', { type: 'REG_DWORD', data: 7 });
  await reg.writeValue('HKLM\\Software\\regbridge-stress\\full', 'small', { type: 'REG_DWORD', data: 8 });
}

/** The outcome of one change tried while the disk was short of room. */
export type Outcome = 'ok' | 'ERR_IO';

/**
 * Runs `change` and checks what a failed or successful save must leave behind (no stray file, whole hives; after a
 * failure every hive byte-identical), then `check`'s own checks of what the store serves. Returns the outcome, or
 * throws an AssertionError naming what broke.
 */
export async function tryChange(
  reg: Registry,
  prefix: string,
  what: string,
  change: () => Promise<void>,
  check: { failedLeaves: () => Promise<void>; succeededLeaves: () => Promise<void> },
): Promise<Outcome> {
  const before = snapshotHives(prefix);
  let outcome: Outcome = 'ok';
  try {
    await change();
  } catch (error) {
    if (!(error instanceof RegistryError) || error.code !== 'ERR_IO')
      assert.fail(
        `${what}: failed with ${error instanceof RegistryError ? error.code + ': ' : ''}${String(error)}, not ERR_IO`,
      );
    outcome = 'ERR_IO';
  }
  const after = snapshotHives(prefix);
  const changed = changedHives(before, after);
  assert.deepEqual(strayFiles(prefix), [], `${what} (${outcome}): files left beside the hives`);
  assert.deepEqual(hiveFileProblems(prefix), [], `${what} (${outcome}): a hive file is damaged`);
  if (outcome === 'ERR_IO') {
    assert.deepEqual(changed, [], `${what} failed with ERR_IO but changed ${changed.join(', ')}`);
    await check.failedLeaves();
  } else {
    assert.ok(changed.length > 0, `${what} succeeded but changed no hive file`);
    await check.succeededLeaves();
  }
  return outcome;
}

/** Asserts the store serves the big values still there, and none of the gone ones. */
export async function expectBigValues(reg: Registry, present: (n: number) => boolean, what: string): Promise<void> {
  for (let n = 0; n < bigCount; n++) {
    try {
      const value = await reg.readValue(fullKey, `big${n}`);
      assert.ok(present(n), `${what}: big${n} is still served though it was deleted`);
      assert.ok(Buffer.isBuffer(value.data) && value.data.equals(bigData(n)), `${what}: big${n} reads back changed`);
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(!present(n), `${what}: big${n} cannot be read: ${String(error)}`);
    }
  }
}

export async function expectMissing(reg: Registry, name: string, what: string): Promise<void> {
  try {
    await reg.readValue(fullKey, name);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'ERR_VALUE_NOT_FOUND') return;
    throw error;
  }
  assert.fail(`${what}: '${name}' is served though its write failed`);
}

/** The size of a prefix's user.reg. */
export function userRegSize(prefix: string): number {
  return fs.statSync(path.join(prefix, 'user.reg')).size;
}

/**
 * The changes tried while a save cannot get the room it needs: a write and a new key (both make the hive larger,
 * so they must fail with ERR_IO), then deletes of the big values (each may fit or not; either way the store and the
 * files must agree). Returns the outcomes in order; throws an AssertionError on the first broken promise.
 */
export async function shortOfRoom(reg: Registry, prefix: string, label: string): Promise<Outcome[]> {
  const gone = new Set<number>();
  const bigsIntact = (what: string) => expectBigValues(reg, (n) => !gone.has(n), what);
  const outcomes: Outcome[] = [];
  let what = `${label}: write w1 into a ${userRegSize(prefix)}-byte user.reg`;
  const first = await tryChange(reg, prefix, what, () => reg.writeValue(fullKey, 'w1', { type: 'REG_SZ', data: 'x' }), {
    failedLeaves: async () => {
      await expectMissing(reg, 'w1', what);
      await bigsIntact(what);
    },
    succeededLeaves: async () => {},
  });
  assert.equal(first, 'ERR_IO', `${what}: succeeded, though there was no room for the new hive`);
  outcomes.push(first);
  what = `${label}: create a key`;
  const second = await tryChange(reg, prefix, what, () => reg.createKey(`${fullKey}\\sub`), {
    failedLeaves: async () => assert.equal(await reg.keyExists(`${fullKey}\\sub`), false, `${what}: key exists`),
    succeededLeaves: async () => {},
  });
  assert.equal(second, 'ERR_IO', `${what}: succeeded, though there was no room for the new hive`);
  outcomes.push(second);
  for (let n = 0; n < bigCount; n++) {
    what = `${label}: delete big${n}`;
    outcomes.push(
      await tryChange(reg, prefix, what, () => reg.deleteValue(fullKey, `big${n}`), {
        failedLeaves: () => bigsIntact(what),
        succeededLeaves: async () => {
          gone.add(n);
          await bigsIntact(what);
        },
      }),
    );
  }
  return outcomes;
}

/** Once there is room again: a write works and is read back; the hive files are whole. */
export async function roomAgain(reg: Registry, prefix: string, label: string): Promise<void> {
  const what = `${label}: write w1 once there is room again`;
  const outcome = await tryChange(
    reg,
    prefix,
    what,
    () => reg.writeValue(fullKey, 'w1', { type: 'REG_SZ', data: 'x' }),
    {
      failedLeaves: async () => {},
      succeededLeaves: async () => assert.equal(await reg.readStringValue(fullKey, 'w1'), 'x', what),
    },
  );
  assert.equal(outcome, 'ok', `${what}: still ERR_IO`);
}
