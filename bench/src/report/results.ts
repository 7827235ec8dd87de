// The shape of bench/results/latest.json: every measured cell, every ratio measured within one trial process, the
// scalar figures (start-up, memory, load), the targets, and what the run ran on.
import type { Machine } from '../machine';

/** How a case was called. */
export type Mode =
  | 'in-process sync'
  | 'in-process async'
  | 'pipe'
  | 'floor: N-API'
  | 'floor: echo'
  | 'floor: write+rename'
  | 'addon, no TS layer'
  | 'peer: vscode-jsonrpc'
  | 'peer: child_process IPC'
  | 'peer: wine reg query';

/** One case in one mode at one concurrency: calls per round, the per-call time of each round, percentiles. */
export interface Cell {
  id: string;
  trial: string;
  op: string;
  mode: Mode;
  /** What sets this row apart within its op and mode ("bare call", "cold wineserver", ...). */
  variant?: string;
  concurrency: number;
  hive?: 'HKCU' | 'HKLM';
  /** Calls per measured round (per phase). */
  calls: number;
  /** Mean time per call of each measured round, ns (a round's elapsed time / its calls). */
  roundsNs: number[];
  /** Median of roundsNs. */
  medianNs: number;
  /** Calls per second at that median. */
  callsPerSec: number;
  /** Latency percentiles over every measured call (sync: over batches of 16 calls), ns. */
  p50Ns: number;
  p99Ns: number;
  latencySamples: number;
  latencyBasis: string;
  /** Set when the cell could not be measured: why. */
  notRun?: string;
}

/** A ratio measured within one trial, round by round (the rounds interleave numerator and denominator). */
export interface Ratio {
  id: string;
  numerator: string;
  denominator: string;
  /** 'time': per-call time over per-call time; 'throughput': calls/s over calls/s. */
  kind: 'time' | 'throughput';
  /** Median of the per-round ratios. */
  median: number;
  rounds: number[];
  /** The ratio of the two cells' medians, for comparison. */
  ofMedians: number;
  notRun?: string;
}

/** A scalar figure: start-up times, memory, load times. */
export interface Figure {
  id: string;
  trial: string;
  label: string;
  unit: 'ms' | 'MiB' | '×' | 'µs' | 'ns' | 'B';
  samples: number[];
  median: number;
  note?: string;
  notRun?: string;
}

/** What one trial process reports. */
export interface TrialResult {
  trial: string;
  cells: Cell[];
  ratios: Ratio[];
  figures: Figure[];
  notes: string[];
  seconds: number;
  /** Set when the trial itself failed: why. */
  notRun?: string;
}

/** A target of the issue, checked against a ratio or a figure of the run. */
export interface TargetResult {
  id: string;
  label: string;
  /** A few words for chart labels. */
  short: string;
  /** What is compared: a ratio id or a figure id. */
  source: string;
  value: number;
  limit: number;
  /** '<=': lower is better; '>=': higher is better. */
  sense: '<=' | '>=';
  unit: '×' | 'ms';
  met: boolean | null;
  /** The two measured figures the value is the ratio of (or the figure and its limit), e.g. "61 µs vs 37 µs per call". */
  compared: string;
  detail: string;
  /**
   * Of the rounds (or fresh processes) behind the value, how many were within the limit, and how many there were: a
   * verdict that 2 of 11 rounds would have reversed is not a firm one on a noisy machine.
   */
  within?: [number, number];
  /**
   * The same ratio with regbridge's own work taken out (floors measured in the same rounds, or in fresh processes
   * alternating with regbridge's): how far the machine lets regbridge go. A limit past it is not reachable here; only
   * for targets that have such floors.
   */
  reach?: number;
  profile?: string;
}

/** The whole run. */
export interface Results {
  schema: 1;
  machine: Machine;
  options: { quick: boolean; filter?: string; prefix?: string; seed: number };
  store: unknown;
  fixtures: unknown;
  seconds: number;
  cells: Cell[];
  ratios: Ratio[];
  figures: Figure[];
  targets: TargetResult[];
  notes: string[];
  peersNotRunnable: Array<{ name: string; why: string }>;
}
