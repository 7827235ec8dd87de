// Writes in flight together are run as groups that share one save of their hive (in-process: the store's write
// queue; pipe mode: the helper's job runner). Each still settles on its own, in call order, with its own result or
// error, and only once its change is in the file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describeEachMode, itHiveStore, prefixWithWineServer, testKey } from './00.setup';

/** How many times user.reg was saved through this prefix's lock file (the counter after its 16-byte header). */
function userSaves(prefix: string): bigint {
  return fs.readFileSync(path.join(prefix, '.regbridge.lock')).readBigUInt64LE(16 + 8);
}

describeEachMode('30 grouped writes', function (t) {
  it('many writes in flight settle in call order with their own results and read back', async function () {
    const key = testKey('grouped');
    const settled: number[] = [];
    const writes = Array.from({ length: 200 }, (_, i) =>
      t.reg.writeValue(key, `v${i}`, { type: 'REG_DWORD', data: i }).then(() => settled.push(i)),
    );
    await Promise.all(writes);
    assert.deepEqual(
      settled,
      Array.from({ length: 200 }, (_, i) => i),
    );
    const values = await t.reg.listValues(key);
    assert.equal(values.length, 200);
    const again = await t.open(t.prefix);
    for (const i of [0, 99, 199]) assert.deepEqual(await again.readValue(key, `v${i}`), { type: 'REG_DWORD', data: i });
  });

  it('calls made without waiting settle in order, and each read sees the writes made before it', async function () {
    // A read made right behind a write must wait for it in both modes: in-process, reads from memory are answered
    // on the calling thread and writes wait in the store's queue; in pipe mode, reads are answered on the helper's
    // I/O thread and writes on a worker. The answers keep the calls' order.
    const key = testKey('pipelined');
    const settled: string[] = [];
    // A rejection is tracked like a result: its code stands for it.
    const track = <T>(label: string, call: Promise<T>) =>
      call.then(
        (result) => (settled.push(label), result),
        (error: { code: string }) => (settled.push(label), error.code),
      );
    const calls: Array<Promise<unknown>> = [track('exists-before', t.reg.keyExists(key))];
    for (let i = 1; i <= 4; i++) {
      calls.push(track(`write-${i}`, t.reg.writeValue(key, 'v', { type: 'REG_DWORD', data: i })));
      calls.push(track(`read-${i}`, t.reg.readValue(key, 'v')));
      calls.push(track(`string-${i}`, t.reg.readStringValue(key, 's')));
      calls.push(track(`list-${i}`, t.reg.listValues(key)));
    }
    const results = await Promise.all(calls);
    assert.equal(results[0], false);
    for (let i = 1; i <= 4; i++) {
      assert.deepEqual(results[4 * i - 3 + 1], { type: 'REG_DWORD', data: i });
      assert.equal(results[4 * i - 3 + 2], 'ERR_VALUE_NOT_FOUND');
      assert.deepEqual(results[4 * i - 3 + 3], [{ name: 'v', type: 'REG_DWORD', data: i }]);
    }
    assert.deepEqual(settled, [
      'exists-before',
      ...[1, 2, 3, 4].flatMap((i) => [`write-${i}`, `read-${i}`, `string-${i}`, `list-${i}`]),
    ]);
  });

  it('on a registry just opened, a read that loads the hive sees no write made after it', async function () {
    // The first read of a hive must load it from disk, so it is not answered at once: in-process it waits in the
    // store's queue like a write, and a write made after it runs after it. Run side by side, the read could finish
    // after the write and see it. Each round opens a fresh registry, so that its first read is such a read.
    const key = testKey('first-read');
    await t.reg.writeValue(key, 'v', { type: 'REG_DWORD', data: 0 });
    for (let round = 1; round <= 20; round++) {
      const reg = await t.open(t.prefix);
      const calls = [
        reg.readValue(key, 'v'),
        reg.keyExists(`${key}\\${round}`),
        reg.writeValue(key, 'v', { type: 'REG_DWORD', data: round }),
        reg.createKey(`${key}\\${round}`),
        reg.keyExists(`${key}\\${round}`),
        reg.readValue(key, 'v'),
      ];
      assert.deepEqual(
        await Promise.all(calls),
        [{ type: 'REG_DWORD', data: round - 1 }, false, undefined, undefined, true, { type: 'REG_DWORD', data: round }],
        `round ${round}`,
      );
      await reg.close();
    }
  });

  it('one bad write among good ones fails alone, with its own code and key', async function () {
    const key = testKey('bad-among-good');
    // A key name longer than the registry allows: refused by every backend, the Windows registry's too.
    const badKey = `${key}\\${'x'.repeat(256)}`;
    const calls = Array.from({ length: 40 }, (_, i) => {
      if (i === 10) return t.reg.writeValue(badKey, 'x', { type: 'REG_DWORD', data: 1 });
      if (i === 20) return t.reg.deleteValue(key, 'never-written');
      if (i === 30) return t.reg.writeValue(key, 'wrong', { type: 'REG_DWORD', data: -1 });
      return t.reg.writeValue(key, `v${i}`, { type: 'REG_SZ', data: `text ${i}` });
    });
    const outcomes = await Promise.allSettled(calls);
    outcomes.forEach((outcome, i) => {
      if (![10, 20, 30].includes(i)) assert.equal(outcome.status, 'fulfilled', `call ${i}`);
    });
    const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason as { code: string; key?: string };
    assert.equal(reason(10).code, 'ERR_INVALID_PATH');
    assert.equal(reason(10).key, badKey);
    assert.equal(reason(20).code, 'ERR_VALUE_NOT_FOUND');
    assert.equal(reason(30).code, 'ERR_INVALID_ARGUMENT');
    const again = await t.open(t.prefix);
    assert.equal((await again.listValues(key)).length, 37);
    assert.equal(await again.readStringValue(key, 'v39'), 'text 39');
  });

  it('deletes, key creation and compare-and-set in flight together keep their order', async function () {
    const key = testKey('ordered');
    const calls = [
      t.reg.writeValue(key, 'a', { type: 'REG_DWORD', data: 1 }),
      t.reg.compareAndSetValue(key, 'a', { type: 'REG_DWORD', data: 1 }, { type: 'REG_DWORD', data: 2 }),
      t.reg.compareAndSetValue(key, 'a', { type: 'REG_DWORD', data: 1 }, { type: 'REG_DWORD', data: 3 }),
      t.reg.createKey(`${key}\\Sub`),
      t.reg.deleteKey(`${key}\\Sub`),
      t.reg.writeValue(key, 'b', { type: 'REG_DWORD', data: 1 }),
      t.reg.deleteValue(key, 'b'),
    ];
    const outcomes = await Promise.allSettled(calls);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as { code: string }).code)),
      ['ok', 'ok', 'ERR_VALUE_CHANGED', 'ok', 'ok', 'ok', 'ok'],
    );
    const again = await t.open(t.prefix);
    assert.deepEqual(await again.listValues(key), [{ name: 'a', type: 'REG_DWORD', data: 2 }]);
    assert.equal(await again.keyExists(`${key}\\Sub`), false);
  });

  itHiveStore(
    'while a wineserver owns the prefix, each write in flight fails with ERR_STORE_LOCKED naming its own key',
    'the hive store refuses writes to a Wine prefix in use',
    async function () {
      const reg = await t.open(await prefixWithWineServer());
      const current = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
      const keys = Array.from({ length: 20 }, (_, i) => testKey('locked-group', `k${i}`));
      const writes = keys.map((key) => reg.writeValue(key, 'v', { type: 'REG_DWORD', data: 1 }));
      const read = reg.readStringValue(current, 'CurrentVersion');
      const outcomes = await Promise.allSettled(writes);
      outcomes.forEach((outcome, i) => {
        assert.equal(outcome.status, 'rejected', `write ${i}`);
        const reason = (outcome as PromiseRejectedResult).reason as { code: string; key?: string; message: string };
        assert.equal(reason.code, 'ERR_STORE_LOCKED');
        assert.equal(reason.key, keys[i]);
        assert.match(reason.message, /wineserver/);
      });
      assert.equal(await read, '6.1');
      assert.equal(await reg.keyExists(keys[0]), false);
    },
  );

  itHiveStore('writes in flight together share saves of their hive', 'the hive store saves files', async function () {
    const key = testKey('shared-saves');
    await t.reg.writeValue(key, 'first', { type: 'REG_DWORD', data: 0 }); // makes the lock file
    const before = userSaves(t.prefix!);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.reg.writeValue(key, `v${i}`, { type: 'REG_DWORD', data: i })),
    );
    const saves = userSaves(t.prefix!) - before;
    // Run one by one they would take 100; grouped, a few: in-process, the first write's group and then the others,
    // queued meanwhile; in pipe mode about one per read that brings requests in.
    assert.ok(saves >= 1n && saves <= 10n, `100 writes in flight took ${saves} saves`);
  });
});
