// Pipe mode in worker_threads: a helper started from a worker lives as long as that worker, not as long as the
// process — whether the worker ends by itself, calls process.exit(), or is stopped with worker.terminate(), which
// runs none of the worker's JavaScript on its way out.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

import { tempDir, tempPrefix } from './00.setup';
import { commandLine, helperPids, isGone, waitUntil } from './support/processes';

const entry = require.resolve('regbridge');

/**
 * A worker that opens a pipe-mode registry on `prefix`, answers 'open', and then on each message 'call' makes a call
 * and answers its result, on 'exit' calls process.exit(), on 'end' lets its event loop run dry.
 */
function pipeWorker(
  prefix: string,
  tmpdir: string,
): { worker: Worker; next(): Promise<unknown>; ended: Promise<number> } {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const keepAlive = setInterval(() => {}, 1000);
    require(workerData.entry).openRegistry({ mode: 'pipe', prefix: workerData.prefix }).then((reg) => {
      parentPort.on('message', async (message) => {
        if (message === 'call') parentPort.postMessage(await reg.keyExists('HKCU').catch((error) => error.code));
        if (message === 'exit') process.exit(0);
        if (message === 'end') { clearInterval(keepAlive); parentPort.unref(); }
      });
      parentPort.postMessage('open');
    }, (error) => parentPort.postMessage(error.code));`;
  // os.tmpdir() in the worker: its own copy of the environment, so that what the helpers leave there can be seen.
  const env = { ...process.env, TMPDIR: tmpdir };
  const worker = new Worker(source, { eval: true, workerData: { entry, prefix }, env });
  const ended = new Promise<number>((resolve) => worker.once('exit', resolve));
  const messages: unknown[] = [];
  const waiting: Array<(message: unknown) => void> = [];
  worker.on('message', (message) => {
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else messages.push(message);
  });
  const next = () =>
    messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve));
  return { worker, next, ended };
}

describe('20 pipe: helpers started from worker_threads', function () {
  it('stop when their worker ends: terminate(), process.exit() or a loop run dry', async function () {
    const tmpdir = tempDir('worker-tmp');
    const workers: Array<ReturnType<typeof pipeWorker> & { helper: number }> = [];
    for (let i = 0; i < 3; i++) {
      const before = new Set(helperPids());
      const started = pipeWorker(tempPrefix(), tmpdir);
      assert.equal(await started.next(), 'open');
      const helper = helperPids().filter((pid) => !before.has(pid));
      assert.equal(helper.length, 1, 'one new helper per worker');
      workers.push({ ...started, helper: helper[0] });
    }
    // While its worker runs, a helper stays (its owner is watched every 250 ms: a few polls go by here).
    await new Promise((resolve) => setTimeout(resolve, 800));
    for (const { next, worker, helper } of workers) {
      worker.postMessage('call');
      assert.equal(await next(), true);
      assert.ok(!isGone(helper), `helper ${helper} stopped while its worker runs`);
      assert.ok(commandLine(helper).includes('--parent-pid'));
    }
    await workers[0].worker.terminate();
    workers[1].worker.postMessage('exit');
    workers[2].worker.postMessage('end');
    await Promise.all(workers.map((w) => w.ended));
    for (const { helper } of workers) {
      await waitUntil(() => isGone(helper), 5000, `helper ${helper} still runs after its worker ended`);
    }
    assert.deepEqual(helperPids(), []);
    // Each stopped on its own, so each removed its socket folder.
    assert.deepEqual(fs.readdirSync(tmpdir), []);
  });
});
