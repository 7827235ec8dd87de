// The self-contained HTML report: the targets, charts drawn as inline SVG (no script, no network), the tables of
// the text report, the machine and the store. Written next to the JSON; its path is printed at the end of a run.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { formatFigure, formatNs, formatRate } from './format';
import type { Cell, Results } from './results';
import { columns, sections } from './sections';
import { Bar, barChart, esc, lineChart, palette } from './svg';

const modeColor: Record<string, string> = {
  'floor: N-API': '#bab0ac',
  'in-process sync': palette[0],
  'addon, no TS layer': '#9ecae9',
  'in-process async': palette[4],
  'floor: write+rename': '#bab0ac',
  'floor: echo': '#8c8c8c',
  pipe: palette[1],
  'peer: vscode-jsonrpc': palette[3],
  'peer: child_process IPC': palette[6],
  'peer: wine reg query': palette[8],
};

const css = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 16px; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee; }
th { text-align: left; background: #f6f6f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #1a7f37; font-weight: 600; } .missed { color: #c62828; font-weight: 600; } .muted { color: #777; }
svg { display: block; margin: 12px 0; } svg .title { font: 600 14px system-ui, sans-serif; }
svg .label { font: 12px system-ui, sans-serif; } svg .value { font: 11px system-ui, sans-serif; fill: #333; }
svg .tick { font: 10px system-ui, sans-serif; fill: #666; } svg .grid { stroke: #e5e5e5; } svg .marker { stroke: #c62828; stroke-dasharray: 4 3; }
code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; font-size: 12px; }`;

const fmtMs = (v: number) => (v === 0 ? '0' : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ms`);
const fmtTick = (ns: number) => formatNs(ns).replace(/\.0+ /, ' ');

function targetsHtml(results: Results): string {
  const rows = results.targets
    .map((t) => {
      const value = Number.isFinite(t.value)
        ? t.unit === '×'
          ? `${t.value.toFixed(2)}×`
          : `${t.value.toFixed(1)} ms`
        : '—';
      const status =
        t.met === null
          ? '<span class="muted">not run</span>'
          : t.met
            ? '<span class="met">met</span>'
            : '<span class="missed">missed</span>';
      const profile = t.profile ? `<br><span class="muted">profile: <code>${esc(t.profile)}</code></span>` : '';
      return `<tr><td>${esc(t.label)}</td><td class="n">${value}</td><td class="n">${t.sense} ${t.limit}${t.unit === '×' ? '×' : ' ms'}</td><td>${status}</td><td class="n">${t.within ? `${t.within[0]} of ${t.within[1]}` : '—'}</td><td class="n">${t.reach !== undefined ? `${t.reach.toFixed(2)}×` : ''}</td><td class="n">${esc(t.compared)}</td><td class="muted">${esc(t.detail)}${profile}</td></tr>`;
    })
    .join('');
  const bars: Bar[] = results.targets
    .filter((t) => Number.isFinite(t.value))
    .map((t) => {
      const used = t.sense === '<=' ? t.value / t.limit : t.limit / t.value;
      return {
        label: t.short,
        value: used,
        text: `${used.toFixed(2)} of the limit`,
        color: used <= 1 ? '#59a14f' : '#e15759',
      };
    });
  const chart = barChart({
    title: 'Targets: share of the allowance used (≤ 1 is met)',
    bars,
    format: (v) => v.toFixed(1),
    marker: { value: 1, label: 'limit' },
    width: 900,
  });
  return `<h2>Targets</h2><table><tr><th>target</th><th>measured</th><th>limit</th><th></th><th>repeats within</th><th>floor reaches</th><th>compared</th><th>how</th></tr>${rows}</table>${chart}`;
}

function cellsOf(results: Results, op: string, c: number): Cell[] {
  return results.cells.filter((x) => x.op === op && x.concurrency === c && !x.notRun && x.trial !== 'clients');
}

function chartsHtml(results: Results): string {
  const out: string[] = ['<h2>Charts</h2>'];
  const label = (c: Cell) => (c.variant ? `${c.mode}, ${c.variant}` : c.mode);
  const rsv = cellsOf(results, 'readStringValue', 1);
  out.push(
    barChart({
      title: 'readStringValue: time per call, one in flight (log scale)',
      bars: rsv.map((c) => ({
        label: label(c),
        value: c.medianNs,
        text: formatNs(c.medianNs),
        color: modeColor[c.mode] ?? '#999',
      })),
      log: true,
      format: fmtTick,
    }),
  );
  const series = ['in-process async', 'floor: echo', 'pipe', 'peer: vscode-jsonrpc', 'peer: child_process IPC'].map(
    (mode) => ({
      name: mode,
      color: modeColor[mode],
      points: columns.map(
        (c) =>
          results.cells.find(
            (x) =>
              x.op === 'readStringValue' &&
              x.mode === mode &&
              x.concurrency === c &&
              !x.notRun &&
              x.trial !== 'clients',
          )?.callsPerSec,
      ),
    }),
  );
  out.push(
    lineChart({
      title: 'readStringValue: calls per second by calls in flight (log scale)',
      xs: columns,
      xLabel: 'calls in flight',
      series,
      format: (v) => formatRate(v).replace(/\.0+ /, ' '),
    }),
  );
  const ops = ['readStringValue', 'readValue', 'listValues', 'listSubkeys', 'keyExists', 'getKeyInfo'];
  const modes = ['in-process sync', 'in-process async', 'pipe', 'peer: vscode-jsonrpc', 'peer: child_process IPC'];
  const opBars: Bar[] = [];
  for (const op of ops) {
    for (const mode of modes) {
      const c = results.cells.find(
        (x) => x.op === op && x.mode === mode && x.concurrency === 1 && !x.notRun && !x.variant,
      );
      if (c)
        opBars.push({
          label: `${op} · ${mode.replace('peer: ', '')}`,
          value: c.medianNs,
          text: formatNs(c.medianNs),
          color: modeColor[mode],
        });
    }
  }
  out.push(
    barChart({
      title: 'Every read: time per call, one in flight (log scale)',
      bars: opBars,
      log: true,
      format: fmtTick,
    }),
  );
  for (const hive of ['HKCU', 'HKLM']) {
    const writeBars = results.cells
      .filter((c) => c.hive === hive && (c.concurrency === 1 || c.mode === 'floor: write+rename') && !c.notRun)
      .map((c) => ({
        label: `${c.op} · ${c.mode}${c.variant ? `, ${c.variant}` : ''}`,
        value: c.medianNs,
        text: formatNs(c.medianNs),
        color: modeColor[c.mode] ?? '#999',
      }));
    out.push(barChart({ title: `Writes to ${hive}: time per call, one in flight`, bars: writeBars, format: fmtTick }));
  }
  const ms = results.figures.filter(
    (f) => f.unit === 'ms' && !f.notRun && !f.id.startsWith('wine.') && !f.id.startsWith('scale.'),
  );
  out.push(
    barChart({
      title: 'Start-up and load (median of fresh processes)',
      bars: ms.map((f) => ({
        label: f.label,
        value: f.median,
        text: fmtMs(f.median),
        color: f.id.includes('echo') ? '#8c8c8c' : palette[0],
      })),
      format: fmtMs,
    }),
  );
  const mib = results.figures.filter((f) => f.unit === 'MiB' && !f.notRun && !f.id.startsWith('scale.'));
  out.push(
    barChart({
      title: 'Memory',
      bars: mib.map((f) => ({
        label: f.label,
        value: Math.max(f.median, 0.01),
        text: `${f.median.toFixed(1)} MiB`,
        color: f.id.includes('echo') ? '#8c8c8c' : palette[2],
      })),
      format: (v) => `${v.toFixed(0)} MiB`,
    }),
  );
  return out.join('\n');
}

function tablesHtml(results: Results): string {
  const out: string[] = [
    '<h2>Tables</h2><p class="muted">Per call: median over interleaved rounds of the mean time per call at the lowest concurrency. p50/p99 over every call (synchronous calls: over batches of 16). Throughput: calls per second with 1, 16 and 128 calls in flight.</p>',
  ];
  for (const section of sections(results)) {
    const rows = section.rows
      .map((row) => {
        const f = row.first;
        if (f.notRun)
          return `<tr><td>${esc(row.label)}</td><td colspan="6" class="muted">not run: ${esc(f.notRun)}</td></tr>`;
        const rates = columns.map((c) => {
          const cell = row.byConcurrency.get(c);
          return `<td class="n">${cell && !cell.notRun ? formatRate(cell.callsPerSec) : ''}</td>`;
        });
        return `<tr><td>${esc(row.label)}</td><td class="n">${formatNs(f.medianNs)}</td><td class="n">${formatNs(f.p50Ns)}</td><td class="n">${formatNs(f.p99Ns)}</td>${rates.join('')}</tr>`;
      })
      .join('');
    out.push(
      `<h3>${esc(section.title)}</h3><table><tr><th>mode</th><th>per call</th><th>p50</th><th>p99</th><th>@1</th><th>@16</th><th>@128</th></tr>${rows}</table>`,
    );
  }
  const clients = results.cells.filter((c) => c.trial === 'clients');
  if (clients.length) {
    const rows = clients
      .map((c) =>
        c.notRun
          ? `<tr><td>${esc(`${c.mode}, ${c.variant}`)}</td><td colspan="4" class="muted">not run: ${esc(c.notRun)}</td></tr>`
          : `<tr><td>${esc(`${c.mode}, ${c.variant}`)}</td><td class="n">${formatRate(c.callsPerSec)}</td><td class="n">${formatNs(c.medianNs)}</td><td class="n">${formatNs(c.p50Ns)}</td><td class="n">${formatNs(c.p99Ns)}</td></tr>`,
      )
      .join('');
    out.push(
      `<h3>Several client processes on one helper (readStringValue)</h3><table><tr><th>mode</th><th>calls/s</th><th>per call</th><th>p50</th><th>p99</th></tr>${rows}</table>`,
    );
  }
  const figures = results.figures
    .map((f) =>
      f.notRun
        ? `<tr><td>${esc(f.label)}</td><td colspan="4" class="muted">not run: ${esc(f.notRun)}</td></tr>`
        : `<tr><td>${esc(f.label)}${f.note ? `<br><span class="muted">${esc(f.note)}</span>` : ''}</td><td class="n">${formatFigure(f.median, f.unit)}</td><td class="n">${formatFigure(Math.min(...f.samples), f.unit)}</td><td class="n">${formatFigure(Math.max(...f.samples), f.unit)}</td><td class="n">${f.samples.length}</td></tr>`,
    )
    .join('');
  out.push(
    `<h3>Start-up, memory, load</h3><table><tr><th>figure</th><th>median</th><th>min</th><th>max</th><th>n</th></tr>${figures}</table>`,
  );
  const ratios = results.ratios
    .map(
      (r) =>
        `<tr><td>${esc(r.numerator)} / ${esc(r.denominator)} (${r.kind})</td><td class="n">${r.notRun ? 'not run' : `${r.median.toFixed(2)}×`}</td><td class="n">${r.notRun ? '' : `${r.ofMedians.toFixed(2)}×`}</td></tr>`,
    )
    .join('');
  out.push(
    `<h3>Every ratio (median of per-round ratios; ratio of medians beside it)</h3><table><tr><th>ratio</th><th>median</th><th>of medians</th></tr>${ratios}</table>`,
  );
  return out.join('\n');
}

/** Writes the report to `file`. */
export function writeHtml(results: Results, file: string): void {
  const m = results.machine;
  const peers = results.peersNotRunnable.map((p) => `<li><b>${esc(p.name)}</b>: ${esc(p.why)}</li>`).join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>regbridge benchmark ${esc(m.date)}</title><style>${css}</style></head>
<body>
<h1>regbridge benchmark</h1>
<p>${esc(m.date)} · ${esc(m.cpuModel)} (${m.cores} cores, ${m.memoryGiB} GiB) · ${esc(m.platform)} ${esc(m.kernel)} · Node ${esc(m.node)} · commit ${esc(m.commit)}${results.options.quick ? ' · <b>--quick</b> (rough numbers)' : ''} · ${results.seconds.toFixed(0)} s</p>
<p class="muted">${results.notes.map(esc).join('<br>')}</p>
${targetsHtml(results)}
${chartsHtml(results)}
${tablesHtml(results)}
<h2>Peers that cannot run here</h2><ul>${peers}</ul>
<p class="muted">How to read this report: bench/README.md. Raw numbers: the JSON written beside this file.</p>
</body></html>
`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, html);
}
