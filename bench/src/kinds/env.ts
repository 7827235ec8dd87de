// What every trial kind gets and returns.
import type { Context } from '../operations/context';
import type { Cell, Figure, Ratio } from '../report/results';
import type { Setup } from '../store/setup';

/** How long and how often (from --quick). */
export interface Settings {
  quick: boolean;
  /** Measured rounds per contender (at least 5). */
  rounds: number;
  /** Target duration of one run of one contender, ms. */
  budgetMs: number;
  /** Fresh processes per start-up or load figure. */
  processes: number;
}

/** A trial's view of the run. */
export interface TrialEnv {
  trial: string;
  setup: Setup;
  settings: Settings;
  ctx: Context;
  /** Reports progress within the trial, 0..1. */
  progress(fraction: number): void;
}

/** What a trial kind returns. */
export interface TrialOutput {
  cells: Cell[];
  ratios: Ratio[];
  figures: Figure[];
  notes: string[];
}

/** The reason a mode could not be set up, for "not run: <reason>". */
export function whyNot(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
