// The honest pipe floor, both halves of it. The server: bench/floor/echo-server/ (C++, one thread, poll(); the same
// Unix stream socket and `Content-Length` framing as regbridge-server; no JSON parse — it splices the request's id
// and params bytes into the answer). The client: plain `node:net` with its own frame reader and JSON.parse of each
// answer, no regbridge code; requests made in one turn of the event loop go out in one write, as any careful client
// would do. Crossed with regbridge's own halves (RpcConnection, `regbridge-server --echo`), the four pairs show where
// the time of a round trip goes: client, server, kernel.
import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { RpcConnection } from 'regbridge/internal';

import type { RemoteCall } from '../operations/context';
import { echoFloorFile } from '../paths';

/** A running server: its socket, its pid. */
export interface FloorServer {
  readonly pid: number;
  readonly socketPath: string;
  stop(): Promise<void>;
}

/** Starts the minimal echo server and waits for its "ready" line. */
export async function startFloorServer(): Promise<FloorServer> {
  if (!fs.existsSync(echoFloorFile))
    throw Object.assign(new Error(`${echoFloorFile} is not built`), { code: 'ERR_NOT_BUILT' });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-echo-floor-'));
  const socketPath = path.join(folder, 's');
  // stdin is a pipe: the server exits at its EOF, so it never outlives this process.
  const child: ChildProcess = spawn(echoFloorFile, [socketPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', () => resolve());
    void exited.then(() => reject(new Error(`regbridge-echo-floor exited before it was ready: ${stderr.trim()}`)));
  });
  return {
    pid: child.pid!,
    socketPath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A connection: a call by method and params, resolving with the answer's result. */
export interface Client {
  call: RemoteCall;
  close(): void;
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

const separator = Buffer.from('\r\n\r\n');

/** The minimal client: net.connect, its own frame reader, JSON.parse of each answer. No regbridge code. */
export async function minimalClient(socketPath: string): Promise<Client> {
  const socket = await connect(socketPath);
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    let at = 0;
    for (;;) {
      const headerEnd = buffered.indexOf(separator, at);
      if (headerEnd < 0) break;
      // "Content-Length: " is 16 bytes; the header is that one line.
      const length = Number(buffered.toString('latin1', at + 16, headerEnd));
      const start = headerEnd + 4;
      if (buffered.length < start + length) break;
      const answer = JSON.parse(buffered.toString('utf8', start, start + length)) as { id: number; result: unknown };
      at = start + length;
      const resolve = pending.get(answer.id);
      pending.delete(answer.id);
      resolve?.(answer.result);
    }
    buffered = at === buffered.length ? Buffer.alloc(0) : buffered.subarray(at);
  });
  let out: string[] = [];
  const flush = () => {
    socket.write(out.length === 1 ? out[0] : out.join(''));
    out = [];
  };
  const call: RemoteCall = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      const body = `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${JSON.stringify(params)}}`;
      pending.set(id, resolve);
      if (out.push(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`) === 1) process.nextTick(flush);
    });
  // regbridge-server wants the handshake first; the minimal server echoes it like any request.
  await call('initialize', {});
  return { call, close: () => socket.destroy() };
}

/** regbridge's own connection code (RpcConnection from `regbridge/internal`), without the public API above it. */
export async function regbridgeClient(socketPath: string): Promise<Client> {
  const rpc = new RpcConnection(await connect(socketPath), 60_000, () => {});
  await rpc.request('initialize', {});
  return {
    call: (method, params) => rpc.request(method, params),
    close: () => rpc.lose({ code: 'ERR_CLOSED', message: () => 'closed' }),
  };
}
