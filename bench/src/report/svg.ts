// Charts as inline SVG strings: drawn when the report is written, so the HTML needs no script and no network to show
// them. Horizontal bars (optionally on a log scale, for times that span ns to s) and lines over a few x values.

/** Escapes text for XML. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const palette = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  text: string;
  color: string;
}

function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
  }
  const step = 10 ** Math.floor(Math.log10(max / 4 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = 0; v <= max * 1.0001; v += nice) out.push(v);
  return out;
}

/** A horizontal bar chart. `format` labels the axis ticks; `marker` draws a vertical line (a limit). */
export function barChart(options: {
  title: string;
  bars: Bar[];
  log?: boolean;
  format: (v: number) => string;
  marker?: { value: number; label: string };
  width?: number;
}): string {
  const bars = options.bars.filter((b) => Number.isFinite(b.value) && b.value > 0);
  // Labels are never cut: the label column is as wide as the longest one (about 6.6 px a character at 12 px).
  const labelWidth = Math.min(
    460,
    Math.max(120, Math.ceil(Math.max(...options.bars.map((b) => b.label.length)) * 6.6) + 12),
  );
  const textWidth = 110;
  const width = Math.max(options.width ?? 760, labelWidth + 420 + textWidth);
  const rowHeight = 22;
  const top = 34;
  const plot = width - labelWidth - textWidth - 10;
  const height = top + bars.length * rowHeight + 28;
  if (bars.length === 0) return `<p class="muted">${esc(options.title)}: nothing measured.</p>`;
  const values = bars.map((b) => b.value).concat(options.marker ? [options.marker.value] : []);
  let min = Math.min(...values);
  let max = Math.max(...values);
  const log = options.log ?? false;
  if (log) {
    min = 10 ** Math.floor(Math.log10(min));
    max = 10 ** Math.ceil(Math.log10(max));
  } else {
    min = 0;
    max *= 1.05;
  }
  const x = (v: number) =>
    labelWidth +
    (log ? ((Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * plot : (v / max) * plot);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(options.title)}">`,
    `<text x="0" y="16" class="title">${esc(options.title)}</text>`,
  ];
  for (const t of ticks(min, max, log)) {
    if (t < min || t > max) continue;
    const tx = x(t);
    parts.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${height - 24}" class="grid"/>`);
    parts.push(`<text x="${tx}" y="${height - 8}" class="tick" text-anchor="middle">${esc(options.format(t))}</text>`);
  }
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const x0 = log ? x(min) : labelWidth;
    parts.push(`<text x="${labelWidth - 6}" y="${y + 14}" class="label" text-anchor="end">${esc(bar.label)}</text>`);
    parts.push(
      `<rect x="${x0}" y="${y + 3}" width="${Math.max(1, x(bar.value) - x0)}" height="${rowHeight - 7}" fill="${bar.color}"><title>${esc(`${bar.label}: ${bar.text}`)}</title></rect>`,
    );
    parts.push(`<text x="${x(bar.value) + 4}" y="${y + 14}" class="value">${esc(bar.text)}</text>`);
  });
  if (options.marker) {
    const mx = x(options.marker.value);
    parts.push(`<line x1="${mx}" y1="${top - 8}" x2="${mx}" y2="${height - 24}" class="marker"/>`);
    parts.push(`<text x="${mx + 3}" y="${top - 10}" class="tick">${esc(options.marker.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** A line chart: y (log scale) over a few x values, one line per series. */
export function lineChart(options: {
  title: string;
  xs: number[];
  xLabel: string;
  series: Array<{ name: string; color: string; points: Array<number | undefined> }>;
  format: (v: number) => string;
}): string {
  const width = 760;
  const height = 320;
  const left = 70;
  const right = 200;
  const top = 34;
  const bottom = 44;
  const all = options.series.flatMap((s) =>
    s.points.filter((p): p is number => p !== undefined && Number.isFinite(p) && p > 0),
  );
  if (all.length === 0) return `<p class="muted">${esc(options.title)}: nothing measured.</p>`;
  const min = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const max = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const px = (i: number) => left + (i / Math.max(1, options.xs.length - 1)) * (width - left - right);
  const py = (v: number) =>
    top + (1 - (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(options.title)}">`,
    `<text x="0" y="16" class="title">${esc(options.title)}</text>`,
  ];
  for (const t of ticks(min, max, true)) {
    parts.push(`<line x1="${left}" y1="${py(t)}" x2="${width - right}" y2="${py(t)}" class="grid"/>`);
    parts.push(
      `<text x="${left - 6}" y="${py(t) + 4}" class="tick" text-anchor="end">${esc(options.format(t))}</text>`,
    );
  }
  options.xs.forEach((xv, i) => {
    parts.push(`<text x="${px(i)}" y="${height - bottom + 18}" class="tick" text-anchor="middle">${xv}</text>`);
  });
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 6}" class="tick" text-anchor="middle">${esc(options.xLabel)}</text>`,
  );
  options.series.forEach((s, k) => {
    const pts = s.points
      .map((p, i) => (p !== undefined && Number.isFinite(p) && p > 0 ? [px(i), py(p)] : undefined))
      .filter((p): p is number[] => !!p);
    if (pts.length === 0) return;
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${pts.map((p) => p.join(',')).join(' ')}"/>`,
    );
    for (const [cx, cy] of pts) parts.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${s.color}"/>`);
    const ly = top + 8 + k * 20;
    parts.push(`<rect x="${width - right + 14}" y="${ly - 9}" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${width - right + 32}" y="${ly + 1}" class="label">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
