// Async calls run off the JS thread; many may be in flight; several stores are open at once.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';

import { describeEachMode, itHiveStore, rejectsWith, repoRoot, testKey } from './00.setup';

/** Settles once every pending microtask and one turn of the event loop have run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Holds the store's writer lock (flock on .regbridge.lock) from another process until release() is called. */
async function holdStoreLock(prefix: string): Promise<{ release(): Promise<void> }> {
  const child = spawn('flock', [path.join(prefix, '.regbridge.lock'), '-c', 'echo locked; read line'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flock exited early with ${code}`)));
    child.stdout.once('data', () => resolve());
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.stdin.end('\n');
      }),
  };
}

describeEachMode('08 concurrency: async calls', function (t) {
  it('an async call never settles before the JS thread yields', async function () {
    let settled = false;
    const pending = t.reg.writeValue(testKey('async'), 'v', { type: 'REG_SZ', data: 'x' }).then(() => (settled = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.equal(settled, false, 'the write settled within the microtasks of the calling turn');
    await pending;
    assert.equal(settled, true);
  });

  it('a read answered from memory is still a promise whose reactions run after the calling code', async function () {
    const key = testKey('memory');
    await t.reg.writeValue(key, 'v', { type: 'REG_SZ', data: 'x' });
    await t.reg.readStringValue(key, 'v'); // loaded and cached: the next reads are answered at once in-process
    const order: string[] = [];
    const read = t.reg.readStringValue(key, 'v');
    assert.ok(read instanceof Promise);
    const failed = t.reg.readStringValue(key, 'missing');
    assert.ok(failed instanceof Promise);
    const done = Promise.all([
      read.then((text) => order.push(`read ${text}`)),
      failed.catch((error: { code?: string }) => order.push(`failed ${error.code}`)),
    ]);
    order.push('caller');
    await done;
    assert.deepEqual(order, ['caller', 'read x', 'failed ERR_VALUE_NOT_FOUND']);
  });

  itHiveStore(
    'the JS thread keeps running while a write waits for the store lock',
    'the lock is the hive store’s file lock',
    async function () {
      await t.reg.writeValue(testKey('lock'), 'v', { type: 'REG_DWORD', data: 1 }); // makes the lock file
      const lock = await holdStoreLock(t.prefix!);
      let written = false;
      const write = t.reg.writeValue(testKey('lock'), 'v', { type: 'REG_DWORD', data: 2 }).then(() => (written = true));
      let turns = 0;
      for (; turns < 20; turns++) await nextTurn(); // setImmediate callbacks run: the thread is not blocked
      assert.equal(turns, 20);
      assert.equal(written, false, 'the write finished while another process held the store lock');
      await lock.release();
      await write;
      assert.equal((await t.reg.readValue(testKey('lock'), 'v')).data, 2);
    },
  );

  it('many calls in flight at once all complete with their own results', async function () {
    const writes = Array.from({ length: 100 }, (_, i) =>
      t.reg.writeValue(testKey('many', `k${i % 10}`), `v${i}`, { type: 'REG_DWORD', data: i }),
    );
    await Promise.all(writes);
    const reads = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.reg.readValue(testKey('many', `k${i % 10}`), `v${i}`)),
    );
    reads.forEach((value, i) => assert.deepEqual(value, { type: 'REG_DWORD', data: i }));
    const missing = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.reg.readValue(testKey('many', 'k0'), `absent${i}`)),
    );
    assert.ok(missing.every((result) => result.status === 'rejected'));
  });

  itHiveStore('two stores on two prefixes at once keep their data apart', 'there is one registry', async function () {
    const other = await t.open();
    await Promise.all([
      t.reg.writeValue(testKey('two'), 'v', { type: 'REG_SZ', data: 'first' }),
      other.writeValue(testKey('two'), 'v', { type: 'REG_SZ', data: 'second' }),
      other.writeValue(testKey('two'), 'onlyOther', { type: 'REG_SZ', data: 'x' }),
    ]);
    assert.equal(await t.reg.readStringValue(testKey('two'), 'v'), 'first');
    assert.equal(await other.readStringValue(testKey('two'), 'v'), 'second');
    await rejectsWith(t.reg.readValue(testKey('two'), 'onlyOther'), 'ERR_VALUE_NOT_FOUND');
  });

  it('calls in flight when close() runs still complete; later calls fail with ERR_CLOSED', async function () {
    const inFlight = Array.from({ length: 10 }, (_, i) =>
      t.reg.writeValue(testKey('closing'), `v${i}`, { type: 'REG_BINARY', data: Buffer.alloc(64 * 1024, i) }),
    );
    await t.reg.close();
    await Promise.all(inFlight);
    await rejectsWith(t.reg.keyExists('HKCU'), 'ERR_CLOSED');
    const again = await t.open(t.prefix);
    assert.equal((await again.listValues(testKey('closing'))).length, 10);
  });

  it('a registry dropped with calls in flight is kept alive until they finish (under forced GC)', function () {
    // In a child with --expose-gc: nothing refers to the registry but its pending calls while gc() runs.
    const code = `
      const { openRegistry } = require('regbridge');
      (async () => {
        let pending = [];
        await (async () => {
          const reg = await openRegistry(${JSON.stringify({ mode: t.mode, prefix: t.prefix })});
          for (let i = 0; i < 50; i++)
            pending.push(reg.writeValue(${JSON.stringify(testKey('gc'))}, 'v' + i, { type: 'REG_BINARY', data: Buffer.alloc(4096, i) }));
        })();
        for (let i = 0; i < 5; i++) { global.gc(); await new Promise((r) => setImmediate(r)); }
        await Promise.all(pending);
        console.log('done');
      })().catch((e) => { console.log(e.code + ' ' + e.message); });`;
    const out = execFileSync(process.execPath, ['--expose-gc', '-e', code], { cwd: repoRoot }).toString();
    assert.equal(out.trim(), 'done');
  });
});
