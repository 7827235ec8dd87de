// Numbers for people: times with a unit that keeps three significant digits, rates with thousands separators.

/** 263 ns, 1.27 µs, 41.2 µs, 3.31 ms, 1.21 s. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const [value, unit] =
    ns < 1e3 ? [ns, 'ns'] : ns < 1e6 ? [ns / 1e3, 'µs'] : ns < 1e9 ? [ns / 1e6, 'ms'] : [ns / 1e9, 's'];
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

/** 1.52 M/s, 183 k/s, 12.4 k/s, 850 /s. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '—';
  const [value, unit] = perSec >= 1e6 ? [perSec / 1e6, 'M/s'] : perSec >= 1e3 ? [perSec / 1e3, 'k/s'] : [perSec, '/s'];
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

/** A figure with its unit. */
export function formatFigure(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`;
}

/** A row whose text after the first column spans the rest (a "not run" reason), sized apart from the columns. */
export interface SpanRow {
  first: string;
  span: string;
}

/** Text table: columns padded to their widest cell; numbers (all but the first column) right-aligned. */
export function textTable(header: string[], rows: Array<string[] | SpanRow>): string {
  const plain = rows.filter((r): r is string[] => Array.isArray(r));
  const widths = header.map((h, i) =>
    Math.max(
      h.length,
      ...plain.map((r) => (r[i] ?? '').length),
      ...(i === 0 ? rows.map((r) => (Array.isArray(r) ? 0 : r.first.length)) : []),
    ),
  );
  const line = (row: string[] | SpanRow) =>
    Array.isArray(row)
      ? row
          .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
          .join('  ')
          .trimEnd()
      : `${row.first.padEnd(widths[0])}  ${row.span}`;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
