// The parity walk: a fresh Wine prefix (`wineboot -i`) read whole — HKLM\Software, HKLM\System and HKCU — twice:
// by the Win32 backend under Windows' node.exe in Wine, with wineserver serving the registry live, and by the hive
// store under Linux's node, from the prefix's files once `wineserver -w` has saved them and exited. Both must find the
// same keys, the same values (type code and bytes) and the same link keys with the same targets. Prints how many
// keys and values were walked and every difference; exits 1 on any.
//
//   node build/win-tests/parityWalk.js [--modes in-process,pipe] [--keep]
// Run from the repository root, after the Linux build (dist/, build/) and the Windows one (build-win/).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Walk } from './walkRegistry';

const roots = ['HKLM\\Software', 'HKLM\\System', 'HKCU'];

/**
 * What differs by nature between a live registry and its saved files, left out of the comparison (prefixes of key
 * paths, compared without regard to case). All are volatile keys: made at run time with REG_OPTION_VOLATILE by Wine's
 * services and DLLs, kept in wineserver's memory and never written to system.reg or user.reg, so the hive store
 * cannot see them (as on Windows, where volatile keys are not in the hive files either). Found by comparing a live
 * `regedit /E` of a fresh prefix with its saved files. Everything else must match exactly.
 */
interface Exclusion {
  /** The key and all below it, or with `pattern`, what is shown for the keys it matches. */
  key: string;
  /** Matches the excluded key paths, when they are not simply everything under `key`. */
  pattern?: RegExp;
  /** Only this value of the matched keys is left out (compared without regard to case); the rest is compared. */
  value?: string;
  why: string;
}

const exclusions: Exclusion[] = [
  { key: 'HKCU\\Software\\Wine\\Fonts\\Cache', why: "the font cache, rebuilt by Wine's win32u each start" },
  {
    key: 'HKCU\\Software\\Wine\\Temporary System Parameters',
    why: "user32's system parameters for the session, made when a program with windows starts",
  },
  {
    key: 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\NetworkCards',
    why: 'the network adapters found at start-up',
  },
  {
    key: 'HKLM\\System\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName',
    why: 'the name the running system uses (volatile on Windows too)',
  },
  {
    key: 'HKLM\\System\\CurrentControlSet\\Control\\DeviceClasses\\<class>\\<interface>\\#',
    pattern: /^HKLM\\System\\CurrentControlSet\\Control\\DeviceClasses\\[^\\]+\\[^\\]+\\#(\\|$)/i,
    why: "the live part of a device interface ('#' and its Control key), made by Wine's drivers as devices appear",
  },
  { key: 'HKLM\\System\\CurrentControlSet\\Control\\ServiceCurrent', why: "services.exe's current service number" },
  { key: 'HKLM\\System\\CurrentControlSet\\Control\\Video', why: 'the display adapters found at start-up' },
  {
    key: 'HKLM\\System\\CurrentControlSet\\Hardware Profiles\\Current\\System',
    why: 'the same display adapters in the current hardware profile (Control\\Video), the keys above them made with them',
  },
  { key: 'HKLM\\System\\MountedDevices', why: "the drives Wine's mount manager finds at start-up" },
  {
    // Not volatile: saved, but rewritten whenever a Wine session sets up its display devices, so the files hold the
    // last session's time and a walk made in an earlier session differs (seen once: the in-process walk's session
    // ended before the pipe walk's began).
    key: 'HKLM\\System\\CurrentControlSet\\Control\\Class\\{4D36E968-E325-11CE-BFC1-08002BE10318}\\<n> "DriverDateData"',
    pattern: /^HKLM\\System\\CurrentControlSet\\Control\\Class\\\{4D36E968-E325-11CE-BFC1-08002BE10318\}\\[0-9]{4}$/i,
    value: 'DriverDateData',
    why: "the display adapter's driver date, which Wine's win32u sets to the current time each session",
  },
  {
    key: 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Perflib\\009',
    why:
      'served by the performance library, not the hive: opened by this path, Windows and Wine give the ' +
      'HKEY_PERFORMANCE_TEXT handle, and Wine answers no query on it (ERROR_INVALID_HANDLE)',
  },
];

const repoRoot = process.cwd();
const work = path.join(repoRoot, 'build-win', 'parity');
const prefix = path.join(work, 'wineprefix');
const nodeExe = path.join(repoRoot, 'build-win', 'node', 'node.exe');
const walker = path.join(repoRoot, 'build', 'win-tests', 'walkRegistry.js');
const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };

/**
 * Runs a program to its end. Output goes to files or nowhere, never to our own stdout or stderr: the Wine services
 * the first Windows program starts inherit them and would hold a pipe there open as long as wineserver lives.
 */
function run(file: string, args: string[], options: { stdout?: string; stderr?: string } = {}): void {
  const out = options.stdout ? fs.openSync(options.stdout, 'w') : 'ignore';
  const err = options.stderr ? fs.openSync(options.stderr, 'w') : 'ignore';
  try {
    execFileSync(file, args, { env, stdio: ['ignore', out, err], timeout: 600_000 });
  } finally {
    if (typeof out === 'number') fs.closeSync(out);
    if (typeof err === 'number') fs.closeSync(err);
  }
}

function matches(e: Exclusion, key: string): boolean {
  const lower = key.toLowerCase();
  return e.pattern
    ? e.pattern.test(key)
    : lower === e.key.toLowerCase() || lower.startsWith(`${e.key.toLowerCase()}\\`);
}

/** The exclusion that leaves the whole key out, if any. */
function excluded(key: string): Exclusion | undefined {
  return exclusions.find((e) => e.value === undefined && matches(e, key));
}

/** Whether one value of a compared key is left out. */
function valueExcluded(key: string, name: string): boolean {
  return exclusions.some(
    (e) => e.value !== undefined && e.value.toLowerCase() === name.toLowerCase() && matches(e, key),
  );
}

/** Every difference between the two walks, as lines; counts what was compared. */
function compare(
  win: Walk,
  linux: Walk,
  counts: { keys: number; values: number; links: number; skipped: number },
): string[] {
  const differences: string[] = [];
  for (const key of new Set([...Object.keys(win), ...Object.keys(linux)])) {
    if (excluded(key)) {
      counts.skipped++;
      continue;
    }
    const a = win[key];
    const b = linux[key];
    if (!a) {
      differences.push(`only the hive store has key ${key}`);
      continue;
    }
    if (!b) {
      differences.push(`only the Win32 backend has key ${key}`);
      continue;
    }
    counts.keys++;
    if (a.error !== undefined || b.error !== undefined) {
      differences.push(`key ${key}: Win32 ${a.error ?? 'reads it'}, hive store ${b.error ?? 'reads it'}`);
      continue;
    }
    if (a.link !== undefined || b.link !== undefined) {
      counts.links++;
      if (a.link !== b.link)
        differences.push(`link ${key}: Win32 → ${a.link ?? '(not a link)'}, hive store → ${b.link ?? '(not a link)'}`);
      continue;
    }
    for (const name of new Set([...Object.keys(a.values), ...Object.keys(b.values)])) {
      if (valueExcluded(key, name)) continue;
      counts.values++;
      const x = a.values[name];
      const y = b.values[name];
      if (x === y) continue;
      const show = (v: string | undefined) => (v === undefined ? '(absent)' : v.length > 80 ? `${v.slice(0, 80)}…` : v);
      differences.push(`value ${key} [${JSON.stringify(name)}]: Win32 ${show(x)}, hive store ${show(y)}`);
    }
  }
  return differences;
}

function main(argv: string[]): number {
  let modes = ['in-process'];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--modes') modes = argv[++i].split(',');
    else throw new Error(`parityWalk: unknown option ${argv[i]}`);
  }
  for (const needed of [nodeExe, walker])
    if (!fs.existsSync(needed)) throw new Error(`parityWalk: ${needed} is missing`);

  // A fresh prefix each run: what Wine made, nothing a test wrote. Windows' node.exe needs it to report 8.1.
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  run('wineboot', ['-i']);
  run('wine', [
    'reg',
    'add',
    'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion',
    '/v',
    'CurrentVersion',
    '/d',
    '6.3',
    '/f',
  ]);
  run('wineserver', ['-w']);

  const walks: Record<string, Walk> = {};
  for (const mode of modes) {
    const out = path.join(work, `win32-${mode}.json`);
    // node.exe writes to files only (a Unix pipe gives EBADF).
    const log = path.join(work, `win32-${mode}.log`);
    try {
      run('wine', [nodeExe, walker, '--mode', mode, '--out', out, ...roots], { stdout: log, stderr: log + '.err' });
    } finally {
      for (const file of [log, log + '.err'])
        if (fs.existsSync(file)) process.stdout.write(fs.readFileSync(file, 'utf8'));
    }
    const parsed = JSON.parse(fs.readFileSync(out, 'utf8')) as { ms: number; keys: Walk };
    console.log(
      `parity walk: the Win32 backend (${mode}, Wine) walked ${Object.keys(parsed.keys).length} keys in ${parsed.ms} ms`,
    );
    walks[mode] = parsed.keys;
  }
  // Every change saved to the prefix's files, and wineserver gone, before the hive store reads them.
  run('wineserver', ['-w']);
  const linuxOut = path.join(work, 'hive-store.json');
  const linuxErr = path.join(work, 'hive-store.err');
  try {
    run(process.execPath, [walker, '--mode', 'in-process', '--prefix', prefix, '--out', linuxOut, ...roots], {
      stderr: linuxErr,
    });
  } finally {
    if (fs.existsSync(linuxErr)) process.stdout.write(fs.readFileSync(linuxErr, 'utf8'));
  }
  const linux = (JSON.parse(fs.readFileSync(linuxOut, 'utf8')) as { keys: Walk }).keys;
  console.log(`parity walk: the hive store walked ${Object.keys(linux).length} keys`);

  if (exclusions.length) {
    console.log('parity walk: left out, as they differ by nature:');
    for (const e of exclusions) console.log(`  ${e.key}: ${e.why}`);
  }
  let failed = false;
  for (const mode of modes) {
    const counts = { keys: 0, values: 0, links: 0, skipped: 0 };
    const differences = compare(walks[mode], linux, counts);
    console.log(
      `parity walk [${mode}]: ${counts.keys} keys (${counts.links} links) and ${counts.values} values compared, ` +
        `${counts.skipped} keys left out, ${differences.length} differences`,
    );
    for (const line of differences.slice(0, 200)) console.log(`  ${line}`);
    if (differences.length > 200) console.log(`  … and ${differences.length - 200} more`);
    if (differences.length) failed = true;
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
