// The helper speaks plain JSON-RPC in LSP framing: an unmodified vscode-jsonrpc client, over the socket of a
// regbridge-server started here, handshakes, reads the real prefix's product name, pipelines, gets errors with their
// registry codes, and stops the server with shutdown + exit.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';

import {
  createMessageConnection,
  MessageConnection,
  ResponseError,
  SocketMessageReader,
  SocketMessageWriter,
} from 'vscode-jsonrpc/node';

import { copyOfRealPrefix, repoRoot, tempDir } from './00.setup';
import { connectTo, serverBinary, startServer, StartedServer } from './support/processes';

describe('13 pipe: an unmodified vscode-jsonrpc client talks to regbridge-server', function () {
  let server: StartedServer;
  let connection: MessageConnection;
  let prefix: string;

  before(async function () {
    prefix = copyOfRealPrefix();
    server = await startServer(serverBinary(repoRoot), path.join(tempDir('sock'), 's'), ['--prefix', prefix]);
    const socket = await connectTo(server.socketPath);
    connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    connection.listen();
  });

  after(async function () {
    connection?.dispose();
    server?.child.kill('SIGKILL');
  });

  it('initialize reports protocol version 1, the hive backend, the pid and the prefix', async function () {
    const info = await connection.sendRequest<Record<string, unknown>>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'vscode-jsonrpc test' },
      capabilities: {},
    });
    assert.equal(info.protocolVersion, 1);
    assert.equal(info.backend, 'hive');
    assert.equal(info.pid, server.pid);
    assert.equal(info.prefix, prefix);
    assert.equal(info.maxFrameBytes, 64 * 1024 * 1024);
    assert.match(String(info.serverVersion), /^\d+\.\d+\.\d+/);
  });

  it("readStringValue gives the real prefix's ProductName", async function () {
    const name = await connection.sendRequest<string>('readStringValue', {
      key: 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion',
      name: 'ProductName',
    });
    assert.match(name, /^Microsoft Windows/);
  });

  it('pipelined writes and typed reads, in the documented JSON forms', async function () {
    const key = 'HKCU\\Software\\regbridge-tests\\interop';
    const writes = [
      { name: 'q', value: { type: 'REG_QWORD', data: '18446744073709551615' } },
      { name: 'b', value: { type: 'REG_BINARY', data: { base64: 'AAEC/w==' } } },
      { name: 'm', value: { type: 'REG_MULTI_SZ', data: ['a', 'ü 😀'] } },
      { name: 'd', value: { type: 4, data: 4294967295 } },
    ];
    await Promise.all(writes.map((w) => connection.sendRequest('writeValue', { key, ...w })));
    const reads = await Promise.all(writes.map((w) => connection.sendRequest('readValue', { key, name: w.name })));
    assert.deepEqual(reads, [
      { type: 'REG_QWORD', data: '18446744073709551615' },
      { type: 'REG_BINARY', data: { base64: 'AAEC/w==' } },
      { type: 'REG_MULTI_SZ', data: ['a', 'ü 😀'] },
      { type: 'REG_DWORD', data: 4294967295 },
    ]);
    const info = await connection.sendRequest<{ lastWriteTime: string }>('getKeyInfo', { key });
    assert.match(info.lastWriteTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('errors arrive as ResponseErrors with the registry code, key and value name in data', async function () {
    const key = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion';
    await assert.rejects(connection.sendRequest('readValue', { key, name: 'NoSuchValue' }), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, -32000);
      assert.deepEqual(error.data, { code: 'ERR_VALUE_NOT_FOUND', key, valueName: 'NoSuchValue' });
      return true;
    });
    await assert.rejects(connection.sendRequest('readValue', { key, nmae: 'x' }), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, -32602);
      assert.match(error.message, /readValue: params\.nmae: unknown parameter/);
      return true;
    });
    await assert.rejects(connection.sendRequest('noSuchMethod', {}), { code: -32601 });
  });

  it('shutdown then exit stops the server with exit code 0', async function () {
    assert.equal(await connection.sendRequest('shutdown'), null);
    await connection.sendNotification('exit');
    assert.equal(await server.exited, 0);
  });
});
