// The pipe placement: the handlers run in a helper process, regbridge-server, reached over a Unix socket (a named
// pipe on Windows) with JSON-RPC in LSP framing (protocol/PROTOCOL.md). This file owns the helper's life: start it (or
// connect to a running one), handshake, notice its death, start it again on the next call — but not after 5 deaths
// within 3 minutes, the rule of vscode-languageclient's DefaultErrorHandler — and stop it on close(). While a call
// waits for a helper to be (re)started, or close() for one to exit, the event loop is held (LoopHold): their handles
// are unref'd, and Node would otherwise end the program with the call unsettled.
import * as net from 'node:net';

import { RegistryError } from '../errors';
import {
  clearSocketFolder,
  HelperProcess,
  helperPath,
  makeListenAddress,
  removeSocketFolder,
  startHelper,
  startTimeoutMs,
} from './pipe/helperProcess';
import { LoopHold } from './pipe/loopHold';
import { LostReason, RpcConnection } from './pipe/rpcConnection';
import { paramsWriter } from './pipe/wireParams';
import { resultDecoder } from './pipe/wireResults';
import { operationSpecs } from '../generated/operations';
import type { Method } from '../generated/operations';
import type { Operations, Transport } from './Transport';

/** The protocol version this client speaks (PROTOCOL.md section 4.1). */
export const protocolVersion = 1;

/** A helper that dies this many times within crashWindowMs is not started again. */
export const maxCrashes = 5;
/** See maxCrashes. */
export const crashWindowMs = 3 * 60_000;
/** How long close() waits for the helper to exit after `exit` before it kills it. */
export const exitGraceMs = 2_000;

/** What openPipe needs, checked already (api.ts). */
export interface PipeOptions {
  /** The store's folder, absolute; '' for the helper's default. */
  prefix: string;
  /** How long a call waits for its answer. */
  timeoutMs: number;
  /** The socket of a helper that is already running: connect to it instead of starting one. */
  pipe?: string;
}

/** What `initialize` answers (PROTOCOL.md section 4.1). */
interface ServerInfo {
  protocolVersion: number;
  pid: number;
  prefix: string;
  maxFrameBytes: number;
}

/** One connection to one helper. */
interface Link {
  readonly rpc: RpcConnection;
  /** The helper this registry started; absent when connected to a running one (the `pipe` option). */
  readonly helper?: HelperProcess;
  readonly maxFrameBytes: number;
}

/** Resolves with whether the helper has exited within `ms` (a SIGKILLed one in uninterruptible sleep may not). */
async function exitedWithin(helper: HelperProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([helper.exited.then(() => true), over]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connects to a Unix socket or a Windows named pipe; rejects with ERR_HELPER_EXITED when nothing listens there. */
function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const onError = (cause: Error) => {
      const message = `cannot connect to the regbridge helper at ${socketPath}: ${cause.message}`;
      reject(new RegistryError('ERR_HELPER_EXITED', message, { cause }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.removeListener('error', onError);
      resolve(socket);
    });
  });
}

/** How one operation's params are written and its result read on the wire. */
interface WireCodec {
  readonly write: (params: readonly unknown[]) => string;
  readonly decode: (result: unknown) => unknown;
}

/** One function per operation of the generated spec, each calling `call` with its own codec. */
function pipeOperations(
  call: (method: Method, params: readonly unknown[], codec: WireCodec) => Promise<unknown>,
): Operations {
  const operations: Record<string, (...params: unknown[]) => Promise<unknown>> = {};
  for (const [method, spec] of Object.entries(operationSpecs)) {
    const codec: WireCodec = { write: paramsWriter(spec), decode: resultDecoder(spec.result) };
    operations[method] = (...params) => call(method as Method, params, codec);
  }
  return operations as unknown as Operations;
}

class PipeTransport implements Transport {
  readonly mode = 'pipe' as const;
  readonly operations: Operations = pipeOperations((method, params, writer) => this.call(method, params, writer));
  readonly #options: PipeOptions;
  readonly #folder: string | undefined; // the private folder of the socket, when this registry starts the helper
  #socketPath: string;
  #link: Link | undefined;
  #connecting: Promise<Link> | undefined;
  #closing: Promise<void> | undefined;
  readonly #crashes: number[] = []; // when the helper died unexpectedly, oldest first
  #crashLoop = false;
  #everLinked = false; // a failure to start after the first success is a crash too
  #lastHelper: HelperProcess | undefined;
  readonly #hold = new LoopHold();

  constructor(options: PipeOptions) {
    this.#options = options;
    if (options.pipe !== undefined) {
      this.#socketPath = options.pipe;
    } else {
      const made = makeListenAddress();
      this.#folder = made.folder;
      this.#socketPath = made.socketPath;
    }
  }

  /** Starts (or reaches) the helper; on failure cleans up and rethrows. */
  async open(): Promise<void> {
    try {
      await this.#hold.around(this.#ensureLink());
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  call(method: Method, params: readonly unknown[], codec: WireCodec): Promise<unknown> {
    if (this.#closing) {
      return Promise.reject(new RegistryError('ERR_CLOSED', `cannot call ${method}: the store is closed`));
    }
    const wire = codec.write(params);
    const link = this.#link;
    if (link && !link.rpc.lost) return link.rpc.requestEncoded(method, wire, codec.decode, link.maxFrameBytes);
    return this.#hold.around(
      this.#ensureLink().then((fresh) => fresh.rpc.requestEncoded(method, wire, codec.decode, fresh.maxFrameBytes)),
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#hold.around(this.#shutDown());
    return this.#closing;
  }

  #ensureLink(): Promise<Link> {
    if (this.#link && !this.#link.rpc.lost) return Promise.resolve(this.#link);
    if (this.#connecting) return this.#connecting;
    if (this.#crashLoop) {
      return Promise.reject(
        new RegistryError(
          'ERR_HELPER_CRASH_LOOP',
          `the regbridge helper (${helperPath()}) exited unexpectedly ${maxCrashes} times within ` +
            `${crashWindowMs / 60_000} minutes, so it is not started again; open a new registry to try again`,
        ),
      );
    }
    const connecting = this.#makeLink().finally(() => {
      if (this.#connecting === connecting) this.#connecting = undefined;
    });
    this.#connecting = connecting;
    return connecting;
  }

  async #makeLink(): Promise<Link> {
    try {
      const link = await this.#connect();
      this.#link = link;
      this.#everLinked = true;
      return link;
    } catch (error) {
      if (this.#everLinked && this.#options.pipe === undefined) this.#recordCrash(); // a failed restart counts too
      throw error;
    }
  }

  async #connect(): Promise<Link> {
    let helper: HelperProcess | undefined;
    let socket: net.Socket;
    try {
      if (this.#options.pipe === undefined) {
        // The new helper listens on the same path: the last one must be gone, or the new one would refuse to start.
        const last = this.#lastHelper;
        if (last) {
          await this.#retire(last);
          // Emptied on its exit already (#helperExited); it must be gone before the next helper looks for it.
          if (this.#folder) clearSocketFolder(this.#folder);
        }
        // A named pipe (Windows, no folder) gets a new name for each helper: a new helper refuses a name that exists,
        // and the last one's may not be free yet (a pipe lasts while any handle to one of its instances is open).
        if (this.#folder === undefined) this.#socketPath = makeListenAddress().socketPath;
        helper = this.#lastHelper = await startHelper(this.#socketPath, this.#options.prefix);
        helper.exited.then(() => this.#helperExited(helper!));
      }
      socket = await connect(helper ? helper.socketPath : this.#socketPath);
    } catch (error) {
      helper?.kill('SIGKILL');
      throw error;
    }
    let link: Link | undefined;
    const rpc = new RpcConnection(socket, this.#options.timeoutMs, (reason) => this.#lost(link, helper, reason));
    helper?.exited.then(() =>
      rpc.lose({
        code: 'ERR_HELPER_EXITED',
        message: (method) => `${method}: the regbridge helper (pid ${helper.pid}) exited with ${helper.exitText}`,
      }),
    );
    const fail = (error: RegistryError): RegistryError => {
      rpc.lose({ code: error.code, message: () => error.message });
      return error;
    };
    let info: ServerInfo;
    try {
      info = (await rpc.request('initialize', { clientInfo: { name: 'regbridge' } })) as ServerInfo;
    } catch (error) {
      throw error instanceof RegistryError ? fail(error) : error;
    }
    if (info?.protocolVersion !== protocolVersion) {
      throw fail(
        new RegistryError(
          'ERR_NOT_BUILT',
          `the regbridge helper ${helper ? helperPath() : `at ${this.#socketPath}`} speaks protocol version ` +
            `${String(info?.protocolVersion)}; this client speaks version ${protocolVersion}: run \`npm run build\` ` +
            '(or set REGBRIDGE_SERVER to a matching helper)',
        ),
      );
    }
    link = { rpc, helper, maxFrameBytes: typeof info.maxFrameBytes === 'number' ? info.maxFrameBytes : Infinity };
    return link;
  }

  /** Kills a helper that is of no more use and waits until it is gone, for at most startTimeoutMs. */
  async #retire(helper: HelperProcess): Promise<void> {
    if (helper.hasExited) return;
    helper.kill('SIGKILL');
    if (!(await exitedWithin(helper, startTimeoutMs))) {
      throw new RegistryError(
        'ERR_TIMEOUT',
        `the regbridge helper (pid ${helper.pid}) has not exited ${startTimeoutMs} ms after SIGKILL, so no new one ` +
          'can take its socket',
      );
    }
  }

  /**
   * A helper this registry started has exited. One that was killed (or crashed) could not remove the socket folder
   * it made; a replacement would find the folder there, not count it as its own, and leave it behind when it exits in
   * turn. So the folder goes now: the next helper makes it again and removes it again.
   */
  #helperExited(helper: HelperProcess): void {
    if (this.#folder && this.#lastHelper === helper) clearSocketFolder(this.#folder);
  }

  /** A connection ended; its pending calls are rejected already. */
  #lost(link: Link | undefined, helper: HelperProcess | undefined, reason: LostReason): void {
    if (link && this.#link === link) this.#link = undefined;
    if (this.#closing) return; // the helper is on its way out (#stopHelper)
    // A helper whose connection broke is of no more use, and it holds the socket path the next one needs.
    helper?.kill('SIGKILL');
    if (link && helper && reason.code === 'ERR_HELPER_EXITED') this.#recordCrash();
  }

  #recordCrash(): void {
    const now = Date.now();
    this.#crashes.push(now);
    while (this.#crashes.length > 0 && now - this.#crashes[0] > crashWindowMs) this.#crashes.shift();
    if (this.#crashes.length >= maxCrashes) this.#crashLoop = true;
  }

  async #shutDown(): Promise<void> {
    // Calls made before close() are sent before `shutdown` (their .then ran first), so they are answered first.
    const link = this.#link ?? (await this.#connecting?.catch(() => undefined));
    try {
      if (link && !link.rpc.lost) {
        if (link.helper) await this.#stopHelper(link, link.helper);
        else await this.#disconnect(link);
      }
    } finally {
      this.#link = undefined;
      if (this.#folder) removeSocketFolder(this.#folder);
    }
  }

  /** `shutdown`, `exit`, and a SIGKILL if the helper is still there after exitGraceMs (PROTOCOL.md section 4.2). */
  async #stopHelper(link: Link, helper: HelperProcess): Promise<void> {
    try {
      await link.rpc.request('shutdown', undefined);
      link.rpc.notify('exit');
    } catch {
      // it died or does not answer: killed below
    }
    if (!(await exitedWithin(helper, exitGraceMs))) {
      helper.kill('SIGKILL');
      // Bounded, so that close() always returns; a helper that outlives even SIGKILL follows its parent out.
      await exitedWithin(helper, startTimeoutMs);
    }
  }

  /** A helper this registry did not start is left running: wait for the answers, then hang up. */
  async #disconnect(link: Link): Promise<void> {
    await link.rpc.drained();
    link.rpc.lose({ code: 'ERR_CLOSED', message: (method) => `cannot call ${method}: the store is closed` });
  }
}

/** Starts a helper (or connects to `options.pipe`), handshakes, and returns the transport. */
export async function openPipe(options: PipeOptions): Promise<Transport> {
  const transport = new PipeTransport(options);
  await transport.open();
  return transport;
}
