// The pipe client's LSP framing (client-ts/src/transport/pipe/framing.ts) on its own: partial frames, many frames per
// chunk, UTF-8 split across chunks, the header rules, and frames exchanged both ways with vscode-jsonrpc's own reader
// and writer.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';

import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

import { repoRoot } from './00.setup';

type Framing = typeof import('../../dist/transport/pipe/framing.js');
const { FrameReader, FrameWriter, FramingError, frameMessage, maxHeaderBytes } = require(
  `${repoRoot}/dist/transport/pipe/framing.js`,
) as Framing;

/** Feeds `chunks` to a new reader; returns the texts it gave. */
function readAll(chunks: Buffer[]): string[] {
  const reader = new FrameReader();
  const texts: string[] = [];
  for (const chunk of chunks) reader.push(chunk, (text) => texts.push(text));
  return texts;
}

/** `bytes` cut into pieces of `size` bytes. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function failsWith(bytes: string, message: RegExp): void {
  const reader = new FrameReader();
  assert.throws(
    () => reader.push(Buffer.from(bytes, 'latin1'), () => assert.fail('no message expected')),
    (error: unknown) => {
      assert.ok(error instanceof FramingError);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('11 pipe: LSP framing', function () {
  const bodies = ['{"id":1}', '{"text":"Grüße 😀 \\u0000"}', '', '[]', `{"big":"${'x'.repeat(100_000)}"}`, '{"id":2}'];
  const stream = Buffer.from(bodies.map(frameMessage).join(''), 'utf8');

  it('writes Content-Length in bytes, not characters', function () {
    assert.equal(frameMessage('{"a":"😀"}'), 'Content-Length: 12\r\n\r\n{"a":"😀"}');
  });

  it('writes frames as bytes exactly as frameMessage frames them, across slabs and byte-count digit boundaries', function () {
    // Lengths where the UTF-8 byte count may have more digits than the character count (33 -> up to 99, 34 -> up
    // to 102), multi-byte and four-byte characters, a body larger than a slab, and enough small frames to fill
    // several slabs.
    const texts = ['', 'a', 'x'.repeat(33), 'x'.repeat(34), 'é'.repeat(34), '😀'.repeat(17), '€'.repeat(3334)];
    texts.push('y'.repeat(FrameWriter.slabBytes * 2));
    for (let i = 0; i < 2000; i++) texts.push(`{"id":${i},"s":"${'ü'.repeat(i % 50)}"}`);
    const writer = new FrameWriter();
    const taken: Buffer[] = [];
    for (const [i, text] of texts.entries()) {
      writer.add(text);
      if (i % 7 === 0) taken.push(writer.take() ?? Buffer.alloc(0));
    }
    taken.push(writer.take() ?? Buffer.alloc(0));
    assert.equal(writer.take(), undefined);
    assert.ok(Buffer.concat(taken).equals(Buffer.from(texts.map(frameMessage).join(''), 'utf8')));
    assert.deepEqual(readAll(taken), texts);
  });

  it('bytes handed out are not overwritten by later frames', function () {
    const writer = new FrameWriter();
    writer.add('{"first":1}');
    const first = writer.take();
    const copy = Buffer.from(first!);
    for (let i = 0; i < 5000; i++) writer.add(`{"later":${i}}`);
    writer.take();
    assert.ok(first!.equals(copy));
  });

  it('reads many frames from one chunk, in order', function () {
    assert.deepEqual(readAll([stream]), bodies);
  });

  it('reads frames cut at every byte, multi-byte characters and the blank line split across chunks', function () {
    const small = Buffer.from(bodies.slice(0, 4).map(frameMessage).join(''), 'utf8');
    assert.deepEqual(readAll(pieces(small, 1)), bodies.slice(0, 4));
    for (const size of [2, 3, 5, 7, 64, 1000, 65536])
      assert.deepEqual(readAll(pieces(stream, size)), bodies, `size ${size}`);
  });

  it('reads a body spread over many chunks once it is all there, not before', function () {
    const body = JSON.stringify({ data: 'é'.repeat(1 << 20) });
    const reader = new FrameReader();
    const texts: string[] = [];
    const chunks = pieces(Buffer.from(frameMessage(body)), 65536);
    for (const [i, chunk] of chunks.entries()) {
      reader.push(chunk, (text) => texts.push(text));
      assert.equal(texts.length, i === chunks.length - 1 ? 1 : 0);
    }
    assert.equal(texts[0], body);
  });

  it('accepts any case, spaces and tabs, Content-Type and unknown headers', function () {
    const frame =
      'content-length: \t8 \r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Other: 1\r\n\r\n{"id":3}';
    assert.deepEqual(readAll([Buffer.from(frame)]), ['{"id":3}']);
  });

  it('refuses a missing, duplicate or non-decimal Content-Length, a line without a colon, an endless header', function () {
    failsWith('Content-Type: x\r\n\r\n{}', /missing Content-Length/);
    failsWith('Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}', /duplicate Content-Length/);
    failsWith('Content-Length: 0x10\r\n\r\n', /not a decimal number/);
    failsWith('Content-Length: -1\r\n\r\n', /not a decimal number/);
    failsWith('Content-Length 2\r\n\r\n{}', /malformed header line/);
    failsWith('Content-Length: 99999999999999999999\r\n\r\n', /too large/);
    failsWith(`X: ${'y'.repeat(maxHeaderBytes + 10)}`, /header section longer than 8192 bytes/);
    failsWith(`X: ${'y'.repeat(maxHeaderBytes + 10)}\r\n\r\n`, /header section longer than 8192 bytes/);
  });

  it('gives nothing more after a framing error', function () {
    const reader = new FrameReader();
    assert.throws(() => reader.push(Buffer.from('garbage\r\n\r\n'), () => {}), FramingError);
    reader.push(Buffer.from(frameMessage('{}')), () => assert.fail('read after an error'));
  });

  it("reads what vscode-jsonrpc's writer writes", async function () {
    const wire = new PassThrough();
    const writer = new StreamMessageWriter(wire);
    const received: Buffer[] = [];
    wire.on('data', (chunk: Buffer) => received.push(chunk));
    const messages = [
      { jsonrpc: '2.0' as const, id: 1, method: 'readValue', params: { key: 'HKCU\\Ünï 😀', name: '' } },
      { jsonrpc: '2.0' as const, method: '$/cancelRequest', params: { id: 1 } },
    ];
    for (const message of messages) await writer.write(message);
    assert.deepEqual(
      readAll(pieces(Buffer.concat(received), 3)).map((text) => JSON.parse(text)),
      messages,
    );
  });

  it("writes what vscode-jsonrpc's reader reads", async function () {
    const wire = new PassThrough();
    const reader = new StreamMessageReader(wire);
    const got: unknown[] = [];
    const all = new Promise<void>((resolve) =>
      reader.listen((message) => {
        got.push(message);
        if (got.length === 3) resolve();
      }),
    );
    const messages = [
      { jsonrpc: '2.0', id: 1, result: 'Grüße 😀' },
      { jsonrpc: '2.0', id: 2, result: { data: 'x'.repeat(200_000) } },
      { jsonrpc: '2.0', id: 3, error: { code: -32000, message: 'm', data: { code: 'ERR_IO' } } },
    ];
    const bytes = Buffer.from(messages.map((m) => frameMessage(JSON.stringify(m))).join(''));
    for (const piece of pieces(bytes, 4093)) wire.write(piece);
    await all;
    assert.deepEqual(got, messages);
    reader.dispose();
  });
});

type Rpc = typeof import('../../dist/transport/pipe/rpcConnection.js');
const { RpcConnection } = require(`${repoRoot}/dist/transport/pipe/rpcConnection.js`) as Rpc;

// RpcConnection reads the usual answer `{"jsonrpc":"2.0","id":N,"result":R}` from its bytes, without JSON.parse of
// the whole body; every answer must still resolve exactly as JSON.parse of its body says.
describe('11 pipe: answers read from their bytes', function () {
  /** A stand-in for the connected socket: what RpcConnection calls on it, and 'data' fed by the test. */
  function fakeSocket() {
    const socket = new PassThrough() as PassThrough & { ref(): void; unref(): void };
    socket.ref = () => {};
    socket.unref = () => {};
    socket.resume(); // requests written are dropped
    return socket;
  }

  it('resolves each call with the result JSON.parse reads from its body, whatever the spelling', async function () {
    const results = [
      'plain',
      '',
      'Grüße 😀',
      'quote " and backslash \\ and tab \t',
      'C:\\Windows\\System32', // escapes: the result alone is parsed, without its envelope
      'lone \ud800 surrogate', // written as \ud800
      '\u0000',
      { type: 'REG_SZ', data: 'x' },
      [1, 'two', null],
      true,
      false,
      null,
      0,
      -1.5e3,
      'x'.repeat(70_000),
    ];
    const bodies: Buffer[] = results.map((result, i) =>
      Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: i + 1, result })),
    );
    // Spellings that JSON allows and the byte reader must hand back to JSON.parse.
    const odd = [
      `{"jsonrpc":"2.0","id":${bodies.length + 1},"result":"a" }`,
      `{"jsonrpc":"2.0","id":${bodies.length + 2},"result":"a","result":"b"}`,
      `{"jsonrpc":"2.0","id":${bodies.length + 3},"result":{"a":1},"extra":1}`,
      `{"id":${bodies.length + 4},"jsonrpc":"2.0","result":"c"}`,
      `{"jsonrpc":"2.0","id":${bodies.length + 5},"result":"\\u00e9"}`,
      `{"jsonrpc":"2.0","id":${bodies.length + 6},"result":"a\\\\b" }`,
      `{"jsonrpc":"2.0","id":${bodies.length + 7},"result":"a\\"b"}`,
      `{"jsonrpc":"2.0","id":${bodies.length + 8},"result":"a\\nb","extra":1}`,
    ];
    for (const text of odd) bodies.push(Buffer.from(text));
    // A body whose string holds a byte that is not UTF-8: U+FFFD, as decoding the whole body as text gives.
    bodies.push(
      Buffer.concat([
        Buffer.from(`{"jsonrpc":"2.0","id":${bodies.length + 1},"result":"a`),
        Buffer.from([0xff]),
        Buffer.from('b"}'),
      ]),
    );
    const socket = fakeSocket();
    const rpc = new RpcConnection(socket as unknown as import('node:net').Socket, 60_000, () => {});
    const calls = bodies.map(() => rpc.request('m', {}));
    for (const body of bodies) {
      const frame = Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
      for (const piece of pieces(frame, 7)) socket.emit('data', piece);
    }
    const got = await Promise.all(calls);
    const expected = bodies.map((body) => JSON.parse(body.toString('utf8')).result);
    assert.deepEqual(got, expected);
    assert.equal(got[got.length - 1], 'a\ufffdb');
    rpc.lose({ code: 'ERR_INTERNAL', message: () => 'done' });
  });

  it('rejects with the error of an error answer and ignores answers to unknown ids', async function () {
    const socket = fakeSocket();
    const rpc = new RpcConnection(socket as unknown as import('node:net').Socket, 60_000, () => {});
    const call = rpc.request('readStringValue', {});
    for (const text of [
      '{"jsonrpc":"2.0","id":7,"result":"late"}',
      '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"gone","data":{"code":"ERR_KEY_NOT_FOUND"}}}',
    ]) {
      socket.emit('data', Buffer.from(frameMessage(text)));
    }
    await assert.rejects(call, (error: { code?: string; message?: string }) => {
      assert.equal(error.code, 'ERR_KEY_NOT_FOUND');
      assert.equal(error.message, 'gone');
      return true;
    });
    rpc.lose({ code: 'ERR_INTERNAL', message: () => 'done' });
  });

  it('rejects, without throwing in the socket handler, when an error answer holds no error object', async function () {
    const socket = fakeSocket();
    const rpc = new RpcConnection(socket as unknown as import('node:net').Socket, 60_000, () => {});
    const calls = [rpc.request('readStringValue', {}), rpc.request('keyExists', {})];
    socket.emit('data', Buffer.from(frameMessage('{"jsonrpc":"2.0","id":1,"error":null}')));
    socket.emit('data', Buffer.from(frameMessage('{"jsonrpc":"2.0","id":2,"error":"broken"}')));
    for (const [call, method] of [
      [calls[0], 'readStringValue'],
      [calls[1], 'keyExists'],
    ] as const) {
      await assert.rejects(call, (error: { code?: string; message?: string }) => {
        assert.equal(error.code, 'ERR_INTERNAL');
        assert.match(error.message ?? '', new RegExp(`^${method}: the regbridge helper answered with error`));
        return true;
      });
    }
    rpc.lose({ code: 'ERR_INTERNAL', message: () => 'done' });
  });
});
