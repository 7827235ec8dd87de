// The addon in worker_threads: its state is per environment, so each thread loads its own instance, several at
// once, and a thread torn down with stores open leaves the others running.
import * as assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

import { openRegistry } from 'regbridge';

import { storePrefix, testKey } from './00.setup';

const entry = require.resolve('regbridge');

/** Runs `body` (JS source of an async function taking (regbridge, data)) in a worker; resolves with its result. */
function inWorker(body: string, data: unknown): { worker: Worker; result: Promise<unknown> } {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const regbridge = require(workerData.entry);
    (${body})(regbridge, workerData.data).then(
      (result) => parentPort.postMessage({ result }),
      (error) => parentPort.postMessage({ error: { code: error.code, message: error.message } }));`;
  const worker = new Worker(source, { eval: true, workerData: { entry, data } });
  const result = new Promise((resolve, reject) => {
    worker.once('message', (message: { result?: unknown; error?: { code: string; message: string } }) =>
      message.error ? reject(Object.assign(new Error(message.error.message), message.error)) : resolve(message.result),
    );
    worker.once('error', reject);
  });
  return { worker, result };
}

const writeAndRead = `async ({ openRegistry, openRegistrySync }, { prefix, key, id }) => {
  const reg = await openRegistry({ mode: 'in-process', prefix });
  for (let i = 0; i < 20; i++) await reg.writeValue(key, 'v' + i, { type: 'REG_SZ', data: id + ':' + i });
  const values = await reg.listValues(key);
  await reg.close();
  const sync = openRegistrySync({ prefix });
  const last = sync.readStringValue(key, 'v19');
  sync.close();
  return { count: values.length, last };
}`;

describe('09 workers: the addon in worker_threads', function () {
  it('loads and works in a worker', async function () {
    const prefix = storePrefix();
    const { result, worker } = inWorker(writeAndRead, { prefix, key: testKey('w'), id: 'w' });
    assert.deepEqual(await result, { count: 20, last: 'w:19' });
    await worker.terminate();
    const reg = await openRegistry({ mode: 'in-process', prefix });
    assert.equal(await reg.readStringValue(testKey('w'), 'v0'), 'w:0');
    await reg.close();
  });

  it('runs in four workers and the main thread at once, on separate and shared prefixes', async function () {
    const shared = storePrefix();
    const runs = [0, 1, 2, 3].map((id) =>
      inWorker(writeAndRead, { prefix: id < 2 ? storePrefix() : shared, key: testKey(`w${id}`), id: `w${id}` }),
    );
    const main = await openRegistry({ mode: 'in-process', prefix: shared });
    await main.writeValue(testKey('main'), 'v', { type: 'REG_SZ', data: 'main' });
    const results = await Promise.all(runs.map((run) => run.result));
    results.forEach((result, id) => assert.deepEqual(result, { count: 20, last: `w${id}:19` }));
    assert.equal(await main.readStringValue(testKey('w2'), 'v5'), 'w2:5');
    assert.equal(await main.readStringValue(testKey('w3'), 'v5'), 'w3:5');
    assert.equal(await main.readStringValue(testKey('main'), 'v'), 'main');
    await main.close();
    await Promise.all(runs.map((run) => run.worker.terminate()));
  });

  it('a worker terminated with a store open and calls in flight does not disturb the others', async function () {
    const prefix = storePrefix();
    const body = `async ({ openRegistry }, { prefix }) => {
      const reg = await openRegistry({ mode: 'in-process', prefix });
      await reg.writeValue('HKCU\\\\Software\\\\t', 'ready', { type: 'REG_DWORD', data: 1 });
      for (let i = 0; i < 200; i++) reg.writeValue('HKCU\\\\Software\\\\t', 'v' + i, { type: 'REG_BINARY', data: Buffer.alloc(16384, i) });
      return 'started';
    }`;
    const { worker, result } = inWorker(body, { prefix });
    assert.equal(await result, 'started');
    await worker.terminate(); // the store is still open and writes are pending
    const reg = await openRegistry({ mode: 'in-process', prefix });
    assert.equal((await reg.readValue('HKCU\\Software\\t', 'ready')).data, 1);
    await reg.writeValue('HKCU\\Software\\t', 'after', { type: 'REG_SZ', data: 'fine' });
    assert.equal(await reg.readStringValue('HKCU\\Software\\t', 'after'), 'fine');
    await reg.close();
    // And a new worker loads the addon again.
    const again = inWorker(writeAndRead, { prefix: storePrefix(), key: testKey('again'), id: 'again' });
    assert.deepEqual(await again.result, { count: 20, last: 'again:19' });
    await again.worker.terminate();
  });

  it('errors cross from a worker with their codes', async function () {
    const body = `async ({ openRegistrySync }, { prefix }) => {
      const reg = openRegistrySync({ prefix });
      try { reg.readValue('HKCU\\\\Nope', 'v'); } catch (e) { return [e.name, e.code, e.key]; } finally { reg.close(); }
    }`;
    const { worker, result } = inWorker(body, { prefix: storePrefix() });
    assert.deepEqual(await result, ['RegistryError', 'ERR_KEY_NOT_FOUND', 'HKCU\\Nope']);
    await worker.terminate();
  });
});
