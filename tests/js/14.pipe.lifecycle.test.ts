// The helper's life in pipe mode: how it is started (private folder, socket modes, --parent-pid), what a failed
// start says, that close() stops it, that an open registry does not keep Node running, and that the helper dies with
// its parent.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openRegistry } from 'regbridge';

import { rejectsWith, repoRoot, tempDir, tempPrefix, testKey } from './00.setup';
import { commandLine, helperPids, isGone, onlyHelperPid, waitUntil } from './support/processes';

/** The value of `--name` in a command line. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

/**
 * Runs `code` in a child Node process that prints one line; resolves with that process and the line. Its $TMPDIR is a
 * temporary folder of the test, so that what a killed child leaves there can be seen.
 */
async function nodeChild(
  code: string,
): Promise<{ pid: number; line: string; exited: Promise<number | null>; tmpdir: string }> {
  const tmpdir = tempDir('child-tmp');
  const child = spawn(process.execPath, ['-e', code], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmpdir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    void exited.then((exitCode) => reject(new Error(`the child exited with ${exitCode} before printing: ${text}`)));
  });
  return { pid: child.pid!, line, exited, tmpdir };
}

/** An executable shell script standing in for the helper. */
function fakeHelper(script: string): string {
  const file = path.join(tempDir('fake'), 'regbridge-server');
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

/** Runs `body` with $REGBRIDGE_SERVER (or $TMPDIR) set, restoring it after. */
async function withEnv(name: string, value: string, body: () => Promise<void>): Promise<void> {
  const old = process.env[name];
  process.env[name] = value;
  try {
    await body();
  } finally {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  }
}

describe('14 pipe: the helper process', function () {
  it('is started with --pipe in a private 0700 folder, a 0600 socket, --parent-pid and --prefix', async function () {
    const prefix = tempPrefix();
    const reg = await openRegistry({ mode: 'pipe', prefix });
    try {
      const pid = onlyHelperPid();
      const args = commandLine(pid);
      assert.equal(args[0], path.join(repoRoot, 'build', 'regbridge-server'));
      assert.equal(option(args, '--parent-pid'), String(process.pid));
      assert.equal(option(args, '--prefix'), prefix);
      const socketPath = option(args, '--pipe')!;
      const folder = path.dirname(socketPath);
      assert.equal(path.dirname(folder), os.tmpdir());
      assert.match(path.basename(folder), /^regbridge-/);
      const folderStat = fs.lstatSync(folder);
      assert.ok(folderStat.isDirectory());
      assert.equal(folderStat.mode & 0o777, 0o700);
      assert.equal(folderStat.uid, process.getuid!());
      const socketStat = fs.lstatSync(socketPath);
      assert.ok(socketStat.isSocket());
      assert.equal(socketStat.mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(folder), ['s']);
    } finally {
      await reg.close();
    }
  });

  it('close() shuts the helper down, removes the folder; later calls fail with ERR_CLOSED', async function () {
    const reg = await openRegistry({ mode: 'pipe', prefix: tempPrefix() });
    await reg.writeValue(testKey('close'), 'v', { type: 'REG_SZ', data: 'x' });
    const pid = onlyHelperPid();
    const folder = path.dirname(option(commandLine(pid), '--pipe')!);
    await reg.close();
    assert.ok(isGone(pid), 'the helper is still running after close()');
    assert.equal(fs.existsSync(folder), false, 'the private folder is still there');
    await reg.close();
    await rejectsWith(
      reg.readStringValue(testKey('close'), 'v'),
      'ERR_CLOSED',
      /cannot call readStringValue: the store is closed/,
    );
    await rejectsWith(reg.flush(), 'ERR_CLOSED');
  });

  it('close() with a call in flight answers it first, then stops the helper', async function () {
    const reg = await openRegistry({ mode: 'pipe', prefix: tempPrefix() });
    const pid = onlyHelperPid();
    const pending = reg.keyExists('HKCU');
    await reg.close();
    assert.equal(await pending, true);
    assert.ok(isGone(pid));
    assert.deepEqual(helperPids(), []);
  });

  it('an open registry does not keep Node running, and its helper follows its parent out', async function () {
    const code = `
      const { openRegistry } = require('regbridge');
      openRegistry({ mode: 'pipe', prefix: ${JSON.stringify(tempPrefix())} }).then(async (reg) => {
        await reg.writeValue('HKCU\\\\Software\\\\t', 'v', { type: 'REG_SZ', data: 'x' });
        console.log('written');
      });`;
    const child = await nodeChild(code);
    const helper = helperPids(child.pid);
    assert.equal(child.line, 'written');
    assert.equal(await child.exited, 0); // no close(): the registry alone must not hold the event loop
    await waitUntil(() => helper.every(isGone), 2000, 'the helper outlived its parent by 2 s');
  });

  it('the helper is gone within 2 s of its parent being killed with SIGKILL', async function () {
    const code = `
      const { openRegistry } = require('regbridge');
      openRegistry({ mode: 'pipe', prefix: ${JSON.stringify(tempPrefix())} }).then(async (reg) => {
        await reg.keyExists('HKCU');
        console.log('open');
        setInterval(() => {}, 1000); // stays up until killed
      });`;
    const child = await nodeChild(code);
    const helpers = helperPids(child.pid);
    assert.equal(helpers.length, 1);
    process.kill(child.pid, 'SIGKILL');
    await child.exited;
    const took = await waitUntil(() => isGone(helpers[0]), 2000, 'the helper outlived its SIGKILLed parent by 2 s');
    assert.ok(took <= 2000);
    // The helper made the socket folder, so it removes it on its way out: nothing is left in the temp dir.
    assert.deepEqual(fs.readdirSync(child.tmpdir), []);
  });

  it('ERR_NOT_BUILT when the helper is missing or is not a regbridge helper', async function () {
    await withEnv('REGBRIDGE_SERVER', '/nonexistent/regbridge-server', async () => {
      await rejectsWith(openRegistry({ mode: 'pipe', prefix: tempPrefix() }), 'ERR_NOT_BUILT', /run `npm run build`/);
    });
    await withEnv('REGBRIDGE_SERVER', fakeHelper('echo hello'), async () => {
      await rejectsWith(
        openRegistry({ mode: 'pipe' }),
        'ERR_NOT_BUILT',
        /is not a regbridge helper: its first line was "hello"/,
      );
    });
  });

  it('a helper that exits before its ready line: ERR_HELPER_EXITED with what it said on stderr', async function () {
    await withEnv('REGBRIDGE_SERVER', fakeHelper('echo "cannot open the store: no luck" >&2; exit 3'), async () => {
      await rejectsWith(
        openRegistry({ mode: 'pipe', prefix: tempPrefix() }),
        'ERR_HELPER_EXITED',
        /exited with code 3 before it was ready: cannot open the store: no luck/,
      );
    });
    // And the real helper refusing its command line: its own words come through.
    await withEnv(
      'REGBRIDGE_SERVER',
      fakeHelper(`exec ${path.join(repoRoot, 'build', 'regbridge-server')} --bogus`),
      async () => {
        await rejectsWith(
          openRegistry({ mode: 'pipe' }),
          'ERR_HELPER_EXITED',
          /exited with code 2 before it was ready: .*--bogus/,
        );
      },
    );
    assert.deepEqual(helperPids(), []);
  });

  it('a $TMPDIR too long for a socket path falls back to /tmp', async function () {
    let long = tempDir('long');
    while (long.length < 120) long = path.join(long, 'a-rather-long-folder-name');
    fs.mkdirSync(long, { recursive: true });
    await withEnv('TMPDIR', long, async () => {
      const reg = await openRegistry({ mode: 'pipe', prefix: tempPrefix() });
      try {
        const socketPath = option(commandLine(onlyHelperPid()), '--pipe')!;
        assert.match(socketPath, /^\/tmp\/regbridge-[^/]+\/s$/);
        assert.equal(await reg.keyExists('HKCU'), true);
      } finally {
        await reg.close();
      }
    });
  });
});
