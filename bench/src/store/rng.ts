// A small seeded random generator (mulberry32): the generated store is the same bytes for the same seed on every
// machine and Node version, so results from two runs describe the same store.

/** Deterministic pseudo-random numbers from a 32-bit seed. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A GUID in registry form, upper case with braces. */
  guid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789ABCDEF'[this.int(0, 15)]).join('');
    return `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`;
  }

  /** `count` random bytes. */
  bytes(count: number): Buffer {
    const out = Buffer.alloc(count);
    for (let i = 0; i < count; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A length drawn from a skewed distribution: mostly near `typical`, sometimes up to `max`. */
  length(typical: number, max: number): number {
    const r = this.next();
    return Math.max(1, Math.min(max, Math.round(typical * (0.3 + 1.4 * r) * (this.chance(0.05) ? 3 : 1))));
  }
}
