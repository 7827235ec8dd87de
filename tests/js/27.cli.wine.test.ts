// The regbridge command line against Wine itself, on a fresh `wineboot -i` prefix: `regbridge query` prints what
// `wine reg query` prints, byte for byte; values written by one are read identically by the other; while a
// wineserver runs on the prefix, writes fail with ERR_STORE_LOCKED and reads still work; and a subtree of every type
// makes the round trip regbridge export → wine reg import → wine reg export → regbridge import unchanged.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';
import type { NamedRegValue, RegValueInput } from 'regbridge';

import { modes, prefixWithWineServer, tempDir } from './00.setup';
import { regbridge } from './support/cli';

const wineEnv = (prefix: string): NodeJS.ProcessEnv => ({ ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' });

/** `wine reg ...args`: its exit code and stdout bytes (Wine's reg writes its errors on stdout too). */
function wineReg(prefix: string, args: string[]): { status: number | null; stdout: Buffer } {
  const result = spawnSync('wine', ['reg', ...args], {
    env: wineEnv(prefix),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout };
}

/** Waits until the prefix's wineserver has exited, so that its files hold everything and the store may write. */
function wineserverWait(prefix: string): void {
  execFileSync('wineserver', ['-w'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 120_000 });
}

/**
 * What Wine's reg writes for text: with stdout not a console it encodes through the console code page, 437 under the
 * C locale the tests run in — so non-ASCII is lossy there (each UTF-16 unit it cannot map, an astral character's two
 * halves included, becomes '?'), where regbridge writes UTF-8. This re-encodes regbridge's output the same way, for
 * the few non-ASCII characters the tests use.
 */
function asWineConsole(text: string): Buffer {
  const cp437: Record<string, number> = { ü: 0x81, é: 0x82, ä: 0x84 };
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes.push(unit < 0x80 ? unit : (cp437[text[i]] ?? 0x3f));
  }
  return Buffer.from(bytes);
}

describe('27 command line against Wine: query output, values both ways, the lock, .reg round trips', function () {
  this.timeout(600_000);
  let prefix: string;

  /** A key of every type `wine reg add` writes, made once, read by both modes. */
  const fromWine = 'HKCU\\Software\\from-wine';

  before(function () {
    prefix = tempDir('wine-cli');
    execFileSync('wineboot', ['-i'], { env: wineEnv(prefix), stdio: 'ignore', timeout: 300_000 });
    const key = fromWine;
    const adds: string[][] = [
      [key, '/ve', '/d', 'default'],
      [key, '/v', 'sz', '/d', 'text with  spaces & %PATH%'],
      [key, '/v', 'empty', '/d', ''],
      [key, '/v', 'expand', '/t', 'REG_EXPAND_SZ', '/d', '%SystemRoot%\\x'],
      [key, '/v', 'binary', '/t', 'REG_BINARY', '/d', '00ff10AB'],
      [key, '/v', 'no bytes', '/t', 'REG_BINARY'],
      [key, '/v', 'dword', '/t', 'REG_DWORD', '/d', '4294967295'],
      [key, '/v', 'big endian', '/t', 'REG_DWORD_BIG_ENDIAN', '/d', '0x10'],
      [key, '/v', 'qword', '/t', 'REG_QWORD', '/d', '0x123456789abcdef'],
      [key, '/v', 'multi', '/t', 'REG_MULTI_SZ', '/d', 'one\\0two\\0three'],
      [key, '/v', 'multi empty', '/t', 'REG_MULTI_SZ', '/d', ''],
      [key, '/v', 'none', '/t', 'REG_NONE', '/d', 'xy'],
      [`${key}\\sub`, '/v', 'sz', '/d', 'below'],
      [`${key}\\sub\\deeper`, '/v', 'dword', '/t', 'REG_DWORD', '/d', '0'],
      [`${key}\\ümlaut`, '/v', 'näme é', '/d', 'dätä é'],
    ];
    for (const add of adds) assert.equal(wineReg(prefix, ['add', ...add, '/f']).status, 0, add.join(' '));
    wineserverWait(prefix);
  });

  for (const mode of modes) {
    const cli = (...args: string[]) => regbridge(['--mode', mode, '--prefix', prefix, ...args]);

    /** Runs the same query through Wine and regbridge (Wine's server gone first), comparing bytes and exit codes. */
    function sameAsWine(args: string[], expectedStatus = 0): Buffer {
      const wine = wineReg(prefix, ['query', ...args]);
      wineserverWait(prefix);
      const ours = cli('query', ...args);
      assert.equal(wine.status, expectedStatus, `wine reg query ${args.join(' ')}: ${wine.stdout}`);
      assert.equal(ours.status, expectedStatus, `regbridge query ${args.join(' ')}: ${ours.stderr}`);
      if (expectedStatus === 0) {
        // Byte for byte; for ASCII text this is regbridge's output exactly, for non-ASCII see asWineConsole.
        assert.equal(
          asWineConsole(ours.stdout).toString('latin1'),
          wine.stdout.toString('latin1'),
          `query ${args.join(' ')}`,
        );
        if (/^[\x00-\x7f]*$/.test(ours.stdout)) assert.deepEqual(ours.stdoutBytes, wine.stdout);
      }
      return wine.stdout;
    }

    describe(`[${mode}]`, function () {
      it('prints what wine reg query prints for keys wineboot made (/s included)', function () {
        sameAsWine(['HKCU']);
        sameAsWine(['HKLM\\System\\CurrentControlSet\\Control\\Session Manager', '/s']);
        sameAsWine(['hklm\\software\\microsoft\\windows nt\\currentversion', '/v', 'PRODUCTNAME']);
        sameAsWine(['HKCU\\Control Panel\\Desktop', '/s']);
        sameAsWine(['HKEY_CLASSES_ROOT\\.txt', '/ve']);
      });

      it('/s skips links it cannot follow, and differs from Wine only by the keys Wine makes while it runs', function () {
        // NetworkCards exists only while a wineserver runs (it is volatile: never in the files), and the 32-bit
        // view's NetworkCards is a link to it, dangling in the files; Wine's reg skips a key it cannot open.
        // Perflib\009 is the other difference: Wine's advapi32 makes its contents up (performance counter names)
        // and fails RegQueryInfoKey on it, so Wine's reg leaves it out of a /s listing; in the files it is empty.
        const key = 'HKLM\\Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion';
        const wine = wineReg(prefix, ['query', key, '/s']);
        wineserverWait(prefix);
        const ours = cli('query', key, '/s');
        assert.equal(ours.status, 0, ours.stderr);
        const blocks = wine.stdout.toString('latin1').split('\r\n\r\n');
        const persistent = blocks.filter((block) => !/^(\r\n)?[^\r]*\\NetworkCards(\\|\r|$)/.test(block));
        assert.ok(persistent.length < blocks.length, 'Wine listed no NetworkCards key: this test checks nothing');
        const perflib = `${key.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\\Perflib\\009`;
        assert.equal(ours.stdout.replace(`\r\n\r\n${perflib}`, ''), persistent.join('\r\n\r\n'));
      });

      it('values written by wine reg add are read identically (query, /s, /v, /ve)', function () {
        const key = fromWine;
        sameAsWine([key]);
        sameAsWine([`${key}\\sub`, '/s']);
        sameAsWine([key, '/v', 'MULTI']);
        sameAsWine([key, '/v', 'sz', '/s']);
        sameAsWine([key, '/ve']);
        sameAsWine([`${key}\\sub`, '/ve']);
        sameAsWine([key, '/ve', '/s']);
        sameAsWine([`${key}\\sub\\deeper`]);
        // A missing value: exit 1 from both, and the same stdout up to Wine's message (regbridge's is on stderr).
        const wine = sameAsWine([key, '/v', 'missing'], 1);
        assert.equal(cli('query', key, '/v', 'missing').stdout, wine.toString('latin1').split('reg:')[0]);
        // Non-ASCII names and data: the same characters, which Wine writes in its console code page.
        sameAsWine([key, '/s']);
        sameAsWine([`${key}\\ümlaut`]);
      });

      it('values written by regbridge add are read identically by wine reg query (its server started after)', function () {
        const key = `HKCU\\Software\\from-regbridge-${mode}`;
        const adds: string[][] = [
          [key],
          [key, '/v', 'sz', '/d', 'a "quoted" text; 100%'],
          [key, '/v', 'empty', '/d', ''],
          [key, '/v', 'expand', '/t', 'REG_EXPAND_SZ', '/d', '%TEMP%\\y'],
          [key, '/v', 'binary', '/t', 'REG_BINARY', '/d', 'DEADbeef0'],
          [key, '/v', 'dword', '/t', 'REG_DWORD', '/d', '0x7fffffff'],
          [key, '/v', 'be', '/t', 'REG_DWORD_BIG_ENDIAN', '/d', '1'],
          [key, '/v', 'qword', '/t', 'REG_QWORD', '/d', '18446744073709551615'],
          [key, '/v', 'multi', '/t', 'REG_MULTI_SZ', '/s', ',', '/d', 'a,b,c,'],
          [key, '/v', 'none', '/t', 'REG_NONE', '/d', ''],
          [`${key}\\child`, '/v', 'x', '/d', 'y'],
        ];
        for (const add of adds) assert.equal(cli('add', ...add, '/f').status, 0, add.join(' '));
        // Wine's own view of each value, through its registry API (reg query), against regbridge's.
        sameAsWine([key, '/s']);
        for (const name of ['sz', 'binary', 'qword', 'multi', 'none', 'be']) sameAsWine([key, '/v', name]);
        // And the stored bytes are exactly those Wine's reg add stores for the same command lines.
        const twin = `${key}-by-wine`;
        for (const add of adds)
          assert.equal(wineReg(prefix, ['add', add[0].replace(key, twin), ...add.slice(1), '/f']).status, 0);
        wineserverWait(prefix);
        const reg = openRegistrySync({ prefix });
        try {
          const raw = (k: string) => reg.listValues(k, { raw: true });
          assert.deepEqual(raw(key), raw(twin));
          assert.deepEqual(raw(`${key}\\child`), raw(`${twin}\\child`));
        } finally {
          reg.close();
        }
      });
    });
  }

  describe('while a wineserver runs on the prefix', function () {
    let locked: string;

    before(async function () {
      locked = await prefixWithWineServer(); // `wineserver -p` on a copy of a wineboot prefix, up and listening
    });

    for (const mode of modes) {
      it(`[${mode}] writes fail with ERR_STORE_LOCKED (exit 1), reads still work`, function () {
        const prefix = locked;
        const cli = (...args: string[]) => regbridge(['--mode', mode, '--prefix', prefix, ...args]);
        const add = cli('add', 'HKCU\\Software\\locked', '/v', 'x', '/d', 'y', '/f');
        assert.equal(add.status, 1, add.stderr);
        assert.match(add.stderr, /\(ERR_STORE_LOCKED\)/);
        const del = cli('delete', 'HKCU\\Software\\Wine', '/f');
        assert.equal(del.status, 1, del.stderr);
        assert.match(del.stderr, /\(ERR_STORE_LOCKED\)/);
        const query = cli('query', 'HKCU');
        assert.equal(query.status, 0, query.stderr);
        assert.ok(
          query.stdout.startsWith('\r\n') && query.stdout.includes('\r\nHKEY_CURRENT_USER\\Software\r\n'),
          query.stdout,
        );
      });
    }
  });

  describe('.reg round trip through Wine', function () {
    /** REG_MULTI_SZ bytes with empty items (typed data refuses them; Windows' readers stop at the first). */
    const multiSz = (items: string[]) => Buffer.from(`${items.map((item) => `${item}\0`).join('')}\0`, 'utf16le');
    const values: Record<string, RegValueInput> = {
      '': { type: 'REG_SZ', data: 'default ✓' },
      sz: { type: 'REG_SZ', data: 'C:\\Program Files\\"quoted"' },
      'empty sz': { type: 'REG_SZ', data: '' },
      expand: {
        type: 'REG_EXPAND_SZ',
        data: '%SystemRoot%\\system32;%PATH%;%APPDATA%\\Vendor\\Product\\Subfolder\\Deeper',
      },
      binary: { type: 'REG_BINARY', data: Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 7) & 0xff)) },
      'empty binary': { type: 'REG_BINARY', data: Buffer.alloc(0) },
      dword: { type: 'REG_DWORD', data: 0x12345678 },
      'big endian': { type: 'REG_DWORD_BIG_ENDIAN', data: 0x01020304 },
      qword: { type: 'REG_QWORD', data: 2n ** 64n - 2n },
      multi: { type: 'REG_MULTI_SZ', data: multiSz(['one', '', 'three 😀', '']) },
      'multi empty': { type: 'REG_MULTI_SZ', data: [] },
      none: { type: 'REG_NONE', data: Buffer.from([1, 2, 3]) },
      '名前 😀 ü': { type: 'REG_SZ', data: 'データ 😀 𝄞 ü' },
    };

    for (const mode of modes) {
      it(`[${mode}] regbridge export → wine reg import → wine reg export → regbridge import`, function () {
        const root = `HKCU\\Software\\round-trip-${mode}`;
        const dir = tempDir('cli-reg');
        const cli = (...args: string[]) => regbridge(['--mode', mode, '--prefix', prefix, ...args]);
        const snapshot = (): unknown[] => {
          const reg = openRegistrySync({ prefix });
          try {
            const out: unknown[] = [];
            const walk = (k: string): void => {
              out.push(
                k,
                reg.listValues(k, { raw: true }).map((v: NamedRegValue) => [v.name, v.type, v.data]),
              );
              for (const sub of reg.listSubkeys(k)) walk(`${k}\\${sub}`);
            };
            walk(root);
            return out;
          } finally {
            reg.close();
          }
        };
        const reg = openRegistrySync({ prefix });
        try {
          for (const [name, value] of Object.entries(values)) reg.writeValue(root, name, value);
          reg.writeValue(`${root}\\Ünïcödé 名前\\𝄞 astral`, '𝄞', { type: 'REG_EXPAND_SZ', data: '𝄞%X%' });
          reg.createKey(`${root}\\Empty`);
        } finally {
          reg.close();
        }
        const original = snapshot();
        const first = path.join(dir, 'first.reg');
        assert.equal(cli('export', root, first).status, 0);
        assert.equal(cli('delete', root, '/f').status, 0);
        assert.equal(wineReg(prefix, ['import', first]).status, 0);
        const second = path.join(dir, 'second.reg');
        assert.equal(wineReg(prefix, ['export', root, second, '/y']).status, 0);
        wineserverWait(prefix);
        assert.deepEqual(snapshot(), original, 'what wine reg import stored');
        assert.equal(cli('delete', root, '/f').status, 0);
        assert.equal(cli('import', second).status, 0);
        assert.deepEqual(snapshot(), original, 'what regbridge import stored from wine reg export');
        // Both programs write the same file for the same subtree.
        assert.deepEqual(fs.readFileSync(first), fs.readFileSync(second));
      });
    }
  });
});
