// The helper against connections that are not a regbridge client: garbage, a frame cut short and a 100 MiB
// Content-Length each cost only their own connection, leak no file descriptor, and leave the registry's connection
// answering; a client of another uid is cut off without a word, and cannot even reach a private helper's socket.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistry, Registry } from 'regbridge';

import { repoRoot, tempDir, tempPrefix, testKey } from './00.setup';
import {
  commandLine,
  connectTo,
  fdCount,
  onlyHelperPid,
  readUntilClosed,
  serverBinary,
  startServer,
  StartedServer,
  waitUntil,
} from './support/processes';

const nobody = 65534;

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const initialize = frame('{"jsonrpc":"2.0","id":1,"method":"initialize"}');

/** Runs `code` in Node as uid/gid `nobody`; resolves with its stdout. */
function asNobody(code: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['-e', code],
      { uid: nobody, gid: nobody, cwd: '/', timeout: 10_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    ),
  );
}

/** Node source that connects to `socketPath`, sends an initialize request and prints what came back (or the error). */
function clientSource(socketPath: string): string {
  return `
    const socket = require('node:net').connect(${JSON.stringify(socketPath)});
    let got = '';
    socket.on('data', (d) => { got += d; if (got.includes('protocolVersion')) { console.log('answered'); process.exit(0); } });
    socket.on('error', (e) => { console.log(e.code); process.exit(0); });
    socket.on('close', () => { console.log('closed:' + got); process.exit(0); });
    socket.write(${JSON.stringify(initialize)});`;
}

describe('17 pipe: hostile connections and other users', function () {
  let reg: Registry;
  let helper: number;

  beforeEach(async function () {
    reg = await openRegistry({ mode: 'pipe', prefix: tempPrefix() });
    await reg.writeValue(testKey('hostile'), 'v', { type: 'REG_SZ', data: 'still here' });
    helper = onlyHelperPid();
  });

  afterEach(async function () {
    await reg.close();
  });

  function socketPath(): string {
    const args = commandLine(helper);
    return args[args.indexOf('--pipe') + 1];
  }

  it('garbage, a truncated frame and a 100 MiB Content-Length close only their own connection', async function () {
    const fdsBefore = fdCount(helper);

    const garbage = await connectTo(socketPath());
    const garbageSeen = readUntilClosed(garbage, 5000);
    garbage.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');

    const truncated = await connectTo(socketPath());
    const truncatedSeen = readUntilClosed(truncated, 5000);
    truncated.end('Content-Length: 100\r\n\r\n{"jsonrpc":"2.0","id":1,"met'); // and then end of stream

    const huge = await connectTo(socketPath());
    const hugeSeen = readUntilClosed(huge, 5000);
    // And the start of a body the helper must not wait for. Only a little: a client still writing when the helper
    // hangs up gets EPIPE, and Node then drops the socket before it reads the -32600.
    huge.write(`Content-Length: ${100 * 1024 * 1024}\r\n\r\n${' '.repeat(1024)}`);

    // Meanwhile the registry's own connection answers.
    assert.equal(await reg.readStringValue(testKey('hostile'), 'v'), 'still here');

    const [g, t, h] = await Promise.all([garbageSeen, truncatedSeen, hugeSeen]);
    assert.ok(g.closed, 'the garbage connection was not closed');
    assert.match(g.received, /"id":null,"error":\{"code":-32700/);
    assert.ok(t.closed, 'the truncated connection was not closed');
    assert.equal(t.received, '');
    assert.ok(h.closed, 'the 100 MiB connection was not closed');
    assert.match(h.received, /"id":null,"error":\{"code":-32600/);

    assert.equal(await reg.readStringValue(testKey('hostile'), 'v'), 'still here');
    await waitUntil(() => fdCount(helper) === fdsBefore, 2000, `helper fds: ${fdCount(helper)}, before: ${fdsBefore}`);
    assert.equal(onlyHelperPid(), helper, 'the helper was replaced');
  });

  it("a client of another uid cannot reach a private helper's socket (its folder is 0700)", async function () {
    assert.equal(await asNobody(clientSource(socketPath())), 'EACCES');
    assert.equal(await reg.keyExists('HKCU'), true);
  });
});

describe('17 pipe: a helper running as nobody', function () {
  let server: StartedServer;

  before(async function () {
    // Its own private folder (0700, from mkdtemp), owned by nobody, as the helper requires of an existing folder.
    const folder = tempDir('nobody');
    fs.chownSync(folder, nobody, nobody);
    // A copy of the helper that nobody may run: the checkout may lie in a folder only root can enter (a CI
    // workspace, a clone in a mkdtemp folder).
    const binFolder = tempDir('nobody-bin');
    fs.chmodSync(binFolder, 0o755);
    const binary = path.join(binFolder, path.basename(serverBinary(repoRoot)));
    fs.copyFileSync(serverBinary(repoRoot), binary);
    fs.chmodSync(binary, 0o755);
    server = await startServer(binary, path.join(folder, 's'), ['--echo'], {
      uid: nobody,
      gid: nobody,
    });
  });

  after(async function () {
    server?.child.kill('SIGKILL');
    await server?.exited;
  });

  it('answers a client of its own uid', async function () {
    assert.equal(await asNobody(clientSource(server.socketPath)), 'answered');
  });

  it('closes a connection from root (another uid) without a word, though root can reach the socket', async function () {
    const fdsBefore = fdCount(server.pid);
    const socket = await connectTo(server.socketPath);
    const seen = readUntilClosed(socket, 5000);
    socket.write(initialize);
    const { closed, received } = await seen;
    assert.ok(closed, 'the connection from root was left open');
    assert.equal(received, '');
    // At most as many as before: the previous test's connection may still have been closing when they were counted.
    await waitUntil(() => fdCount(server.pid) <= fdsBefore, 2000, 'the refused connection left a descriptor open');
    assert.equal(await asNobody(clientSource(server.socketPath)), 'answered');
  });
});
