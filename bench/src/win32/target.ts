// `npm run bench -- --target win32`: the read operations in both modes (modes.ts) run twice — by Linux's node on the
// hive store, and by Windows' node.exe in Wine on the Win32 backend (build-win/) — and printed side by side. Under
// Wine every registry call goes through wineserver, so Wine's absolute times say nothing of Windows; the ratio of pipe
// to in-process, the cost of the helper, still does.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { root } from '../paths';
import type { Cell } from '../report/results';

interface Side {
  label: string;
  cells: Cell[];
}

const modesScript = path.join(root, 'build', 'bench-js', 'win32', 'modes.js');

function linuxSide(quick: boolean, dir: string): Side {
  const out = path.join(dir, 'linux.json');
  const prefix = fs.mkdtempSync(path.join(dir, 'prefix-'));
  execFileSync(process.execPath, [modesScript, '--out', out, '--prefix', prefix, ...(quick ? ['--quick'] : [])], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { label: 'Linux (hive store)', cells: (JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: Cell[] }).cells };
}

function wineSide(quick: boolean, dir: string): Side {
  // The Windows tests' node.exe and prefix (scripts/fetch-win-node, scripts/win-prefix), made on first use.
  execFileSync('bash', [path.join(root, 'scripts', 'fetch-win-node')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const prefix = execFileSync('bash', [path.join(root, 'scripts', 'win-prefix')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .toString()
    .trim();
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };
  for (const needed of ['addon/regbridge.node', 'regbridge-server.exe']) {
    const file = path.join(root, 'build-win', needed);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the Windows side first`);
  }
  const out = path.join(dir, 'wine.json');
  const log = path.join(dir, 'wine.log');
  const fd = fs.openSync(log, 'w'); // node.exe writes to files only: a Unix pipe gives EBADF
  // -p: one wineserver for the run, so that every helper starts quickly. Its output goes nowhere: the daemon keeps
  // what it is given, and a pipe of ours would never close.
  execFileSync('wineserver', ['-p'], { env, stdio: 'ignore' });
  try {
    execFileSync(
      'wine',
      [path.join(root, 'build-win', 'node', 'node.exe'), modesScript, '--out', out, ...(quick ? ['--quick'] : [])],
      {
        env,
        stdio: ['ignore', fd, fd],
      },
    );
  } catch (error) {
    process.stderr.write(fs.readFileSync(log, 'utf8'));
    throw error;
  } finally {
    fs.closeSync(fd);
    execFileSync('wineserver', ['-k'], { env, stdio: 'ignore' });
  }
  return {
    label: "Wine (Win32 backend, Windows' node.exe)",
    cells: (JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: Cell[] }).cells,
  };
}

const us = (ns: number | undefined) =>
  ns === undefined || !Number.isFinite(ns) ? 'n/a' : `${(ns / 1000).toFixed(1)} µs`;

function row(side: Side, op: string): string[] {
  const find = (mode: string) => side.cells.find((c) => c.op === op && c.mode === mode)?.medianNs;
  const inProcess = find('in-process async');
  const pipe = find('pipe');
  const ratio = inProcess && pipe ? `${(pipe / inProcess).toFixed(1)}x` : 'n/a';
  return [us(inProcess), us(pipe), ratio];
}

/** Runs both sides and prints them; throws when either fails. */
export function runWin32Target(quick: boolean): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-bench-win32-'));
  try {
    const sides = [linuxSide(quick, dir), wineSide(quick, dir)];
    const ops = [...new Set(sides[0].cells.map((c) => c.op))];
    const header = ['operation', ...sides.flatMap((s) => [`${s.label}: in-process`, 'pipe', 'pipe/in-process'])];
    const rows = [header, ...ops.map((op) => [op, ...sides.flatMap((s) => row(s, op))])];
    const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log('median time per call, one call in flight (async API)');
    for (const r of rows)
      console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    console.log(
      "\nUnder Wine every registry call goes through wineserver: Wine's absolute times say nothing of Windows. " +
        'Only the ratio of pipe to in-process (what the helper costs) carries over.',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
