// Building Figures (scalar results: ms, MiB) from samples.
import { median } from '../measure/stats';
import type { Figure } from '../report/results';

/** A figure from its samples. */
export function figure(
  trial: string,
  id: string,
  label: string,
  unit: Figure['unit'],
  samples: number[],
  note?: string,
): Figure {
  return { id, trial, label, unit, samples, median: median(samples), note };
}

/** A figure that could not be measured. */
export function notRunFigure(trial: string, id: string, label: string, unit: Figure['unit'], why: string): Figure {
  return { id, trial, label, unit, samples: [], median: NaN, notRun: why };
}
