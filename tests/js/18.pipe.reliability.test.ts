// Pipe mode when the helper is killed, seen from a whole program: the call after the death settles and the program
// runs to its end (a waiting call keeps Node alive; nothing else must); every pipelined call settles; the crash-loop
// rule still holds; and the socket folder of a killed and replaced helper does not outlive a client that dies next.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistry, Registry, RegistryError } from 'regbridge';

import { repoRoot, tempDir, tempPrefix, testKey } from './00.setup';
import { helperPids, isGone, onlyHelperPid, waitUntil } from './support/processes';

/** JS source of `helperOf()`: the pid of the one regbridge-server whose parent is this process (from /proc). */
const helperOfSource = `
  const fs = require('node:fs');
  function helperOf() {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\\d+$/.test(entry)) continue;
      let stat;
      try { stat = fs.readFileSync('/proc/' + entry + '/stat', 'utf8'); } catch { continue; }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const live = fields[0] !== 'Z' && Number(fields[1]) === process.pid;
      if (live && stat.includes('(regbridge-serv')) return Number(entry);
    }
    throw new Error('no helper');
  }
  const freshPrefix = () => fs.mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'p-'));
  async function reaped(pid) {
    while (fs.existsSync('/proc/' + pid)) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setImmediate(resolve));
  }`;

/** Runs `code` in a child Node process with its own $TMPDIR; resolves once it has exited, with what it printed. */
async function runChild(
  code: string,
): Promise<{ exitCode: number | null; signal: string | null; out: string; tmpdir: string }> {
  const tmpdir = tempDir('child-tmp');
  const child = spawn(process.execPath, ['-e', `${helperOfSource}\n${code}`], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmpdir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once('close', (code, sig) => resolve([code, sig])),
  );
  return { exitCode, signal, out, tmpdir };
}

/** Kills the registry's only helper with SIGKILL; returns its pid. */
function killHelper(): number {
  const pid = onlyHelperPid();
  process.kill(pid, 'SIGKILL');
  return pid;
}

describe('18 pipe: reliability when the helper is killed', function () {
  it('the call after a SIGKILL settles and the program runs to its end (3 processes x 10 runs)', async function () {
    // Each run: a call in flight, the helper killed, that call failed; then the next call, awaited with nothing else
    // for the event loop to do. Then the crash-loop rule, which must end in an error too, not in silence.
    const code = `
      const { openRegistry } = require('regbridge');
      (async () => {
        for (let run = 0; run < 10; run++) {
          const reg = await openRegistry({ mode: 'pipe', prefix: freshPrefix() });
          const first = reg.writeValue('HKCU\\\\Software\\\\t', 'v', { type: 'REG_SZ', data: 'x' });
          process.kill(helperOf(), 'SIGKILL');
          const firstCode = await first.then(() => 'ok', (error) => error.code);
          if (firstCode !== 'ok' && firstCode !== 'ERR_HELPER_EXITED') throw new Error('first call: ' + firstCode);
          if ((await reg.keyExists('HKCU')) !== true) throw new Error('the next call did not answer true');
          await reg.close();
        }
        const reg = await openRegistry({ mode: 'pipe', prefix: freshPrefix() });
        for (let death = 1; death <= 5; death++) {
          await reg.keyExists('HKCU');
          const pid = helperOf();
          process.kill(pid, 'SIGKILL');
          await reaped(pid);
        }
        const last = await reg.keyExists('HKCU').then(() => 'ok', (error) => error.code);
        await reg.close();
        console.log('done ' + last);
        process.exitCode = 7;
      })();`;
    const runs = await Promise.all([1, 2, 3].map(() => runChild(code)));
    for (const run of runs) {
      assert.deepEqual(
        { exitCode: run.exitCode, out: run.out },
        { exitCode: 7, out: 'done ERR_HELPER_CRASH_LOOP\n' },
        'the program ended before its last line',
      );
    }
  });

  it('an idle registry whose helper was killed and replaced does not keep Node running', async function () {
    const code = `
      const { openRegistry } = require('regbridge');
      (async () => {
        const reg = await openRegistry({ mode: 'pipe', prefix: freshPrefix() });
        const pid = helperOf();
        process.kill(pid, 'SIGKILL');
        await reaped(pid);
        await reg.keyExists('HKCU');
        console.log('answered');
      })();`;
    const run = await runChild(code);
    assert.deepEqual({ exitCode: run.exitCode, out: run.out }, { exitCode: 0, out: 'answered\n' });
  });

  it('close() of a registry whose helper hangs kills it and returns; the program runs to its end', async function () {
    // A stopped helper answers nothing: close() waits for `shutdown` (timeoutMs), then 2 s, then kills it and waits
    // for its exit, which holds no handle of its own.
    const code = `
      const { openRegistry } = require('regbridge');
      (async () => {
        const reg = await openRegistry({ mode: 'pipe', prefix: freshPrefix(), timeoutMs: 100 });
        const pid = helperOf();
        process.kill(pid, 'SIGSTOP');
        await reg.close();
        console.log(fs.existsSync('/proc/' + pid) ? 'still there' : 'closed');
        process.exitCode = 7;
      })();`;
    const run = await runChild(code);
    assert.deepEqual({ exitCode: run.exitCode, out: run.out }, { exitCode: 7, out: 'closed\n' });
  });

  it('SIGKILL during 300 pipelined calls: every call settles, answered or ERR_HELPER_EXITED; the next call works', async function () {
    const reg: Registry = await openRegistry({ mode: 'pipe', prefix: tempPrefix() });
    try {
      const key = testKey('pipelined');
      await reg.writeValue(key, 'v', { type: 'REG_DWORD', data: 1 });
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 100; i++) {
        calls.push(reg.writeValue(key, `w${i}`, { type: 'REG_SZ', data: 'x'.repeat(1000) }));
        calls.push(reg.readValue(key, 'v'));
        calls.push(reg.listValues(key));
      }
      // Killed once a few answers are in: some calls are answered, the rest are in the helper or on the way.
      await calls[4];
      killHelper();
      const settled = await Promise.allSettled(calls);
      let failed = 0;
      for (const result of settled) {
        if (result.status === 'fulfilled') continue;
        failed++;
        assert.ok(result.reason instanceof RegistryError, String(result.reason));
        assert.equal(result.reason.code, 'ERR_HELPER_EXITED', result.reason.message);
      }
      assert.ok(failed > 0, 'the helper answered every call before it was killed');
      assert.equal(await reg.keyExists(key), true);
    } finally {
      await reg.close();
    }
  });

  it('a helper killed and replaced, then the client SIGKILLed: no socket folder is left in the temp dir', async function () {
    const code = `
      const { openRegistry } = require('regbridge');
      (async () => {
        const reg = await openRegistry({ mode: 'pipe', prefix: freshPrefix() });
        const pid = helperOf();
        process.kill(pid, 'SIGKILL');
        await reaped(pid);
        await reg.keyExists('HKCU'); // answered by the replacement
        console.log(helperOf());
        process.kill(process.pid, 'SIGKILL');
      })();`;
    const run = await runChild(code);
    assert.equal(run.signal, 'SIGKILL');
    const replacement = Number(run.out.trim());
    await waitUntil(() => isGone(replacement), 5000, 'the replacement helper outlived its SIGKILLed parent');
    const left = fs.readdirSync(run.tmpdir).filter((name) => name.startsWith('regbridge-'));
    assert.deepEqual(left, [], `left in the temp dir: ${left.map((name) => path.join(run.tmpdir, name)).join(', ')}`);
  });

  it('a helper killed, then the client SIGKILLed before any new one: no socket folder is left', async function () {
    const code = `
      const { openRegistry } = require('regbridge');
      (async () => {
        const reg = await openRegistry({ mode: 'pipe', prefix: freshPrefix() });
        const pid = helperOf();
        process.kill(pid, 'SIGKILL');
        await reaped(pid);
        process.kill(process.pid, 'SIGKILL');
      })();`;
    const run = await runChild(code);
    assert.equal(run.signal, 'SIGKILL');
    const left = fs.readdirSync(run.tmpdir).filter((name) => name.startsWith('regbridge-'));
    assert.deepEqual(left, []);
  });

  it('no helper is left running after these tests', function () {
    assert.deepEqual(helperPids(), []);
  });
});
