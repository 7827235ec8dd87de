// One JSON-RPC 2.0 connection to the helper over a connected socket (PROTOCOL.md sections 3, 4 and 11): requests with
// increasing integer ids, pipelined and matched by id, per-call timeouts with `$/cancelRequest`, and every pending call
// rejected at once when the connection ends. It knows nothing of processes: whoever owns the helper decides what a
// lost connection means.
import type * as net from 'node:net';

import { ErrorCode, isErrorCode, RegistryError } from '../../errors';
import { FrameReader, FramingError, FrameWriter } from './framing';

/** A JSON-RPC error object as the server sends it (PROTOCOL.md section 7). */
interface ResponseError {
  code?: unknown;
  message?: unknown;
  data?: { code?: unknown; key?: unknown; valueName?: unknown };
}

interface Pending {
  readonly method: string;
  readonly deadline: number;
  readonly decode: ((result: unknown) => unknown) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Why a connection ended, as each of its pending calls will report it. */
export interface LostReason {
  readonly code: ErrorCode;
  /** The message of one call's error, given its method. */
  message(method: string): string;
}

/** The server's answer as the RegistryError the in-process mode throws (same code, message, key and valueName). */
function toRegistryError(answer: unknown, method: string): RegistryError {
  // A server that is not this one may send `"error": null` or a string: it still rejects the call, never throws here.
  const error: ResponseError = answer !== null && typeof answer === 'object' ? (answer as ResponseError) : {};
  const message = typeof error.message === 'string' ? error.message : 'no message';
  const data = error.data;
  if (data && isErrorCode(data.code)) {
    return new RegistryError(data.code, message, {
      key: typeof data.key === 'string' ? data.key : undefined,
      valueName: typeof data.valueName === 'string' ? data.valueName : undefined,
    });
  }
  // No registry code: the request itself was wrong (a client bug) or the server is not the one this client expects.
  const code: ErrorCode = error.code === -32601 ? 'ERR_NOT_BUILT' : 'ERR_INTERNAL';
  return new RegistryError(
    code,
    `${method}: the regbridge helper answered with error ${String(error.code)}: ${message}`,
  );
}

const answerHead = Buffer.from('{"jsonrpc":"2.0","id":', 'latin1');
const resultHead = Buffer.from(',"result":', 'latin1');
const notPlain = Symbol('notPlain');

function hasAt(bytes: Buffer, at: number, what: Buffer): boolean {
  if (at + what.length > bytes.length) return false;
  for (let i = 0; i < what.length; i++) if (bytes[at + i] !== what[i]) return false;
  return true;
}

/**
 * The JSON value in `bytes[start, end)`, or notPlain if it is not one on its own. A string without escapes or control
 * characters is decoded straight from its bytes (as the body's text would decode them: UTF-8, bad bytes as U+FFFD);
 * any other value, a string with escapes included (every Windows path has its backslashes escaped), is parsed alone,
 * without the envelope around it (a whole-body JSON.parse was a twelfth of the client's time at 16 calls in flight).
 */
function resultFromBytes(bytes: Buffer, start: number, end: number): unknown {
  if (start >= end) return notPlain;
  if (bytes[start] === 0x22 /* " */) {
    let i = start + 1;
    for (; i < end; i++) {
      const byte = bytes[i];
      if (byte === 0x22 || byte === 0x5c /* \ */ || byte < 0x20) break;
    }
    if (i === end - 1 && bytes[i] === 0x22) return bytes.toString('utf8', start + 1, i);
    if (i < end && bytes[i] === 0x22) return notPlain; // a string, then more: not one value
  }
  try {
    return JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    return notPlain;
  }
}

/** Requests over one socket; see the file comment. */
export class RpcConnection {
  readonly #socket: net.Socket;
  readonly #timeoutMs: number;
  readonly #onLost: (reason: LostReason) => void;
  readonly #reader = new FrameReader();
  readonly #pending = new Map<number, Pending>(); // in send order, hence in deadline order: one timeout for all
  #nextId = 1;
  readonly #out = new FrameWriter();
  #flushScheduled = false;
  #tickNow = 0; // performance.now() when the first request of this turn was made: one clock read per turn
  readonly #methodJson = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #lost: LostReason | undefined;
  #drained: Array<() => void> = [];

  /** Takes over `socket` (connected); `onLost` runs once when the connection ends, after pending calls are rejected. */
  constructor(socket: net.Socket, timeoutMs: number, onLost: (reason: LostReason) => void) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#onLost = onLost;
    // Idle, the connection must not keep the process alive (an in-process registry does not either); it is ref'd
    // while calls are pending.
    socket.unref();
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#reader.pushBytes(chunk, this.#onBody);
      } catch (error) {
        if (!(error instanceof FramingError)) throw error;
        this.lose({
          code: 'ERR_INTERNAL',
          message: (method) => `${method}: the regbridge helper sent ${error.message}`,
        });
      }
    });
    socket.on('error', () => {}); // 'end' or 'close' follows and says what matters
    // The server never half-closes: end of stream means it is gone. 'end' comes in the event loop's I/O phase, 'close'
    // only a few turns later; waiting for it would send the next call to a dead helper.
    const closed = () =>
      this.lose({
        code: 'ERR_HELPER_EXITED',
        message: (method) =>
          `${method}: the connection to the regbridge helper closed before the answer came (the helper exited or ` +
          'was killed); the next call tries again',
      });
    socket.on('end', closed);
    socket.on('close', closed);
  }

  /** Whether the connection has ended. */
  get lost(): boolean {
    return this.#lost !== undefined;
  }

  /**
   * Sends a request; resolves with `decode(result)`, rejects with a RegistryError. `frameLimit`: the server closes
   * the connection on a frame above it, so a larger request fails alone, here.
   */
  request(
    method: string,
    params: unknown,
    decode?: (result: unknown) => unknown,
    frameLimit = Infinity,
  ): Promise<unknown> {
    return this.requestEncoded(method, JSON.stringify(params ?? {}), decode, frameLimit);
  }

  /** request(), with the params written as JSON text already (wireParams.ts writes a bigint as an exact integer). */
  requestEncoded(
    method: string,
    paramsJson: string,
    decode?: (result: unknown) => unknown,
    frameLimit = Infinity,
  ): Promise<unknown> {
    if (this.#lost) return Promise.reject(new RegistryError(this.#lost.code, this.#lost.message(method)));
    const id = this.#nextId++;
    let methodJson = this.#methodJson.get(method);
    if (methodJson === undefined) {
      methodJson = JSON.stringify(method);
      this.#methodJson.set(method, methodJson);
    }
    const body = `{"jsonrpc":"2.0","id":${id},"method":${methodJson},"params":${paramsJson}}`;
    if (body.length * 3 > frameLimit && Buffer.byteLength(body) > frameLimit) {
      return Promise.reject(
        new RegistryError(
          'ERR_INVALID_ARGUMENT',
          `${method}: the request is ${Buffer.byteLength(body)} bytes of JSON, above the helper's limit of ` +
            `${frameLimit} bytes (regbridge-server --max-frame-bytes)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) {
        this.#socket.ref();
        if (this.#timer === undefined) this.#armTimer(this.#timeoutMs);
      }
      // Calls made in one turn share a clock reading: their deadlines differ by at most that turn's length.
      if (!this.#flushScheduled) this.#tickNow = performance.now();
      this.#pending.set(id, { method, deadline: this.#tickNow + this.#timeoutMs, decode, resolve, reject });
      this.#write(body);
    });
  }

  /** Sends a notification (no answer). */
  notify(method: string, params?: unknown): void {
    if (this.#lost) return;
    this.#write(
      `{"jsonrpc":"2.0","method":${JSON.stringify(method)}${params === undefined ? '' : `,"params":${JSON.stringify(params)}`}}`,
    );
  }

  /** Resolves once no call is pending (at once if none is). */
  drained(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Ends the connection: pending calls reject with `reason`, then onLost runs. Idempotent. */
  lose(reason: LostReason): void {
    if (this.#lost) return;
    this.#lost = reason;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#socket.destroy();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) call.reject(new RegistryError(reason.code, reason.message(call.method)));
    this.#settled();
    this.#onLost(reason);
  }

  // Requests made in one turn of the event loop go out in one write (one syscall), encoded once (FrameWriter).
  #write(body: string): void {
    this.#out.add(body);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    process.nextTick(this.#flush);
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const bytes = this.#out.take();
    if (this.#lost || bytes === undefined) return;
    this.#socket.write(bytes);
  };

  // The server writes every successful answer as `{"jsonrpc":"2.0","id":N,"result":R}` (protocol/Message.cpp). Such
  // a body is read here from its bytes: the id as digits, R as a string straight from its bytes when it has no escape,
  // else as JSON text of its own; no envelope object is made. Anything else (errors, other spellings, a result that
  // is not JSON) goes through JSON.parse of the whole body, as before, so what a call sees does not change.
  readonly #onBody = (bytes: Buffer, start: number, end: number): void => {
    if (end - start > answerHead.length + resultHead.length + 2 && hasAt(bytes, start, answerHead)) {
      const digitsAt = start + answerHead.length;
      let i = digitsAt;
      let id = 0;
      if (bytes[i] !== 0x30) {
        for (; i < end && i - digitsAt < 15; i++) {
          const digit = bytes[i] - 48;
          if (digit < 0 || digit > 9) break;
          id = id * 10 + digit;
        }
      }
      if (i > digitsAt && hasAt(bytes, i, resultHead) && bytes[end - 1] === 0x7d /* } */) {
        const result = resultFromBytes(bytes, i + resultHead.length, end - 1);
        if (result !== notPlain) {
          const call = this.#pending.get(id);
          if (call === undefined) return; // late (after a timeout)
          this.#pending.delete(id);
          this.#answered(call, result);
          return;
        }
      }
    }
    this.#onMessage(bytes.toString('utf8', start, end));
  };

  readonly #onMessage = (text: string): void => {
    let message: { id?: unknown; result?: unknown; error?: ResponseError };
    try {
      message = JSON.parse(text);
    } catch {
      this.lose({
        code: 'ERR_INTERNAL',
        message: (method) => `${method}: the regbridge helper sent a body that is not JSON`,
      });
      return;
    }
    // Answers without a known id: late ones after a timeout, and `"id": null` errors about a message the server could
    // not read (a client bug: everything sent here is well-formed).
    const id = message?.id;
    if (typeof id !== 'number') return;
    const call = this.#pending.get(id);
    if (!call) return;
    this.#pending.delete(id);
    if (message.error !== undefined) {
      call.reject(toRegistryError(message.error, call.method));
      if (this.#pending.size === 0) this.#settled();
    } else {
      this.#answered(call, message.result);
    }
  };

  // A call's result has come: resolve it with its decoded form.
  #answered(call: Pending, result: unknown): void {
    if (call.decode) {
      try {
        call.resolve(call.decode(result));
      } catch (error) {
        call.reject(
          new RegistryError(
            'ERR_INTERNAL',
            `${call.method}: malformed answer from the regbridge helper: ${String(error)}`,
          ),
        );
      }
    } else {
      call.resolve(result);
    }
    if (this.#pending.size === 0) this.#settled();
  }

  #settled(): void {
    if (this.#lost === undefined) this.#socket.unref();
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  #armTimer(delay: number): void {
    this.#timer = setTimeout(this.#expire, Math.max(1, Math.ceil(delay)));
    this.#timer.unref(); // the socket is ref'd while calls are pending
  }

  // Every call has the same timeout, so the oldest pending call is the next to expire: one timer, re-armed for it.
  readonly #expire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (const [id, call] of this.#pending) {
      if (call.deadline > now) {
        this.#armTimer(call.deadline - now);
        return;
      }
      this.#pending.delete(id);
      this.notify('$/cancelRequest', { id });
      call.reject(
        new RegistryError(
          'ERR_TIMEOUT',
          `${call.method}: no answer from the regbridge helper within ${this.#timeoutMs} ms`,
        ),
      );
    }
    this.#settled();
  };
}
