// Pipe mode against helpers it did not start (the `pipe` option): a fake one built on vscode-jsonrpc's server side
// that answers late or never (timeouts and $/cancelRequest), answers oddly, or speaks another protocol version; and
// a real regbridge-server started here that dies and comes back (reconnection, and never a kill from the client).
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';

import { openRegistry } from 'regbridge';
import {
  CancellationToken,
  createMessageConnection,
  ResponseError,
  SocketMessageReader,
  SocketMessageWriter,
} from 'vscode-jsonrpc/node';

import { loose, rejectsWith, repoRoot, tempDir, tempPrefix, testKey } from './00.setup';
import { helperPids, isGone, serverBinary, startServer, waitUntil } from './support/processes';

type Handler = (params: unknown, token: CancellationToken) => unknown;

/** A fake helper on a Unix socket: `initialize` answered as `info` says, other methods by `handlers`. */
async function fakeHelper(
  handlers: Record<string, Handler>,
  info: Record<string, unknown> = {},
): Promise<{ socketPath: string; sockets: net.Socket[]; close(): Promise<void> }> {
  const socketPath = path.join(tempDir('fake'), 's');
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    connection.onRequest('initialize', () => ({
      protocolVersion: 1,
      serverVersion: '0.0.0',
      backend: 'echo',
      pid: process.pid,
      prefix: '',
      maxFrameBytes: 67108864,
      ...info,
    }));
    connection.onRequest((method, params, token) => {
      const handler = handlers[method];
      if (!handler) throw new ResponseError(-32601, `no ${method} here`);
      return handler(params, token);
    });
    connection.listen();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves when `token` is cancelled. */
function cancelled(token: CancellationToken): Promise<void> {
  return new Promise((resolve) => token.onCancellationRequested(() => resolve()));
}

describe('16 pipe: options timeoutMs and pipe', function () {
  it('timeoutMs must be a whole number of milliseconds from 1 to 2^31 - 1 (checked in both modes)', async function () {
    for (const mode of ['in-process', 'pipe'] as const) {
      for (const bad of [0, -5, 1.5, NaN, Infinity, 2 ** 31, '100', null, 10n]) {
        await rejectsWith(
          openRegistry(loose({ mode, prefix: tempPrefix(), timeoutMs: bad })),
          'ERR_INVALID_ARGUMENT',
          /openRegistry: option 'timeoutMs' must be a whole number of milliseconds from 1 to 2147483647, got /,
        );
      }
    }
    await rejectsWith(openRegistry(loose({ timeoutMS: 5 })), 'ERR_INVALID_ARGUMENT', /did you mean 'timeoutMs'/);
    const reg = await openRegistry({ mode: 'in-process', prefix: tempPrefix(), timeoutMs: 1 }); // no timeouts there
    assert.equal(await reg.keyExists('HKCU'), true);
    await reg.close();
  });

  it('pipe must be a socket path, with mode pipe and without prefix', async function () {
    await rejectsWith(
      openRegistry(loose({ mode: 'pipe', pipe: '' })),
      'ERR_INVALID_ARGUMENT',
      /'pipe' must be a non-empty/,
    );
    await rejectsWith(openRegistry(loose({ mode: 'pipe', pipe: 5 })), 'ERR_INVALID_ARGUMENT', /got a number/);
    await rejectsWith(openRegistry({ mode: 'in-process', pipe: '/x/s' }), 'ERR_INVALID_ARGUMENT', /needs mode 'pipe'/);
    await rejectsWith(
      openRegistry({ mode: 'pipe', pipe: '/x/s', prefix: tempPrefix() }),
      'ERR_INVALID_ARGUMENT',
      /'pipe' and 'prefix' do not go together/,
    );
    await rejectsWith(
      openRegistry({ mode: 'pipe', pipe: path.join(tempDir('nothing'), 's') }),
      'ERR_HELPER_EXITED',
      /cannot connect to the regbridge helper at .*ENOENT/,
    );
  });
});

describe('16 pipe: timeouts, odd answers and other versions (a fake helper)', function () {
  it('a call not answered within timeoutMs fails with ERR_TIMEOUT and is cancelled; the connection goes on', async function () {
    const seen: string[] = [];
    const fake = await fakeHelper({
      keyExists: () => true,
      // Answers only once cancelled: a late answer the client must drop.
      readStringValue: async (_params, token) => {
        seen.push('read');
        await cancelled(token);
        seen.push('cancelled');
        return 'too late';
      },
    });
    const reg = await openRegistry({ mode: 'pipe', pipe: fake.socketPath, timeoutMs: 150 });
    try {
      const slow = Array.from({ length: 5 }, () => reg.readStringValue('HKCU\\a', 'v'));
      const fast = Array.from({ length: 5 }, () => reg.keyExists('HKCU'));
      assert.deepEqual(await Promise.all(fast), [true, true, true, true, true]);
      for (const call of slow) {
        await rejectsWith(call, 'ERR_TIMEOUT', /^readStringValue: no answer from the regbridge helper within 150 ms$/);
      }
      const cancels = () => seen.filter((what) => what === 'cancelled').length;
      await waitUntil(() => cancels() === 5, 2000, `the fake saw ${cancels()} of 5 $/cancelRequest`);
      assert.equal(await reg.keyExists('HKCU'), true);
    } finally {
      await reg.close();
      await fake.close();
    }
  });

  it('an initialize that never comes fails openRegistry with ERR_TIMEOUT', async function () {
    const server = net.createServer(() => {}); // accepts, never answers
    const socketPath = path.join(tempDir('mute'), 's');
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await rejectsWith(
        openRegistry({ mode: 'pipe', pipe: socketPath, timeoutMs: 100 }),
        'ERR_TIMEOUT',
        /^initialize: /,
      );
    } finally {
      server.close();
    }
  });

  it('another protocol version is refused with ERR_NOT_BUILT', async function () {
    const fake = await fakeHelper({}, { protocolVersion: 2 });
    try {
      await rejectsWith(
        openRegistry({ mode: 'pipe', pipe: fake.socketPath }),
        'ERR_NOT_BUILT',
        /speaks protocol version 2; this client speaks version 1/,
      );
    } finally {
      await fake.close();
    }
  });

  it('answers without a registry code, malformed results and bad framing are ERR_INTERNAL', async function () {
    const fake = await fakeHelper({
      readValue: () => {
        throw new ResponseError(-32603, 'boom');
      },
      listValues: () => [{ name: 'x', type: 'REG_BINARY', data: { notBase64: 1 } }],
      getKeyInfo: () => ({ subkeyCount: 0, valueCount: 0, lastWriteTime: '2026-01-02T03:04:05.678Z' }),
      keyExists: () => true,
      listSubkeys: () => new Promise(() => {}),
    });
    const reg = await openRegistry({ mode: 'pipe', pipe: fake.socketPath });
    try {
      await rejectsWith(
        reg.readValue('HKCU', 'v'),
        'ERR_INTERNAL',
        /^readValue: the regbridge helper answered with error -32603: boom$/,
      );
      await rejectsWith(reg.listValues('HKCU'), 'ERR_INTERNAL', /^listValues: malformed answer/);
      // A helper without a method this client has is an older build.
      await rejectsWith(
        reg.deleteValue('HKCU', 'v'),
        'ERR_NOT_BUILT',
        /^deleteValue: the regbridge helper answered with error -32601/,
      );
      assert.deepEqual(await reg.getKeyInfo('HKCU'), {
        subkeyCount: 0,
        valueCount: 0,
        lastWriteTime: new Date('2026-01-02T03:04:05.678Z'),
      });
      // Garbage instead of a frame: the connection is given up, its pending calls fail, the next call connects again.
      const pending = reg.listSubkeys('HKCU');
      await new Promise((resolve) => setTimeout(resolve, 20));
      fake.sockets[0].write('this is not a frame\r\n\r\n');
      await rejectsWith(pending, 'ERR_INTERNAL', /^listSubkeys: the regbridge helper sent malformed header line/);
      assert.equal(await reg.keyExists('HKCU'), true);
      assert.equal(fake.sockets.length, 2);
    } finally {
      await reg.close();
      await fake.close();
    }
  });
});

describe('16 pipe: a running helper given with the pipe option', function () {
  it('is used, never killed, and reconnected to after it dies and comes back', async function () {
    const folder = tempDir('external');
    const socketPath = path.join(folder, 's');
    const prefix = tempPrefix();
    let server = await startServer(serverBinary(repoRoot), socketPath, ['--prefix', prefix]);
    const reg = await openRegistry({ mode: 'pipe', pipe: socketPath });
    try {
      await reg.writeValue(testKey('external'), 'v', { type: 'REG_SZ', data: 'x' });
      assert.deepEqual(helperPids(), [server.pid], 'the client started a helper of its own');

      server.child.kill('SIGKILL');
      await server.exited;
      await new Promise((resolve) => setImmediate(resolve));
      await rejectsWith(reg.keyExists('HKCU'), 'ERR_HELPER_EXITED', /cannot connect to the regbridge helper at /);
      assert.deepEqual(helperPids(), [], 'the client started a helper of its own');

      server = await startServer(serverBinary(repoRoot), socketPath, ['--prefix', prefix]);
      assert.equal(await reg.readStringValue(testKey('external'), 'v'), 'x');
      await reg.close();
      assert.ok(!isGone(server.pid), 'close() stopped a helper the registry did not start');
      const again = await openRegistry({ mode: 'pipe', pipe: socketPath });
      assert.equal(await again.readStringValue(testKey('external'), 'v'), 'x');
      await again.close();
    } finally {
      await reg.close();
      server.child.kill('SIGKILL');
    }
  });

  it("a request above the helper's frame limit fails alone, before it is sent", async function () {
    const socketPath = path.join(tempDir('external'), 's');
    const server = await startServer(serverBinary(repoRoot), socketPath, [
      '--prefix',
      tempPrefix(),
      '--max-frame-bytes',
      '4096',
    ]);
    const reg = await openRegistry({ mode: 'pipe', pipe: socketPath });
    try {
      await rejectsWith(
        reg.writeValue(testKey('big'), 'v', { type: 'REG_BINARY', data: Buffer.alloc(4096) }),
        'ERR_INVALID_ARGUMENT',
        /^writeValue: the request is \d+ bytes of JSON, above the helper's limit of 4096 bytes/,
      );
      await reg.writeValue(testKey('big'), 'v', { type: 'REG_BINARY', data: Buffer.alloc(2048) });
      assert.equal(((await reg.readValue(testKey('big'), 'v')).data as Buffer).length, 2048);
    } finally {
      await reg.close();
      server.child.kill('SIGKILL');
    }
  });

  it('calls pending when it dies fail with ERR_HELPER_EXITED', async function () {
    const socketPath = path.join(tempDir('external'), 's');
    const server = await startServer(serverBinary(repoRoot), socketPath, ['--echo']);
    const reg = await openRegistry({ mode: 'pipe', pipe: socketPath, timeoutMs: 60_000 });
    try {
      const calls = Array.from({ length: 50 }, (_, i) => reg.keyExists(`HKCU\\k${i}`));
      server.child.kill('SIGKILL');
      const settled = await Promise.allSettled(calls);
      for (const result of settled) {
        if (result.status === 'fulfilled') continue; // answered before the kill landed
        assert.equal((result.reason as { code?: string }).code, 'ERR_HELPER_EXITED');
      }
    } finally {
      await reg.close();
    }
  });
});
