// One client of the soak: connects to a running helper (the `pipe` option) a few times at once, runs a few chains
// of calls at once for a while, disconnects, connects again, until `until`. Each chain owns one key and keeps a
// model of what it wrote there, so every read and listing is also checked against what must be there. Ops: reads
// (a value, a missing value, a shared HKLM value), listings (values, subkeys, key info), keyExists, writes of every
// kind and size (up to 16 KB), value deletes, subkey creation and recursive deletion. Prints one JSON line (SoakResult).
import * as fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

import { openRegistry, RegistryError } from 'regbridge';
import type { Registry, RegValueInput } from 'regbridge';

import { Random } from '../support/harness';

export interface SoakClientConfig {
  socket: string;
  id: number;
  until: number;
  chains: number;
  /** Connections open at once: from 1 to this many each cycle. */
  maxConnections: number;
  seed: number;
}

export interface SoakResult {
  ops: number;
  connections: number;
  errors: string[];
  errorCount: number;
}

export const soakRoot = 'HKCU\\Software\\regbridge-soak';
export const sharedKey = 'HKLM\\Software\\regbridge-soak';

/** Value names per chain: n0 to n29. */
const names = 30;

class Chain {
  readonly values = new Map<string, RegValueInput>();
  readonly subkeys = new Set<string>();
  created = false;
  constructor(
    readonly key: string,
    private readonly rng: Random,
    private readonly result: SoakResult,
  ) {}

  private problem(what: string): void {
    this.result.errorCount++;
    if (this.result.errors.length < 20) this.result.errors.push(`${this.key}: ${what}`);
  }

  /**
   * A value for `name`. Its size class is fixed by the name (n0-n20 small, n21-n27 up to 2 KB, n28-n29 8-16 KB), so
   * that the store's size — and the helper's memory with it — stays level over the soak instead of drifting with
   * how many large values happen to be there: a drift would hide, or fake, a leak.
   */
  private randomValue(name: string): RegValueInput {
    const slot = Number(name.slice(1));
    const size = slot <= 20 ? this.rng.int(0, 100) : slot <= 27 ? this.rng.int(100, 2048) : this.rng.int(8192, 16384);
    switch (this.rng.int(0, 4)) {
      case 0:
        return { type: 'REG_DWORD', data: this.rng.int(0, 0xffffffff) };
      case 1:
        return { type: 'REG_QWORD', data: BigInt(this.rng.int(0, 2 ** 31)) << 20n };
      case 2:
        return { type: 'REG_SZ', data: 'é'.repeat(size >> 3) + 's'.repeat(size - (size >> 3)) };
      case 3:
        return { type: 'REG_MULTI_SZ', data: ['a', 'b'.repeat(1 + (size >> 1))] };
      default:
        return { type: 'REG_BINARY', data: Buffer.alloc(size, this.rng.int(0, 255)) };
    }
  }

  private same(read: { type: unknown; data: unknown }, wanted: RegValueInput): boolean {
    const data = wanted.data instanceof Uint8Array ? Buffer.from(wanted.data) : wanted.data;
    return read.type === wanted.type && isDeepStrictEqual(read.data, data);
  }

  private pick<T>(items: Iterable<T>): T | undefined {
    const all = [...items];
    return all.length ? all[this.rng.int(0, all.length - 1)] : undefined;
  }

  async step(reg: Registry): Promise<void> {
    if (!this.created) {
      // Every name once first, so that the store reaches its working size within the warm-up.
      for (let n = 0; n < names; n++) {
        const value = this.randomValue(`n${n}`);
        await reg.writeValue(this.key, `n${n}`, value);
        this.values.set(`n${n}`, value);
      }
      this.created = true;
      return;
    }
    const r = this.rng.next();
    if (r < 0.25) {
      const name = this.rng.chance(0.8) ? this.pick(this.values.keys()) : undefined;
      if (name === undefined) {
        try {
          await reg.readValue(this.key, `missing${this.rng.int(0, 9)}`);
          this.problem('a missing value was read');
        } catch (error) {
          if (!(error instanceof RegistryError && error.code === 'ERR_VALUE_NOT_FOUND')) throw error;
        }
      } else {
        const read = await reg.readValue(this.key, name);
        if (!this.same(read, this.values.get(name)!)) this.problem(`${name} reads back as ${read.type}`);
      }
    } else if (r < 0.3) {
      if ((await reg.readStringValue(sharedKey, 'greeting')) !== 'hello') this.problem('the shared value changed');
    } else if (r < 0.4) {
      const listed = await reg.listValues(this.key);
      const names = listed.map((value) => value.name).sort();
      if (!isDeepStrictEqual(names, [...this.values.keys()].sort()))
        this.problem(`listValues gave ${names.length} names`);
      for (const value of listed)
        if (!this.same(value, this.values.get(value.name)!)) this.problem(`listed ${value.name} differs`);
    } else if (r < 0.45) {
      const subkeys = (await reg.listSubkeys(this.key)).sort();
      if (!isDeepStrictEqual(subkeys, [...this.subkeys].sort())) this.problem(`listSubkeys gave ${subkeys.join(',')}`);
    } else if (r < 0.5) {
      const info = await reg.getKeyInfo(this.key);
      if (info.valueCount !== this.values.size || info.subkeyCount !== this.subkeys.size)
        this.problem(`getKeyInfo counts ${info.valueCount}/${info.subkeyCount}`);
    } else if (r < 0.55) {
      if (!(await reg.keyExists(this.key))) this.problem('keyExists is false');
    } else if (r < 0.8) {
      const name = `n${this.rng.int(0, names - 1)}`;
      const value = this.randomValue(name);
      await reg.writeValue(this.key, name, value);
      this.values.set(name, value);
    } else if (r < 0.9) {
      const name = this.pick(this.values.keys());
      if (name === undefined) return;
      await reg.deleteValue(this.key, name);
      this.values.delete(name);
    } else if (r < 0.95) {
      const name = `s${this.rng.int(0, 4)}`;
      await reg.createKey(`${this.key}\\${name}\\deeper`);
      this.subkeys.add(name);
    } else {
      const name = this.pick(this.subkeys);
      if (name === undefined) return;
      await reg.deleteKey(`${this.key}\\${name}`, { recursive: true });
      this.subkeys.delete(name);
    }
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as SoakClientConfig;
  const rng = new Random(config.seed);
  const result: SoakResult = { ops: 0, connections: 0, errors: [], errorCount: 0 };
  const chains = Array.from(
    { length: config.chains },
    (_, c) => new Chain(`${soakRoot}\\client${config.id}\\chain${c}`, rng, result),
  );
  while (Date.now() < config.until) {
    // A few connections at once, the chains spread over them.
    const regs: Registry[] = [];
    for (let n = rng.int(1, config.maxConnections); n > 0; n--)
      regs.push(await openRegistry({ mode: 'pipe', pipe: config.socket }));
    result.connections += regs.length;
    const budget = rng.int(5, 40);
    await Promise.all(
      chains.map(async (chain, c) => {
        const reg = regs[c % regs.length];
        for (let i = 0; i < budget && Date.now() < config.until; i++) {
          try {
            await chain.step(reg);
          } catch (error) {
            result.errorCount++;
            if (result.errors.length < 20)
              result.errors.push(
                `${chain.key}: ${error instanceof RegistryError ? error.code + ' ' : ''}${String(error)}`,
              );
          }
          result.ops++;
        }
      }),
    );
    await Promise.all(regs.map((reg) => reg.close()));
  }
  fs.writeSync(1, `${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  fs.writeSync(2, `soakClient: ${String(error?.stack ?? error)}\n`);
  process.exit(3);
});
