// The report on stdout: one table per operation (per-call time at one in flight, its p50/p99, throughput at 1, 16
// and 128 in flight), several clients on one helper, start-up and memory, then the targets, met or missed.
import { formatFigure, formatNs, formatRate, SpanRow, textTable } from './format';
import type { Results } from './results';
import { columns, sections } from './sections';

const notRun = (why: string) => `not run: ${why}`;

/** Prints everything to stdout. */
export function printReport(results: Results): void {
  const out: string[] = [];
  out.push(
    '\nPer call: median over rounds of the mean time per call at the lowest concurrency; p50/p99 over every call',
  );
  out.push('(sync: batches of 16). Throughput: calls per second with 1, 16, 128 calls in flight (median of rounds).');
  for (const section of sections(results)) {
    const rows = section.rows.map((row): string[] | SpanRow => {
      const f = row.first;
      if (f.notRun) return { first: `  ${row.label}`, span: notRun(f.notRun) };
      const rates = columns.map((c) => {
        const cell = row.byConcurrency.get(c);
        return cell && !cell.notRun ? formatRate(cell.callsPerSec) : '';
      });
      return [`  ${row.label}`, formatNs(f.medianNs), formatNs(f.p50Ns), formatNs(f.p99Ns), ...rates];
    });
    out.push(`\n${section.title}`);
    out.push(textTable(['  mode', 'per call', 'p50', 'p99', '@1', '@16', '@128'], rows));
  }
  const clients = results.cells.filter((c) => c.trial === 'clients');
  if (clients.length) {
    out.push('\nSeveral client processes on one helper (readStringValue)');
    out.push(
      textTable(
        ['  mode', 'calls/s', 'per call', 'p50', 'p99'],
        clients.map((c): string[] | SpanRow =>
          c.notRun
            ? { first: `  ${c.mode}, ${c.variant}`, span: notRun(c.notRun) }
            : [
                `  ${c.mode}, ${c.variant}`,
                formatRate(c.callsPerSec),
                formatNs(c.medianNs),
                formatNs(c.p50Ns),
                formatNs(c.p99Ns),
              ],
        ),
      ),
    );
  }
  if (results.figures.length) {
    out.push('\nStart-up, memory, load (median of fresh processes)');
    out.push(
      textTable(
        ['  figure', 'median', 'min', 'max', 'n'],
        results.figures.map((f): string[] | SpanRow =>
          f.notRun
            ? { first: `  ${f.label}`, span: notRun(f.notRun) }
            : [
                `  ${f.label}`,
                formatFigure(f.median, f.unit),
                formatFigure(Math.min(...f.samples), f.unit),
                formatFigure(Math.max(...f.samples), f.unit),
                String(f.samples.length),
              ],
        ),
      ),
    );
  }
  if (results.targets.length) {
    out.push('\nTargets (ratios measured within one trial process, interleaved rounds; medians)');
    out.push(
      textTable(
        ['  target', 'measured', 'limit', 'result', 'repeats within', 'floor reaches', 'compared'],
        results.targets.map((t) => [
          `  ${t.label}`,
          Number.isFinite(t.value) ? (t.unit === '×' ? `${t.value.toFixed(2)}×` : `${t.value.toFixed(1)} ms`) : '—',
          `${t.sense} ${t.limit}${t.unit === '×' ? '×' : ' ms'}`,
          t.met === null ? 'not run' : t.met ? 'met' : 'MISSED',
          t.within ? `${t.within[0]} of ${t.within[1]}` : '—',
          t.reach !== undefined ? `${t.reach.toFixed(2)}×` : '',
          t.compared,
        ]),
      ),
    );
    for (const t of results.targets.filter((x) => x.met !== true)) {
      out.push(`  - ${t.label}: ${t.detail}`);
      if (t.profile) out.push(`    profile: ${t.profile}`);
    }
  }
  out.push(`\n${results.notes.join('\n')}`);
  console.log(out.join('\n'));
}
