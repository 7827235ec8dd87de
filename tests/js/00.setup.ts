// Shared helpers of the Mocha suite: temporary prefixes (tests never touch real user data), the list of modes every
// API test runs in, error assertions, a real Wine prefix (made once and cached) and a running wineserver (one per run).
// Loaded first by .mocharc.json (.mocharc.win32.js under Windows' node.exe), which also registers the root hooks below.
//
// On Windows there is no hive store and no prefix: the stores are the real registry (the Win32 backend). There the
// tests' data lives under one key, HKCU\Software\regbridge-tests, deleted before each test, so each test starts as
// clean as on a fresh prefix; storePrefix() gives no prefix, and tests of the hive store itself use itHiveStore.
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openRegistry, openRegistrySync, Registry, RegistryError } from 'regbridge';

import { buildFolder } from '../../dist/transport/packageRoot.js';
import type { ErrorCode, Mode, RegistrySync } from 'regbridge';

/** Windows (Windows' node.exe, here under Wine): one real registry, no prefix, no hive files. */
export const onWindows = process.platform === 'win32';

/** Every mode the API tests run in, with identical expectations. */
export const modes: readonly Mode[] = ['in-process', 'pipe'];

/** The repository root (this file runs from build/js-tests). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Where this platform's addon and helper are: build/, or build-win/ on Windows (the client's own rule). */
export const buildDir = path.join(repoRoot, buildFolder());

const made: string[] = [];

/** A fresh empty folder, removed after the run. */
export function tempDir(label = 'prefix'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `regbridge-js-${label}-`));
  made.push(dir);
  return dir;
}

/** A fresh empty prefix for a store: nothing in it until the first write. Hive store only: see storePrefix. */
export function tempPrefix(): string {
  return tempDir('prefix');
}

/**
 * The `prefix` option for a fresh store: a new empty prefix, or on Windows none (undefined), the real registry, whose
 * test key the root hook below has emptied before the test.
 */
export function storePrefix(): string | undefined {
  return onWindows ? undefined : tempPrefix();
}

/** The key all test data lives under (on Windows the only key the suite writes to). */
export const testRoot = 'HKCU\\Software\\regbridge-tests';

/** A key path under HKCU for test data; `parts` are appended with backslashes. */
export function testKey(...parts: string[]): string {
  return [testRoot, ...parts].join('\\');
}

/**
 * A test of the hive store itself — its files, its lock, prefixes kept apart. The Windows build has no hive store
 * (its file code is POSIX; there the store is the one registry), so on Windows the test checks what a caller of the
 * hive store gets there instead: a prefix is refused at once with ERR_INVALID_ARGUMENT saying why, in both APIs. Its
 * title keeps the hive-store test's name and `why`, so the report says what Windows does not have.
 */
export function itHiveStore(title: string, why: string, fn: Mocha.AsyncFunc): void {
  if (!onWindows) {
    it(title, fn);
    return;
  }
  it(`${title} — hive store only (${why}): on Windows a prefix is refused, naming why`, async function () {
    const prefix = tempDir('no-hive-store');
    const refusal = /a prefix \('.*'\) selects the hive store, which this Windows build does not include/;
    throwsWith(() => openRegistrySync({ prefix }), 'ERR_INVALID_ARGUMENT', refusal);
    await rejectsWith(openRegistry({ prefix }), 'ERR_INVALID_ARGUMENT', refusal);
  });
}

/** What every per-mode test gets: a registry open on its own fresh prefix, closed after the test. */
export interface ModeFixture {
  readonly mode: Mode;
  /** The prefix `reg` is open on; on Windows undefined (the real registry). */
  prefix: string | undefined;
  /** A registry on `prefix`, fresh for each test. */
  reg: Registry;
  /** Opens another registry in this mode (on storePrefix() unless given), closed after the test. */
  open(prefix?: string): Promise<Registry>;
}

/** Declares `title` once per mode; `body` registers tests that use the fixture. */
export function describeEachMode(title: string, body: (fixture: ModeFixture) => void): void {
  for (const mode of modes) {
    describe(`${title} [${mode}]`, function () {
      const opened: Registry[] = [];
      const fixture = {
        mode,
        async open(prefix?: string): Promise<Registry> {
          const reg = await openRegistry({ mode, prefix: prefix ?? storePrefix() });
          opened.push(reg);
          return reg;
        },
      } as ModeFixture;
      beforeEach(async function () {
        fixture.prefix = storePrefix();
        fixture.reg = await fixture.open(fixture.prefix);
      });
      afterEach(async function () {
        for (const reg of opened.splice(0)) await reg.close();
      });
      body(fixture);
    });
  }
}

function checkRegistryError(error: unknown, code: ErrorCode, message?: RegExp): RegistryError {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  assert.ok(error instanceof RegistryError, `expected a RegistryError, got ${error.name}: ${error.message}`);
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  if (message) assert.match(error.message, message);
  return error;
}

/** Asserts that the promise rejects with a RegistryError of this code (and message); returns the error. */
export async function rejectsWith(
  promise: Promise<unknown> | (() => Promise<unknown>),
  code: ErrorCode,
  message?: RegExp,
): Promise<RegistryError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return checkRegistryError(error, code, message);
  }
  assert.fail(`expected a rejection with ${code}, but the call succeeded`);
}

/** Asserts that `fn` throws a RegistryError of this code (and message) synchronously; returns the error. */
export function throwsWith(fn: () => unknown, code: ErrorCode, message?: RegExp): RegistryError {
  try {
    fn();
  } catch (error) {
    return checkRegistryError(error, code, message);
  }
  assert.fail(`expected a throw with ${code}, but the call returned`);
}

/** Bypasses the static types, to test what plain JS callers can pass. */
export function loose<T>(value: T): any {
  return value;
}

// ---- a real Wine prefix --------------------------------------------------------------------------------------

const wineEnv = (prefix: string): NodeJS.ProcessEnv => ({ ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' });

/**
 * A prefix made by `wineboot -i`, cached in build/test-cache (the C++ tests share it), made on first use (~15 s).
 * Never change it: copy it with copyRealPrefix.
 */
export function realWinePrefix(): string {
  const cacheDir = path.join(repoRoot, 'build', 'test-cache');
  const cached = path.join(cacheDir, 'wineprefix');
  if (fs.existsSync(path.join(cached, 'system.reg')) && fs.existsSync(path.join(cached, 'userdef.reg'))) return cached;
  // Made aside and renamed, so that an interrupted wineboot never leaves a half-made cache.
  const building = `${cached}.building.${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  execFileSync('wineboot', ['-i'], { env: wineEnv(building), stdio: 'ignore', timeout: 300_000 });
  execFileSync('wineserver', ['-w'], { env: wineEnv(building), stdio: 'ignore', timeout: 300_000 });
  assert.ok(fs.existsSync(path.join(building, 'system.reg')), 'wineboot -i made no system.reg');
  try {
    fs.renameSync(building, cached);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another test process finished first
  }
  return cached;
}

/** A temporary prefix holding copies of the real prefix's three hives. */
export function copyOfRealPrefix(): string {
  const source = realWinePrefix();
  const dir = tempPrefix();
  for (const hive of ['system.reg', 'user.reg', 'userdef.reg']) {
    fs.copyFileSync(path.join(source, hive), path.join(dir, hive));
  }
  return dir;
}

// ---- a running wineserver, one per run ----------------------------------------------------------------------

let server: { prefix: string; process: ChildProcess } | undefined;

/** Whether the wineserver of `prefix` is up: Debian's wine names its folder in `<prefix>/wineserver`. */
function wineServerListening(prefix: string): boolean {
  let name: string;
  try {
    name = fs.readFileSync(path.join(prefix, 'wineserver'), 'utf8').trim();
  } catch {
    return false;
  }
  for (const base of [process.env.XDG_RUNTIME_DIR, process.env.TMPDIR, os.tmpdir(), '/tmp']) {
    if (!base) continue;
    const dir = path.join(base, name);
    if (!fs.existsSync(dir)) continue;
    // The socket appears once the server holds its lock and accepts.
    if (fs.readdirSync(dir).some((entry) => fs.existsSync(path.join(dir, entry, 'socket')))) return true;
  }
  return false;
}

/**
 * A copy of the real prefix with a persistent wineserver running on it, the same for the whole run (started on
 * first use, stopped by the root hook).
 */
export async function prefixWithWineServer(): Promise<string> {
  if (server) return server.prefix;
  const prefix = copyOfRealPrefix();
  // -f keeps it in the foreground, so that the handle here is the server itself; -p keeps it up with no clients.
  const child = spawn('wineserver', ['-f', '-p'], { env: wineEnv(prefix), stdio: 'ignore' });
  server = { prefix, process: child };
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let waited = 0; !wineServerListening(prefix); waited += 50) {
    assert.ok(!exited, 'wineserver -f -p exited at once');
    assert.ok(waited < 60_000, 'wineserver did not start listening within a minute');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return prefix;
}

function stopWineServer(): void {
  if (!server) return;
  try {
    execFileSync('wineserver', ['-k'], { env: wineEnv(server.prefix), stdio: 'ignore', timeout: 30_000 });
  } catch {
    server.process.kill('SIGKILL');
  }
  server = undefined;
}

function cleanUp(): void {
  stopWineServer();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

// Also when the run ends without the root hook (a crash, or mocha --bail): a persistent wineserver would
// otherwise stay up for good.
process.once('exit', () => {
  if (server) server.process.kill('SIGKILL');
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

// ---- Windows: a clean test key before each test ---------------------------------------------------------------

let windowsRegistry: RegistrySync | undefined;

/** Deletes the test key and all below it from the real registry (Windows only); absent already is fine. */
function emptyTestRoot(): void {
  windowsRegistry ??= openRegistrySync();
  if (windowsRegistry.keyExists(testRoot)) windowsRegistry.deleteKey(testRoot, { recursive: true });
}

/**
 * Root hooks (mocha's --require): on Windows, the test key emptied before each test and at the end; everywhere,
 * the wineserver stopped and every temporary folder removed.
 */
export const mochaHooks = {
  beforeEach(): void {
    if (onWindows) emptyTestRoot();
  },
  afterAll(): void {
    if (onWindows) {
      emptyTestRoot();
      windowsRegistry?.close();
      windowsRegistry = undefined;
    }
    cleanUp();
  },
};
