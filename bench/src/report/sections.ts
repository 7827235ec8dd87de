// The report's sections, shared by the text table and the HTML page: the cells of each operation grouped into rows
// (one per mode and variant) with a column per concurrency.
import type { Cell, Mode, Results } from './results';

/** One row: a mode (and variant) of one operation, its cells by concurrency. */
export interface Row {
  label: string;
  mode: Mode;
  byConcurrency: Map<number, Cell>;
  /** The cell at the lowest concurrency: its per-call time and percentiles are the row's latency. */
  first: Cell;
}

/** One section: an operation (and hive, for writes). */
export interface Section {
  title: string;
  rows: Row[];
}

const modeOrder: Mode[] = [
  'floor: N-API',
  'in-process sync',
  'addon, no TS layer',
  'in-process async',
  'floor: write+rename',
  'floor: echo',
  'pipe',
  'peer: vscode-jsonrpc',
  'peer: child_process IPC',
  'peer: wine reg query',
];

const sectionOrder = [
  'readStringValue',
  'readValue',
  'listValues',
  'listSubkeys',
  'keyExists',
  'getKeyInfo',
  'writeValue',
  'deleteValue',
  'openStore',
];

/** Groups the cells (except the several-clients ones) into sections and rows. */
export function sections(results: Results): Section[] {
  const byTitle = new Map<string, Cell[]>();
  for (const cell of results.cells) {
    if (cell.trial === 'clients') continue;
    const title = cell.hive ? `${cell.op} (${cell.hive})` : cell.op;
    if (!byTitle.has(title)) byTitle.set(title, []);
    byTitle.get(title)!.push(cell);
  }
  const titles = [...byTitle.keys()].sort((a, b) => {
    const rank = (t: string) => sectionOrder.indexOf(t.split(' ')[0]);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  return titles.map((title) => {
    const rows = new Map<string, Row>();
    for (const cell of byTitle.get(title)!) {
      const label = cell.variant ? `${cell.mode}, ${cell.variant}` : cell.mode;
      let row = rows.get(label);
      if (!row) rows.set(label, (row = { label, mode: cell.mode, byConcurrency: new Map(), first: cell }));
      row.byConcurrency.set(cell.concurrency, cell);
      if (cell.concurrency < row.first.concurrency) row.first = cell;
    }
    const ordered = [...rows.values()].sort((a, b) => modeOrder.indexOf(a.mode) - modeOrder.indexOf(b.mode));
    return { title, rows: ordered };
  });
}

/** The concurrency columns of the tables. */
export const columns = [1, 16, 128];
