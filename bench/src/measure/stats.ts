// The statistics of the report: medians of repeats and nearest-rank percentiles.

/** The median (the mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first and third quartiles (the middle half lies between them), interpolated; NaN for none. */
export function quartiles(values: readonly number[]): [number, number] {
  if (values.length === 0) return [NaN, NaN];
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const position = q * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  };
  return [at(0.25), at(0.75)];
}

/** The nearest-rank percentile p (0..100) of already sorted values. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Latency samples kept up to a bound (a uniform reservoir beyond it), for p50 and p99. */
export class Samples {
  readonly #values: Float64Array;
  #count = 0;
  #seen = 0;
  #seed = 0x2545f491;

  constructor(capacity = 100_000) {
    this.#values = new Float64Array(capacity);
  }

  add(values: ArrayLike<number>, count = values.length): void {
    for (let i = 0; i < count; i++) {
      const value = values[i];
      this.#seen++;
      if (this.#count < this.#values.length) {
        this.#values[this.#count++] = value;
      } else {
        // xorshift32: a deterministic reservoir, no Math.random
        this.#seed ^= this.#seed << 13;
        this.#seed ^= this.#seed >>> 17;
        this.#seed ^= this.#seed << 5;
        const slot = (this.#seed >>> 0) % this.#seen;
        if (slot < this.#values.length) this.#values[slot] = value;
      }
    }
  }

  /** p50 and p99 of what was kept. */
  percentiles(): { p50: number; p99: number; count: number } {
    const sorted = this.#values.slice(0, this.#count).sort();
    return { p50: percentileOfSorted(sorted, 50), p99: percentileOfSorted(sorted, 99), count: this.#seen };
  }
}
