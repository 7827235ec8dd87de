// The Language Server Protocol's base framing (`Content-Length: N\r\n\r\n` + N bytes of UTF-8 JSON), apart from any
// I/O: bytes in, message texts out (PROTOCOL.md section 2). Rules as in the server's protocol/FrameReader.cpp and
// vscode-jsonrpc's messageReader.ts: header names case-insensitive, Content-Type and unknown headers ignored, a missing,
// duplicate or non-decimal Content-Length is an error.
//
// Speed matters (the benchmark compares this with vscode-jsonrpc): chunks are kept as they arrive and never
// concatenated while a frame is incomplete; a body inside one chunk is decoded straight from it, a body spread over
// several is copied once into a buffer of its exact size.

/** The longest header section accepted without its blank line, as the server's limit (PROTOCOL.md section 8). */
export const maxHeaderBytes = 8192;

const terminator = Buffer.from('\r\n\r\n', 'latin1');
const empty = Buffer.alloc(0);
const contentLengthPrefix = Buffer.from('Content-Length: ', 'latin1');

/** The byte stream is not LSP framing: the connection cannot be used any more. */
export class FramingError extends Error {}

/** One frame around a message text. */
export function frameMessage(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

/** The number of decimal digits of a non-negative integer. */
function digitCount(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/**
 * Frames outgoing messages straight into bytes: each body is encoded once, into a slab, behind its header, and
 * `take` hands what was added since the last take to the socket as one Buffer (no string concatenation, no join, no
 * second encoding and copy by the socket). Bytes handed out are never written again: the next frames go after them,
 * and a full slab is left to the garbage collector, which frees it once the socket is done with it.
 */
export class FrameWriter {
  static readonly slabBytes = 64 * 1024;
  #slab = Buffer.allocUnsafeSlow(FrameWriter.slabBytes);
  #start = 0; // where the bytes not yet taken begin
  #end = 0; // where they end
  #spilled: Buffer[] = []; // frames added before a slab ran out, not yet taken

  /** Adds one framed body. */
  add(body: string): void {
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit. When the byte count's digits are known from those bounds (nearly
    // always), the body is encoded once, into place; otherwise it is measured first.
    const most = body.length * 3;
    let digits = digitCount(most);
    const known = digits === digitCount(body.length);
    const room = 16 + digits + 4 + most;
    if (this.#end + room > this.#slab.length) {
      if (this.#end > this.#start) this.#spilled.push(this.#slab.subarray(this.#start, this.#end));
      this.#slab = Buffer.allocUnsafeSlow(Math.max(FrameWriter.slabBytes, room));
      this.#start = this.#end = 0;
    }
    let bytes: number;
    if (known) {
      bytes = this.#slab.write(body, this.#end + 16 + digits + 4, 'utf8');
    } else {
      bytes = Buffer.byteLength(body, 'utf8');
      digits = digitCount(bytes);
      this.#slab.write(body, this.#end + 16 + digits + 4, 'utf8');
    }
    // The header, byte by byte: no string made and encoded per frame.
    const slab = this.#slab;
    const at = this.#end;
    slab.set(contentLengthPrefix, at);
    let n = bytes;
    for (let i = at + 16 + digits - 1; i >= at + 16; i--) {
      slab[i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    slab.writeUInt32BE(0x0d0a0d0a, at + 16 + digits); // \r\n\r\n
    this.#end += 16 + digits + 4 + bytes;
  }

  /** The bytes added since the last take, or undefined if there are none. */
  take(): Buffer | undefined {
    const last = this.#end > this.#start ? this.#slab.subarray(this.#start, this.#end) : undefined;
    this.#start = this.#end;
    if (this.#spilled.length === 0) return last;
    const parts = this.#spilled;
    this.#spilled = [];
    if (last) parts.push(last);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}

/** The Content-Length of a header section (its lines without the blank line), or a FramingError. */
function contentLength(headers: string): number {
  // What the server always sends, parsed without splitting or regular expressions.
  if (headers.length <= 31 && headers.startsWith('Content-Length: ')) {
    let value = 0;
    let i = 16;
    for (; i < headers.length; i++) {
      const digit = headers.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === headers.length && i > 16) return value;
  }
  let length = -1;
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new FramingError(`malformed header line ${JSON.stringify(line.slice(0, 60))}`);
    if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
    if (length >= 0) throw new FramingError('duplicate Content-Length header');
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!/^[0-9]+$/.test(value)) {
      throw new FramingError(`Content-Length ${JSON.stringify(value.slice(0, 60))} is not a decimal number`);
    }
    // Responses are not capped (PROTOCOL.md section 8), but no Buffer holds 2^53 bytes.
    if (value.length > 15) throw new FramingError(`Content-Length ${value.slice(0, 60)} is too large`);
    length = Number(value);
  }
  if (length < 0) throw new FramingError('missing Content-Length header');
  return length;
}

function startsWithContentLength(chunk: Buffer, at: number): boolean {
  for (let i = 0; i < 16; i++) if (chunk[at + i] !== contentLengthPrefix[i]) return false;
  return true;
}

/** Splits a byte stream into message texts; handles partial frames and many frames per chunk. */
export class FrameReader {
  readonly #chunks: Buffer[] = [];
  #head = 0; // where the unread bytes start in #chunks[0]
  #buffered = 0; // unread bytes in all chunks
  #bodyLength = -1; // the current frame's Content-Length once its header is read
  #failed = false;

  /** Adds bytes; calls `onMessage` with each complete body as text, in order. Throws a FramingError on bad framing. */
  push(chunk: Buffer, onMessage: (text: string) => void): void {
    this.pushBytes(chunk, (bytes, start, end) => onMessage(bytes.toString('utf8', start, end)));
  }

  /**
   * push(), handing each body as bytes: `bytes[start, end)`, valid only during the call. The client decodes a common
   * answer straight from them, without making the body's text first.
   */
  pushBytes(chunk: Buffer, onBody: (bytes: Buffer, start: number, end: number) => void): void {
    if (this.#failed) return;
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      if (this.#bodyLength < 0) {
        try {
          if (!this.#readHeader()) return;
        } catch (error) {
          this.#failed = true;
          throw error;
        }
      }
      const count = this.#bodyLength;
      if (this.#buffered < count) return;
      this.#bodyLength = -1;
      const first = this.#chunks[0];
      if (count === 0) {
        onBody(empty, 0, 0); // the chunks may all be read already
      } else if (first.length - this.#head >= count) {
        const start = this.#head;
        this.#skip(count);
        onBody(first, start, start + count);
      } else {
        const body = this.#peek(count);
        this.#skip(count);
        onBody(body, 0, count);
      }
      if (this.#buffered === 0) return;
    }
  }

  /** Reads the header section if it is all there; false if more bytes are needed. */
  #readHeader(): boolean {
    const first = this.#chunks[0];
    // What the server always sends, read from the bytes without making a string: `Content-Length: N\r\n\r\n`.
    const digitsAt = this.#head + 16;
    if (first.length > digitsAt + 4 && startsWithContentLength(first, this.#head)) {
      let i = digitsAt;
      let value = 0;
      for (; i < first.length && i - digitsAt < 15; i++) {
        const digit = first[i] - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i > digitsAt && i + 4 <= first.length && first.readUInt32BE(i) === 0x0d0a0d0a) {
        this.#bodyLength = value;
        this.#skip(i + 4 - this.#head);
        return true;
      }
    }
    let end = first.indexOf(terminator, this.#head);
    let headers: string;
    if (end >= 0) {
      if (end - this.#head > maxHeaderBytes)
        throw new FramingError(`header section longer than ${maxHeaderBytes} bytes`);
      headers = first.toString('latin1', this.#head, end);
    } else {
      // The blank line may straddle chunks: look at the first few KiB of what is buffered, copied once.
      const probe = this.#peek(Math.min(this.#buffered, maxHeaderBytes + terminator.length));
      end = probe.indexOf(terminator);
      if (end < 0) {
        if (this.#buffered > maxHeaderBytes + terminator.length) {
          throw new FramingError(`header section longer than ${maxHeaderBytes} bytes without a blank line`);
        }
        return false;
      }
      headers = probe.toString('latin1', 0, end);
    }
    this.#bodyLength = contentLength(headers);
    this.#skip(headers.length + terminator.length); // latin1: one character per byte
    return true;
  }

  /** A copy of the next `count` buffered bytes, left unread. */
  #peek(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    let copied = 0;
    for (let i = 0, from = this.#head; copied < count; i++, from = 0) {
      copied += this.#chunks[i].copy(out, copied, from, Math.min(this.#chunks[i].length, from + count - copied));
    }
    return out;
  }

  /** Drops `count` buffered bytes. */
  #skip(count: number): void {
    this.#buffered -= count;
    let dropped = 0;
    while (count > 0) {
      const available = this.#chunks[dropped].length - this.#head;
      if (count < available) {
        this.#head += count;
        break;
      }
      count -= available;
      this.#head = 0;
      dropped++;
    }
    if (dropped > 0) this.#chunks.splice(0, dropped);
  }
}
