// Interleaved rounds. Every contender of a trial runs once per round, in an order that rotates from round to round
// (A B C, B C A, C A B, ...), so that a noisy neighbour or a slow phase of the machine hits all of them alike; each
// ratio is then taken round by round and the median kept. Calibration runs first and doubles as the warm-up: it grows
// a contender's call count until one run lasts about `budgetMs` (its first run is a pure warm-up), and is not recorded.
import type { Cell, Mode, Ratio } from '../report/results';
import type { Run } from './loops';
import { median, Samples } from './stats';

/** What one cell is. */
export interface CellSpec {
  id: string;
  op: string;
  mode: Mode;
  variant?: string;
  concurrency: number;
  hive?: 'HKCU' | 'HKLM';
}

/** Something measured in rounds: one or more cells (a write phase and its undo phase, say) run together. */
export interface Contender {
  cells: CellSpec[];
  /** The fewest calls of a run (its concurrency: a run keeps that many in flight). */
  minCalls: number;
  /** Runs `calls` calls per cell; one Run per cell, in the order of `cells`. */
  run(calls: number): Promise<Run[]> | Run[];
  /** Untimed, before every run: e.g. a read that makes this contender's store reload a hive another one rewrote. */
  prepare?(): Promise<void> | void;
  /** Set when it cannot run: why (its cells are reported with this). */
  notRun?: string;
}

/** How long and how often. */
export interface RoundOptions {
  rounds: number;
  budgetMs: number;
  /** Upper bound on calls per run, for cases where a run of budgetMs would pile up state. */
  maxCalls?: number;
  onRound?: (done: number, total: number) => void;
}

interface Tally {
  spec: CellSpec;
  calls: number;
  roundsNs: number[];
  samples: Samples;
  basis: string;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function calibrate(contender: Contender, options: RoundOptions): Promise<number> {
  const max = options.maxCalls ?? 50_000_000;
  const time = async (calls: number) =>
    (await contender.prepare?.(), await contender.run(calls)).reduce((sum, run) => sum + run.elapsedNs, 0) / 1e6;
  // The first run is a warm-up (first calls, JIT, lazy loading) and says nothing of the speed, unless even the
  // smallest run is far beyond the budget: then it is all the calibration there will be. A first run far beyond it
  // is run again before that is believed: it may have carried a one-time cost (a hive loaded on a worker thread took
  // 9–92 ms), and calibrating on it left rounds so short that each one's first call, a periodic check for other
  // writers, weighed on the whole round.
  let calls = contender.minCalls;
  const tooLong = async () => (await time(calls)) >= options.budgetMs * 2;
  if ((await tooLong()) && (await tooLong())) return calls;
  for (;;) {
    const ms = await time(calls);
    if (ms >= options.budgetMs / 2 || calls >= max) {
      const scaled = Math.round((calls * options.budgetMs) / Math.max(ms, 1e-3));
      const rounded = Math.ceil(Math.min(max, Math.max(calls, scaled)) / contender.minCalls) * contender.minCalls;
      return Math.max(contender.minCalls, rounded);
    }
    calls = Math.min(max, calls * (ms < options.budgetMs / 20 ? 8 : 2));
  }
}

function failure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return `failed: ${typeof code === 'string' ? `${code}: ` : ''}${message}`;
}

/**
 * Runs every contender `rounds` times, interleaved; returns the cells. A contender whose run throws is dropped and
 * its cells report why ("not run: failed: ..."); the others carry on.
 */
export async function runRounds(trial: string, contenders: Contender[], options: RoundOptions): Promise<Cell[]> {
  let active = contenders.filter((c) => !c.notRun);
  const failed = new Map<Contender, string>();
  const calls = new Map<Contender, number>();
  const tallies = new Map<Contender, Tally[]>();
  const total = active.length * (options.rounds + 1);
  let done = 0;
  for (const contender of [...active]) {
    try {
      calls.set(contender, await calibrate(contender, options));
    } catch (error) {
      failed.set(contender, failure(error));
      active = active.filter((c) => c !== contender);
      continue;
    }
    options.onRound?.(++done, total);
    tallies.set(
      contender,
      contender.cells.map((spec) => ({
        spec,
        calls: calls.get(contender)!,
        roundsNs: [],
        samples: new Samples(),
        basis: 'per call',
      })),
    );
  }
  // One collection before the measured rounds, none between runs: a full collection shrinks the young generation, and
  // the run after it pays for growing it again — a cost that falls on allocation-heavy contenders (vscode-jsonrpc)
  // far more than on others. Left alone, the collector's work spreads over the rotating order like any other noise.
  gc?.();
  for (let round = 0; round < options.rounds; round++) {
    const order = active.map((_, k) => active[(round + k) % active.length]);
    for (const contender of order) {
      let runs: Run[];
      try {
        await contender.prepare?.();
        runs = await contender.run(calls.get(contender)!);
      } catch (error) {
        failed.set(contender, failure(error));
        active = active.filter((c) => c !== contender);
        continue;
      }
      const cellTallies = tallies.get(contender)!;
      runs.forEach((run, i) => {
        cellTallies[i].roundsNs.push(run.elapsedNs / run.calls);
        cellTallies[i].samples.add(run.latencies, run.samples);
        cellTallies[i].basis = run.batch === 1 ? 'per call' : `per call, mean of batches of ${run.batch}`;
      });
      options.onRound?.(++done, total);
    }
  }
  const cells: Cell[] = [];
  for (const contender of contenders) {
    const why = contender.notRun ?? failed.get(contender);
    if (why) {
      for (const spec of contender.cells) cells.push(notRunCell(trial, spec, why));
      continue;
    }
    for (const tally of tallies.get(contender)!) {
      const { p50, p99, count } = tally.samples.percentiles();
      const medianNs = median(tally.roundsNs);
      cells.push({
        ...tally.spec,
        trial,
        calls: tally.calls,
        roundsNs: tally.roundsNs,
        medianNs,
        callsPerSec: 1e9 / medianNs,
        p50Ns: p50,
        p99Ns: p99,
        latencySamples: count,
        latencyBasis: tally.basis,
      });
    }
  }
  return cells;
}

/** A cell that could not be measured. */
export function notRunCell(trial: string, spec: CellSpec, why: string): Cell {
  return {
    ...spec,
    trial,
    calls: 0,
    roundsNs: [],
    medianNs: NaN,
    callsPerSec: NaN,
    p50Ns: NaN,
    p99Ns: NaN,
    latencySamples: 0,
    latencyBasis: 'per call',
    notRun: why,
  };
}

/** The ratio of two cells of one runRounds call, round by round. */
export function ratio(cells: Cell[], numerator: string, denominator: string, kind: Ratio['kind'], id?: string): Ratio {
  const a = cells.find((c) => c.id === numerator);
  const b = cells.find((c) => c.id === denominator);
  const name = id ?? `${numerator} / ${denominator}`;
  const missing = !a ? numerator : !b ? denominator : a.notRun ? numerator : b.notRun ? denominator : undefined;
  if (!a || !b || missing) {
    const why = (a?.notRun ?? b?.notRun) || `${missing} was not measured`;
    return { id: name, numerator, denominator, kind, median: NaN, rounds: [], ofMedians: NaN, notRun: why };
  }
  const rounds = a.roundsNs.map((ns, i) => (kind === 'time' ? ns / b.roundsNs[i] : b.roundsNs[i] / ns));
  const ofMedians = kind === 'time' ? a.medianNs / b.medianNs : b.medianNs / a.medianNs;
  return { id: name, numerator, denominator, kind, median: median(rounds), rounds, ofMedians };
}
