// What the command line prints. Text goes out with CRLF line ends, as Wine's reg writes them (so that its output and
// ours compare byte for byte), in UTF-8; it is gathered and written in large pieces, not a write per line.
import * as fs from 'node:fs';

/** Text lines to stdout, buffered. */
export class TextOutput {
  #pending = '';

  /** Adds one line (its CRLF is added here). */
  line(text = ''): void {
    this.#pending += `${text}\r\n`;
    if (this.#pending.length >= 1 << 16) this.flush();
  }

  /** Writes what is pending. Synchronous, so that nothing is lost when the process exits right after. */
  flush(): void {
    if (this.#pending === '') return;
    writeAll(1, this.#pending);
    this.#pending = '';
  }
}

/** Writes all of `text` (UTF-8) to a file descriptor, retrying while a pipe is full. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

/** One JSON document on stdout, the form --json gives every verb. */
export function printJson(document: unknown): void {
  writeAll(1, `${JSON.stringify(document, null, 2)}\n`);
}
