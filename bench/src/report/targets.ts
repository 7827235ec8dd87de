// The targets, each checked against a ratio measured within one trial process (numerator and denominator
// interleaved round by round; the median of the per-round ratios) or against a figure (median of fresh processes).
// A missed target says by how much and where to start profiling.
import { ratio } from '../measure/rounds';
import { median, quartiles } from '../measure/stats';
import type { Setup } from '../store/setup';
import { formatFigure, formatNs } from './format';
import type { Cell, Figure, Ratio, Results, TargetResult } from './results';

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
  /**
   * The same ratio with regbridge's own work taken out, from floors measured in the same rounds: the most that the
   * transport and the machine leave for it to reach. A limit past it cannot be met by making regbridge faster.
   */
  reach?: Reach;
}

interface Reach {
  /** What stands in for regbridge in the ratio, in a few words. */
  of: string;
  /** Round by round, as the target's own ratio; empty when a cell it needs was not measured. */
  rounds: (cells: Cell[]) => number[];
}

const cellRounds = (cells: Cell[], id: string) => {
  const cell = cells.find((c) => c.id === id && !c.notRun);
  return cell?.roundsNs;
};

// Pipe mode against a peer: what the minimal echo floor (no registry work, no regbridge code) does against that peer.
const echoAgainstPeer = (op: string, slug: string, c: number): Reach => ({
  of: 'the minimal echo floor',
  rounds: (cells) => {
    const r = ratio(cells, `remote.${op}/floor-c${c}`, `remote.${op}/${slug}-c${c}`, 'throughput');
    return r.notRun ? [] : r.rounds;
  },
});

// A pipe write is an in-process write made in the helper plus one round trip: that sum against the in-process write.
// The round trip is the minimal echo of the same request, measured in the same rounds as the writes.
const writePlusEcho: Reach = {
  of: 'an in-process write plus one minimal echo',
  rounds: (cells) => {
    const write = cellRounds(cells, 'writes.HKCU/writeValue-sync');
    const echo = cellRounds(cells, 'writes.HKCU/floor-c1');
    if (!write || !echo || write.length !== echo.length) return [];
    return write.map((ns, i) => (ns + echo[i]) / ns);
  },
};

interface FigureTarget {
  id: string;
  short: string;
  label: string;
  figures: string[];
  /** For a target on a ratio of two figures: those two, shown beside it. */
  compared?: [string, string];
  limit: number;
  profile: string;
  /** As RatioTarget.reach, for a ratio of figures: the figure of the same ratio measured on a floor. */
  reach?: { of: string; figure: string };
}

const perf = (what: string) =>
  `perf record -g -o build/bench-profile.data -- node --perf-basic-prof build/bench-js/profile.js ${what} && perf report -i build/bench-profile.data`;

const readOps = ['readStringValue', 'readValue', 'listValues', 'listSubkeys', 'keyExists', 'getKeyInfo'];
const lookupOps = ['readStringValue', 'readValue', 'keyExists'];

const ratioTargets: RatioTarget[] = [
  // In-process reads against the N-API hash-map floor: one key read again and again, and round-robin over every
  // string value under HKLM\Software of a real prefix (the floor's map holding the same entries).
  ...lookupOps.map(
    (op): RatioTarget => ({
      id: `inprocess-vs-floor-${op}`,
      short: `in-process ${op} ÷ hash-map floor, one key`,
      label: `in-process ${op} ≤ 1.15× the N-API hash-map floor (one repeated key)`,
      numerator: `inprocess.${op}/sync`,
      denominator: `inprocess.${op}/floor-get`,
      kind: 'time',
      limit: 1.15,
      sense: '<=',
      profile: perf('read-sync'),
    }),
  ),
  ...lookupOps.map(
    (op): RatioTarget => ({
      id: `inprocess-vs-floor-rr-${op}`,
      short: `in-process ${op} ÷ hash-map floor, round-robin`,
      label: `in-process ${op} ≤ 1.5× the N-API hash-map floor, round-robin over a real prefix's HKLM\\Software`,
      numerator: `inprocess.${op}/rr-real-sync`,
      denominator: `inprocess.${op}/rr-real-floor`,
      kind: 'time',
      limit: 1.5,
      sense: '<=',
      profile: perf('read-sync'),
    }),
  ),
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
  // Pipe mode against the minimal echo floor (a C++ server parsing no JSON, a Node client with no regbridge code).
  {
    id: 'pipe-vs-floor-sequential',
    short: 'pipe ÷ minimal echo floor, one in flight',
    label: 'pipe readStringValue ≤ 1.25× the minimal echo floor (one in flight, time per call)',
    numerator: 'remote.readStringValue/pipe-c1',
    denominator: 'remote.readStringValue/floor-c1',
    kind: 'time',
    limit: 1.25,
    sense: '<=',
    profile: perf('pipe-read'),
  },
  {
    id: 'pipe-vs-floor-128',
    short: 'pipe ÷ minimal echo floor, 128 in flight',
    label: 'pipe readStringValue ≥ 0.9× the minimal echo floor (128 in flight, throughput)',
    numerator: 'remote.readStringValue/pipe-c128',
    denominator: 'remote.readStringValue/floor-c128',
    kind: 'throughput',
    limit: 0.9,
    sense: '>=',
    profile: perf('pipe-read-128'),
  },
  // Pipe mode ahead of the peers a user would otherwise write, for every read operation.
  ...readOps.flatMap((op) =>
    (
      [
        [1, 'ipc', 'child_process IPC', 1.1],
        [16, 'ipc', 'child_process IPC', 1.3],
        [128, 'ipc', 'child_process IPC', 1.3],
        [1, 'jsonrpc', 'vscode-jsonrpc', 4],
        [16, 'jsonrpc', 'vscode-jsonrpc', 4],
        [128, 'jsonrpc', 'vscode-jsonrpc', 4],
      ] as const
    ).map(
      ([c, slug, peer, limit]): RatioTarget => ({
        id: `pipe-vs-${slug}-${op}-${c}`,
        short: `pipe ÷ ${peer}, ${op}, ${c} in flight`,
        label: `pipe ${op} ≥ ${limit}× the ${peer} peer (${c} in flight, throughput)`,
        numerator: `remote.${op}/pipe-c${c}`,
        denominator: `remote.${op}/${slug}-c${c}`,
        kind: 'throughput',
        limit,
        sense: '>=',
        profile: perf(c === 1 ? 'pipe-read' : 'pipe-read-128'),
        reach: echoAgainstPeer(op, slug, c),
      }),
    ),
  ),
  // Writes that group: throughput with 16 and 128 in flight against one in flight, user.reg of the generated store.
  ...(['async', 'pipe'] as const).flatMap((mode) =>
    (
      [
        [16, 8],
        [128, 20],
      ] as const
    ).map(
      ([c, limit]): RatioTarget => ({
        id: `writes-group-${mode}-${c}`,
        short: `${mode} writes, ${c} in flight ÷ 1`,
        label: `${mode === 'async' ? 'in-process async' : 'pipe'} user.reg writes at ${c} in flight ≥ ${limit}× the throughput of 1`,
        numerator: `writes.HKCU/writeValue-${mode}-c${c}`,
        denominator: `writes.HKCU/writeValue-${mode}-c1`,
        kind: 'throughput',
        limit,
        sense: '>=',
        profile: perf('write-hkcu'),
      }),
    ),
  ),
  {
    id: 'pipe-write-vs-inprocess',
    short: 'pipe write ÷ in-process write',
    label: 'pipe user.reg write ≤ 1.2× in-process (sync), one in flight',
    numerator: 'writes.HKCU/writeValue-pipe-c1',
    denominator: 'writes.HKCU/writeValue-sync',
    kind: 'time',
    limit: 1.2,
    sense: '<=',
    profile: perf('write-hkcu'),
    reach: writePlusEcho,
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
    id: 'first-write',
    short: 'first write after a load ÷ next',
    label: 'first user.reg write after a load ≤ 1.3× the next write (per process)',
    figures: ['write.first-over-second'],
    compared: ['write.first', 'write.second'],
    limit: 1.3,
    profile: perf('write-hkcu'),
    reach: {
      of: 'a bare write and rename of the file’s bytes (fresh process)',
      figure: 'write.floor.first-over-second',
    },
  },
  {
    id: 'load-system-reg',
    short: 'load system.reg (ms)',
    label: 'loading the real system.reg ≤ 5 ms (store open + first HKLM read)',
    figures: ['load.real', 'load.store'],
    limit: 5,
    profile: `${perf('load')}   (or: valgrind --tool=callgrind --callgrind-out-file=build/callgrind.load node build/bench-js/profile.js load --seconds 0)`,
  },
  {
    id: 'tree-vs-hive-bytes',
    short: 'loaded tree ÷ hive bytes',
    label: 'the loaded tree ≤ 4× its hive files’ bytes (helper RSS growth)',
    figures: ['memory.helper-tree-ratio'],
    compared: ['memory.helper-tree', 'memory.hive-bytes'],
    limit: 4,
    profile: 'valgrind --tool=massif build/regbridge-server --pipe /tmp/s --prefix <store>',
  },
  {
    id: 'require',
    short: "require('regbridge') (ms)",
    label: "require('regbridge') ≤ 5 ms (fresh process)",
    figures: ['startup.require'],
    limit: 5,
    profile: 'node --cpu-prof -e "require(\'regbridge\')"',
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

/** How the repeats behind a value spread: their range, their middle half, and how many were within the limit. */
function repeats(values: number[], limit: number, sense: '<=' | '>=', format: (v: number) => string, unit = '') {
  const [q1, q3] = quartiles(values);
  const within = values.filter((v) => (sense === '<=' ? v <= limit : v >= limit)).length;
  return {
    text: `${spread(values, format)}${unit}, middle half ${format(q1)}–${format(q3)}${unit}, ${within} of ${values.length} within the limit`,
    within: [within, values.length] as [number, number],
  };
}

/** The target's reach (RatioTarget.reach) in this run, and a sentence for its detail; none when not measured. */
function reachOf(t: RatioTarget, cells: Cell[]): { value: number; text: string } | undefined {
  const rounds = t.reach?.rounds(cells) ?? [];
  if (!t.reach || !rounds.length) return undefined;
  const value = median(rounds);
  const past = t.sense === '<=' ? value > t.limit : value < t.limit;
  const text = `; ${t.reach.of} reaches ${value.toFixed(2)}× in the same rounds${past ? ', so the limit lies past what this machine allows' : ''}`;
  return { value, text };
}

/** A figure target's reach (FigureTarget.reach) in this run, and a sentence for its detail; none when not measured. */
function figureReachOf(t: FigureTarget, figures: Figure[]): { value: number; text: string } | undefined {
  const floor = t.reach && figures.find((f) => f.id === t.reach?.figure && !f.notRun);
  if (!t.reach || !floor) return undefined;
  const value = floor.median;
  const past = value > t.limit;
  const text = `; ${t.reach.of} reaches ${value.toFixed(2)}× (median of ${floor.samples.length})${past ? ', so the limit lies past what this machine allows' : ''}`;
  return { value, text };
}

/** Checks every target against the run's results. */
export function computeTargets(results: Results, setup: Setup): TargetResult[] {
  const out: TargetResult[] = [];
  for (const t of ratioTargets) {
    const a = results.cells.find((c) => c.id === t.numerator);
    const b = results.cells.find((c) => c.id === t.denominator);
    // A ratio the trial did not list is taken here from its two cells, round by round (both ran in the same rounds).
    const r =
      results.ratios.find((x) => x.numerator === t.numerator && x.denominator === t.denominator && x.kind === t.kind) ??
      (a && b && a.trial === b.trial ? ratio(results.cells, t.numerator, t.denominator, t.kind) : undefined);
    const source = `${t.numerator} / ${t.denominator}`;
    // With --filter, the targets of trials left out are left out too.
    if (results.options.filter && !a && !b) continue;
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
        compared: '—',
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
    const rounds = repeats(r.rounds, t.limit, t.sense, (v) => v.toFixed(2));
    const reach = reachOf(t, results.cells);
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
      compared: measure,
      detail: `${measure}; median of ${r.rounds.length} interleaved rounds (${rounds.text}), ratio of medians ${r.ofMedians.toFixed(2)}${realNote}${reach?.text ?? ''}`,
      within: rounds.within,
      reach: reach?.value,
      profile: met ? undefined : t.profile,
    });
  }
  for (const t of figureTargets) {
    const figure: Figure | undefined = t.figures
      .map((id) => results.figures.find((f) => f.id === id && !f.notRun))
      .find(Boolean);
    if (!figure && results.options.filter && !results.figures.some((f) => t.figures.includes(f.id))) continue;
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
        unit: t.compared ? '×' : 'ms',
        met: null,
        compared: '—',
        detail: `not run: ${why}`,
      });
      continue;
    }
    const met = figure.median <= t.limit;
    const unit = figure.unit === '×' ? '×' : 'ms';
    let compared = `${formatFigure(figure.median, figure.unit)} vs ${t.limit} ${figure.unit}`;
    if (t.compared) {
      const [x, y] = t.compared.map((id) => results.figures.find((f) => f.id === id));
      if (x && y && !x.notRun && !y.notRun)
        compared = `${formatFigure(x.median, x.unit)} vs ${formatFigure(y.median, y.unit)}`;
    }
    const processes = repeats(figure.samples, t.limit, '<=', (v) => v.toFixed(2), ` ${figure.unit}`);
    let detail = `median of ${figure.samples.length} (${processes.text})`;
    if (figure.id === 'load.store')
      detail += `; on ${setup.store.kind === 'generated' ? 'the generated store (no real prefix available)' : 'this run’s store'}`;
    if (figure.id === 'load.real') detail += `; ${figure.note ?? ''}`;
    const reach = figureReachOf(t, results.figures);
    if (reach) detail += reach.text;
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
      unit,
      met,
      compared,
      detail,
      within: processes.within,
      reach: reach?.value,
      profile: met ? undefined : t.profile,
    });
  }
  return out;
}
