// protocol/PROTOCOL.md is normative, so its examples are replayed here against the real helper: every framing
// example's Content-Length is the byte length of its body, and the server answers it; every exchange (`-->` a request
// body, `<--` the answer expected) runs in order on one connection to a helper on a fresh store per section, and each
// answer must be the one written, word for word, apart from what cannot be known in advance (pids, paths, times).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { repoRoot, tempDir, tempPrefix } from './00.setup';
import { connectTo, serverBinary, startServer, StartedServer } from './support/processes';

const documentPath = path.join(repoRoot, 'protocol', 'PROTOCOL.md');

/** A fenced code block of the document, with the section it is in. */
interface Block {
  section: string; // the "## N." heading above it
  heading: string; // the nearest heading above it
  line: number; // 1-based line of its first content line
  lines: string[];
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let section = '';
  let heading = '';
  let open: Block | undefined;
  text.split('\n').forEach((line, index) => {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else {
        open.lines.push(line);
      }
      return;
    }
    if (line.startsWith('```')) open = { section, heading, line: index + 2, lines: [] };
    else if (line.startsWith('## ')) section = heading = line;
    else if (line.startsWith('### ')) heading = line;
  });
  return blocks;
}

/** Reads frames from a socket, independently of the client's own reader. */
class Frames {
  #buffer = Buffer.alloc(0);
  #waiting: ((frame: string) => void)[] = [];
  #frames: string[] = [];

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (;;) {
        const end = this.#buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, end).toString('latin1'))?.[1]);
        if (this.#buffer.length < end + 4 + length) return;
        const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        this.#buffer = this.#buffer.subarray(end + 4 + length);
        const waiter = this.#waiting.shift();
        if (waiter) waiter(body);
        else this.#frames.push(body);
      }
    });
  }

  next(): Promise<string> {
    const frame = this.#frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

function frame(body: string): Buffer {
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'utf8');
}

/**
 * Members whose values the document can only show as examples: they are checked for their type, not their value.
 * `serverVersion` is the package's version.
 */
const illustrative = new Set(['pid', 'prefix', 'pipe', 'lastWriteTime']);

function normalised(value: unknown, actual: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(actual)) return value.map((element, i) => normalised(element, actual[i]));
  if (value === null || typeof value !== 'object' || actual === null || typeof actual !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const real = (actual as Record<string, unknown>)[key];
    out[key] = illustrative.has(key) && typeof real === typeof member ? real : normalised(member, real);
  }
  return out;
}

interface Session {
  server: StartedServer;
  socket: net.Socket;
  frames: Frames;
}

async function openSession(): Promise<Session> {
  const server = await startServer(serverBinary(repoRoot), path.join(tempDir('sock'), 's'), ['--prefix', tempPrefix()]);
  const socket = await connectTo(server.socketPath);
  return { server, socket, frames: new Frames(socket) };
}

/** Replays one exchange block on `session`; `where` names it in failures. */
async function replay(session: Session, block: Block): Promise<void> {
  for (const [i, line] of block.lines.entries()) {
    const where = `PROTOCOL.md line ${block.line + i} (${block.heading})`;
    if (line.startsWith('--> ')) {
      session.socket.write(frame(line.slice(4)));
    } else if (line.startsWith('<-- ')) {
      const expected: unknown = JSON.parse(line.slice(4));
      const actual: unknown = JSON.parse(await session.frames.next());
      assert.deepEqual(actual, normalised(expected, actual), where);
    }
  }
}

const text = fs.readFileSync(documentPath, 'utf8');
const blocks = blocksOf(text);
const exchanges = blocks.filter((block) => block.lines.some((line) => line.startsWith('--> ')));
const framings = blocks.filter((block) => block.lines.some((line) => /^Content-Length: \d+\\r\\n$/.test(line)));

describe('28 PROTOCOL.md: every example replayed against the real helper', function () {
  it('finds the examples it replays', function () {
    assert.ok(framings.length >= 1, 'a framing example');
    assert.ok(exchanges.length >= 10, `exchanges: ${exchanges.length}`);
  });

  it("each framing example's Content-Length is its body's byte length, and the server answers the frame", async function () {
    for (const block of framings) {
      const header = /^Content-Length: (\d+)\\r\\n$/.exec(block.lines[0]);
      assert.ok(header, `PROTOCOL.md line ${block.line}: the header comes first`);
      assert.equal(block.lines[1], '\\r\\n', `PROTOCOL.md line ${block.line + 1}: a blank line ends the header`);
      const body = block.lines.slice(2).join('\n');
      assert.equal(Number(header[1]), Buffer.byteLength(body), `PROTOCOL.md line ${block.line}: Content-Length`);
      const session = await openSession();
      try {
        session.socket.write(Buffer.from(`Content-Length: ${header[1]}\r\n\r\n${body}`, 'utf8'));
        const answer = JSON.parse(await session.frames.next()) as { id: unknown; result?: unknown };
        assert.deepEqual(answer, { jsonrpc: '2.0', id: (JSON.parse(body) as { id: unknown }).id, result: null });
      } finally {
        session.server.child.kill('SIGKILL');
      }
    }
  });

  const sections = [...new Set(exchanges.map((block) => block.section))];
  for (const section of sections) {
    it(`the exchanges of "${section.slice(3)}" give the answers written, in order, on a fresh store`, async function () {
      const session = await openSession();
      try {
        for (const block of exchanges.filter((b) => b.section === section)) await replay(session, block);
        if (exchanges.some((b) => b.section === section && b.lines.some((l) => l.includes('"method":"exit"')))) {
          assert.equal(await session.server.exited, 0, 'the server exits with code 0 after shutdown and exit');
          assert.ok(!fs.existsSync(session.server.socketPath), 'and removes its socket');
        }
      } finally {
        session.server.child.kill('SIGKILL');
      }
    });
  }

  it('the ready line and the initialize result have the members the document shows', async function () {
    const session = await openSession();
    try {
      const readyExample = blocks.flatMap((block) => block.lines).find((line) => line.startsWith('{"ready":true'));
      assert.ok(readyExample, 'the document shows a ready line');
      assert.deepEqual(Object.keys(JSON.parse(readyExample)).sort(), ['pid', 'pipe', 'ready']);
      const initializeExample = blocks.find((block) => block.lines[0]?.startsWith('{"protocolVersion"'));
      assert.ok(initializeExample, 'the document shows an initialize result');
      session.socket.write(frame('{"jsonrpc":"2.0","id":1,"method":"initialize"}'));
      const actual = (JSON.parse(await session.frames.next()) as { result: Record<string, unknown> }).result;
      const expected = JSON.parse(initializeExample.lines[0]) as Record<string, unknown>;
      const packageVersion = (
        JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
      assert.equal(actual.serverVersion, packageVersion);
      assert.deepEqual(actual, normalised({ ...expected, serverVersion: packageVersion }, actual));
    } finally {
      session.server.child.kill('SIGKILL');
    }
  });
});
