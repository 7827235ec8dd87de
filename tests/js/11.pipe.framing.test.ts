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
