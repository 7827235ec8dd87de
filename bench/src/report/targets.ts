// The targets, each checked against a ratio measured within one trial process (numerator and denominator
// interleaved round by round; the median of the per-round ratios) or against a figure (median of fresh processes).
// A missed target says by how much and where to start profiling.
import type { Setup } from '../store/setup';
import { formatNs } from './format';
import type { Figure, Ratio, Results, TargetResult } from './results';

interface RatioTarget {
  id: string;
  short: string;
  label: string;
  numerator: string;
  denominator: string;
  kind: Ratio['kind'];
  limit: number;
  sense: '<=' | '>=';
  profile: string;
}

interface FigureTarget {
  id: string;
  short: string;
  label: string;
  figures: string[];
  limit: number;
  profile: string;
}

const perf = (what: string) =>
  `perf record -g -o build/bench-profile.data -- node --perf-basic-prof build/bench-js/profile.js ${what} && perf report -i build/bench-profile.data`;

const ratioTargets: RatioTarget[] = [
  {
    id: 'inprocess-vs-floor',
    short: 'in-process read ÷ N-API hash-map floor',
    label: 'in-process readStringValue ≤ 1.5× the N-API hash-map floor',
    numerator: 'inprocess.readStringValue/sync',
    denominator: 'inprocess.readStringValue/floor-get',
    kind: 'time',
    limit: 1.5,
    sense: '<=',
    profile: perf('read-sync'),
  },
  {
    id: 'async-vs-sync',
    short: 'async ÷ sync, in-process',
    label: 'async in-process ≤ 3× sync (readStringValue, one in flight)',
    numerator: 'inprocess.readStringValue/async-c1',
    denominator: 'inprocess.readStringValue/sync',
    kind: 'time',
    limit: 3,
    sense: '<=',
    profile: perf('read-async'),
  },
  {
    id: 'pipe-vs-echo-sequential',
    short: 'pipe ÷ echo, one in flight',
    label: 'pipe sequential ≤ 1.5× the echo floor (readStringValue, one in flight)',
    numerator: 'remote.readStringValue/pipe-c1',
    denominator: 'remote.readStringValue/echo-c1',
    kind: 'time',
    limit: 1.5,
    sense: '<=',
    profile: perf('pipe-read'),
  },
  {
    id: 'pipe-vs-jsonrpc-128',
    short: 'pipe ÷ vscode-jsonrpc, 128 in flight',
    label: 'pipe at 128 in flight ≥ 3× the vscode-jsonrpc peer (throughput)',
    numerator: 'remote.readStringValue/pipe-c128',
    denominator: 'remote.readStringValue/jsonrpc-c128',
    kind: 'throughput',
    limit: 3,
    sense: '>=',
    profile: perf('pipe-read-128'),
  },
  {
    id: 'pipe-vs-echo-128',
    short: 'pipe ÷ echo, 128 in flight',
    label: 'pipe at 128 in flight ≥ 0.8× the echo floor (throughput)',
    numerator: 'remote.readStringValue/pipe-c128',
    denominator: 'remote.readStringValue/echo-c128',
    kind: 'throughput',
    limit: 0.8,
    sense: '>=',
    profile: perf('pipe-read-128'),
  },
  {
    id: 'write-vs-floor',
    short: 'user.reg write ÷ write+rename',
    label: 'one user.reg write ≤ 1.3× the write-and-rename floor (this run’s store)',
    numerator: 'writes.HKCU/writeValue-sync',
    denominator: 'writes.HKCU/floor-write-rename',
    kind: 'time',
    limit: 1.3,
    sense: '<=',
    profile: perf('write-hkcu'),
  },
];

const figureTargets: FigureTarget[] = [
  {
    id: 'load-system-reg',
    short: 'load system.reg (ms)',
    label: 'loading the real system.reg ≤ 15 ms (store open + first HKLM read)',
    figures: ['load.real', 'load.store'],
    limit: 15,
    profile: `${perf('load')}   (or: valgrind --tool=callgrind --callgrind-out-file=build/callgrind.load node build/bench-js/profile.js load --seconds 0)`,
  },
  {
    id: 'helper-spawn',
    short: 'helper start to first answer (ms)',
    label: 'helper spawn to first answer ≤ 30 ms (warm)',
    figures: ['startup.helper-warm'],
    limit: 30,
    profile: perf('spawn'),
  },
];

const spread = (values: number[], format: (v: number) => string) =>
  values.length ? `${format(Math.min(...values))}–${format(Math.max(...values))}` : 'none';

/** Checks every target against the run's results. */
export function computeTargets(results: Results, setup: Setup): TargetResult[] {
  const out: TargetResult[] = [];
  for (const t of ratioTargets) {
    const r = results.ratios.find(
      (x) => x.numerator === t.numerator && x.denominator === t.denominator && x.kind === t.kind,
    );
    const a = results.cells.find((c) => c.id === t.numerator);
    const b = results.cells.find((c) => c.id === t.denominator);
    const source = `${t.numerator} / ${t.denominator}`;
    if (!r || r.notRun || !a || !b) {
      out.push({
        id: t.id,
        label: t.label,
        short: t.short,
        source,
        value: NaN,
        limit: t.limit,
        sense: t.sense,
        unit: '×',
        met: null,
        detail: `not run: ${r?.notRun ?? 'trial filtered out or failed'}`,
      });
      continue;
    }
    const met = t.sense === '<=' ? r.median <= t.limit : r.median >= t.limit;
    // The write target is also measured on a real prefix's (smaller) user.reg: shown beside it.
    const real =
      t.id === 'write-vs-floor'
        ? results.ratios.find((x) => x.numerator === 'writes.HKCU.real/writeValue-sync' && !x.notRun)
        : undefined;
    const realNote = real ? `; on a real prefix's user.reg: ${real.median.toFixed(2)}×` : '';
    const measure =
      t.kind === 'time'
        ? `${formatNs(a.medianNs)} vs ${formatNs(b.medianNs)} per call`
        : `${Math.round(a.callsPerSec).toLocaleString('en-US')} vs ${Math.round(b.callsPerSec).toLocaleString('en-US')} calls/s`;
    out.push({
      id: t.id,
      label: t.label,
      short: t.short,
      source,
      value: r.median,
      limit: t.limit,
      sense: t.sense,
      unit: '×',
      met,
      detail: `${measure}; median of ${r.rounds.length} interleaved rounds (${spread(r.rounds, (v) => v.toFixed(2))}), ratio of medians ${r.ofMedians.toFixed(2)}${realNote}`,
      profile: met ? undefined : t.profile,
    });
  }
  for (const t of figureTargets) {
    const figure: Figure | undefined = t.figures
      .map((id) => results.figures.find((f) => f.id === id && !f.notRun))
      .find(Boolean);
    if (!figure) {
      const why = results.figures.find((f) => f.id === t.figures[0])?.notRun ?? 'trial filtered out or failed';
      out.push({
        id: t.id,
        label: t.label,
        short: t.short,
        source: t.figures[0],
        value: NaN,
        limit: t.limit,
        sense: '<=',
        unit: 'ms',
        met: null,
        detail: `not run: ${why}`,
      });
      continue;
    }
    const met = figure.median <= t.limit;
    let detail = `median of ${figure.samples.length} (${spread(figure.samples, (v) => v.toFixed(1))} ms)`;
    if (figure.id === 'load.store')
      detail += `; on ${setup.store.kind === 'generated' ? 'the generated store (no real prefix available)' : 'this run’s store'}`;
    if (figure.id === 'load.real') detail += `; ${figure.note ?? ''}`;
    if (t.id === 'helper-spawn') {
      const cold = results.figures.find((f) => f.id === 'startup.helper-cold');
      if (cold && !cold.notRun) detail += `; cold: ${cold.median.toFixed(1)} ms`;
    }
    out.push({
      id: t.id,
      label: t.label,
      short: t.short,
      source: figure.id,
      value: figure.median,
      limit: t.limit,
      sense: '<=',
      unit: 'ms',
      met,
      detail,
      profile: met ? undefined : t.profile,
    });
  }
  return out;
}
