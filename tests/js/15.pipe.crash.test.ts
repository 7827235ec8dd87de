// The helper dies: every pending call fails at once with ERR_HELPER_EXITED, the next call starts a new helper, and
// after 5 deaths within 3 minutes no new one is started (ERR_HELPER_CRASH_LOOP).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';

import { openRegistry, Registry } from 'regbridge';

import { itHiveStore, onWindows, rejectsWith, storePrefix, testKey } from './00.setup';
import { holdStoreLock, isGone, onlyHelperPid, waitUntil } from './support/processes';

/** Kills the registry's only helper with SIGKILL (on Windows TerminateProcess) and waits until it is gone; returns its
 *  pid. */
async function killHelper(): Promise<number> {
  const pid = onlyHelperPid();
  process.kill(pid, 'SIGKILL');
  // Reaped, not only a zombie: a killed thread-group leader turns zombie while its other threads still hold the
  // socket open. Then one more turn of the event loop, so that the client reads the end of its connection before the
  // next call (a call sent to the dead helper fails, as any call in flight at the time of death does).
  const gone = onWindows ? () => isGone(pid) : () => !fs.existsSync(`/proc/${pid}`);
  await waitUntil(gone, 2000, `helper ${pid} not gone 2 s after SIGKILL`);
  await new Promise((resolve) => setImmediate(resolve));
  return pid;
}

describe('15 pipe: the helper dies', function () {
  let reg: Registry;
  let prefix: string | undefined;

  beforeEach(async function () {
    prefix = storePrefix();
    reg = await openRegistry({ mode: 'pipe', prefix });
  });

  afterEach(async function () {
    await reg.close();
  });

  itHiveStore(
    'SIGKILL with 100 calls in flight: all 100 reject with ERR_HELPER_EXITED within 1 s; the next call works',
    "another process holds the store's writer lock so that the calls wait; the registry has no such lock",
    async function () {
      const key = testKey('crash');
      await reg.writeValue(key, 'kept', { type: 'REG_SZ', data: 'before the crash' });
      const pid = onlyHelperPid();
      // Another process holds the store's writer lock: the helper has all 100 writes and can answer none.
      const lock = await holdStoreLock(prefix!);
      try {
        const calls = Array.from({ length: 100 }, (_, i) =>
          reg.writeValue(key, `v${i}`, { type: 'REG_BINARY', data: Buffer.alloc(1024, i) }),
        );
        await new Promise((resolve) => setTimeout(resolve, 100)); // sent, read by the helper, the first one waiting
        const killedAt = performance.now();
        process.kill(pid, 'SIGKILL');
        const settled = await Promise.allSettled(calls);
        const took = performance.now() - killedAt;
        assert.equal(settled.filter((result) => result.status === 'rejected').length, 100);
        for (const result of settled) {
          const error = (result as PromiseRejectedResult).reason as { code?: string; message: string };
          assert.equal(error.code, 'ERR_HELPER_EXITED', error.message);
          assert.match(error.message, /^writeValue: /);
        }
        assert.ok(took < 1000, `the pending calls took ${Math.round(took)} ms to fail`);
      } finally {
        await lock.release();
      }
      assert.equal(await reg.readStringValue(key, 'kept'), 'before the crash');
      assert.notEqual(onlyHelperPid(), pid);
      assert.deepEqual(await reg.listValues(key), [{ name: 'kept', type: 'REG_SZ', data: 'before the crash' }]);
    },
  );

  it('killed with 200 calls just sent: each is answered or fails with ERR_HELPER_EXITED; the next call works', async function () {
    const key = testKey('in-flight');
    await reg.writeValue(key, 'kept', { type: 'REG_SZ', data: 'before the crash' });
    const pid = onlyHelperPid();
    const calls = Array.from({ length: 200 }, (_, i) => reg.writeValue(key, `v${i}`, { type: 'REG_DWORD', data: i }));
    process.kill(pid, 'SIGKILL'); // before the event loop has sent most of them
    const settled = await Promise.allSettled(calls);
    const failed = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    for (const { reason } of failed) assert.equal(reason.code, 'ERR_HELPER_EXITED', reason.message);
    assert.ok(failed.length > 0, 'the helper answered all 200 before it died');
    assert.equal(await reg.readStringValue(key, 'kept'), 'before the crash');
    assert.notEqual(onlyHelperPid(), pid);
  });

  it('a helper killed while idle is replaced on the next call, with every acknowledged write kept', async function () {
    const key = testKey('idle');
    for (let i = 0; i < 3; i++) {
      await reg.writeValue(key, `v${i}`, { type: 'REG_DWORD', data: i });
      await killHelper();
    }
    assert.deepEqual(
      (await reg.listValues(key)).map((value) => value.data),
      [0, 1, 2],
    );
  });

  it('5 deaths within 3 minutes: ERR_HELPER_CRASH_LOOP, and no new helper', async function () {
    for (let death = 1; death <= 4; death++) {
      assert.equal(await reg.keyExists('HKCU'), true, `after ${death - 1} deaths`);
      await killHelper();
    }
    assert.equal(await reg.keyExists('HKCU'), true, 'a 5th helper starts after 4 deaths');
    const last = await killHelper();
    const error = await rejectsWith(
      reg.keyExists('HKCU'),
      'ERR_HELPER_CRASH_LOOP',
      /exited unexpectedly 5 times within 3 minutes, so it is not started again/,
    );
    assert.ok(isGone(last));
    await rejectsWith(reg.readStringValue('HKCU', 'v'), 'ERR_HELPER_CRASH_LOOP');
    assert.equal(error.key, undefined);
    // close() still works, and then calls fail as closed.
    await reg.close();
    await rejectsWith(reg.keyExists('HKCU'), 'ERR_CLOSED');
  });
});
