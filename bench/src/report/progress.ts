// Progress on stderr: a bar with the ETA redrawn in place on a terminal, one plain line per trial otherwise (CI logs,
// pipes). The ETA scales the remaining trials' expected durations by how the finished ones compared with theirs.

const width = 28;

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Progress of the trial list. */
export class Progress {
  readonly #tty: boolean;
  readonly #total: number;
  readonly #start = performance.now();
  #doneWeight = 0;
  #current = { name: '', weight: 0, fraction: 0, index: 0 };
  #count: number;

  constructor(weights: number[]) {
    this.#tty = process.stderr.isTTY === true;
    this.#total = weights.reduce((a, b) => a + b, 0);
    this.#count = weights.length;
  }

  /** A trial starts. */
  start(name: string, weight: number, index: number): void {
    this.#current = { name, weight, fraction: 0, index };
    this.#draw();
  }

  /** The current trial is this far (0..1). */
  update(fraction: number): void {
    this.#current.fraction = Math.min(1, Math.max(0, fraction));
    this.#draw();
  }

  /** The current trial ended. */
  done(seconds: number, status: string): void {
    this.#doneWeight += this.#current.weight;
    const line = `[${this.#current.index + 1}/${this.#count}] ${this.#current.name.padEnd(26)} ${seconds.toFixed(1).padStart(5)} s  ${status}`;
    if (this.#tty) process.stderr.write(`\r\x1b[K${line}\n`);
    else process.stderr.write(`${line}\n`);
    this.#current = { ...this.#current, weight: 0, fraction: 0 };
  }

  /** Clears the bar. */
  end(): void {
    if (this.#tty) process.stderr.write('\r\x1b[K');
  }

  #draw(): void {
    if (!this.#tty) return;
    const elapsed = (performance.now() - this.#start) / 1000;
    const done = this.#doneWeight + this.#current.weight * this.#current.fraction;
    const share = this.#total > 0 ? done / this.#total : 1;
    const eta = done > 0 ? (elapsed / done) * (this.#total - done) : this.#total - done;
    const filled = Math.round(share * width);
    const bar = '\u2588'.repeat(filled) + '\u2591'.repeat(width - filled);
    process.stderr.write(
      `\r\x1b[K${bar} ${String(Math.round(share * 100)).padStart(3)}%  ${this.#current.name}  ETA ${clock(eta)}`,
    );
  }
}
