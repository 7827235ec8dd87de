// The regbridge command line against Wine itself, on a fresh `wineboot -i` prefix: `regbridge query` prints what
// `wine reg query` prints, byte for byte; values written by one are read identically by the other; while a
// wineserver runs on the prefix, writes fail with ERR_STORE_LOCKED and reads still work; and a subtree of every type
// makes the round trip regbridge export → wine reg import → wine reg export → regbridge import unchanged.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';
import type { NamedRegValue, RegValueInput } from 'regbridge';

import { modes, prefixWithWineServer, tempDir } from './00.setup';
import { regbridge } from './support/cli';
import { runWineReg, wineEnv, wineServerWait } from './support/wineReg';

/** A `reg query` command line, and the exit code both programs must give (0 when just the arguments). */
type WineQuery = string[] | { args: string[]; status: number };

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
    for (const add of adds) assert.equal(runWineReg(prefix, ['add', ...add, '/f']).status, 0, add.join(' '));
    wineServerWait(prefix);
  });

  for (const mode of modes) {
    const cli = (...args: string[]) => regbridge(['--mode', mode, '--prefix', prefix, ...args]);

    /**
     * Runs each query through Wine, then through regbridge, comparing bytes and exit codes (0 unless the query says
     * otherwise). Wine answers them all under one wineserver, which is gone before regbridge reads: starting one and
     * waiting for it to exit costs seconds, so each test does so once. Returns Wine's stdout of each query.
     */
    function sameAsWine(queries: WineQuery[]): Buffer[] {
      const asked = queries.map((query) => (Array.isArray(query) ? { args: query, status: 0 } : query));
      const fromWine = asked.map(({ args }) => runWineReg(prefix, ['query', ...args]));
      wineServerWait(prefix);
      return asked.map(({ args, status }, i) => {
        const wine = fromWine[i];
        const ours = cli('query', ...args);
        assert.equal(wine.status, status, `wine reg query ${args.join(' ')}: ${wine.stdout}`);
        assert.equal(ours.status, status, `regbridge query ${args.join(' ')}: ${ours.stderr}`);
        if (status === 0) {
          // Byte for byte; for ASCII text this is regbridge's output exactly, for non-ASCII see asWineConsole.
          assert.equal(
            asWineConsole(ours.stdout).toString('latin1'),
            wine.stdout.toString('latin1'),
            `query ${args.join(' ')}`,
          );
          if (/^[\x00-\x7f]*$/.test(ours.stdout)) assert.deepEqual(ours.stdoutBytes, wine.stdout);
        }
        return wine.stdout;
      });
    }

    describe(`[${mode}]`, function () {
      it('prints what wine reg query prints for keys wineboot made (/s included)', function () {
        sameAsWine([
          ['HKCU'],
          ['HKLM\\System\\CurrentControlSet\\Control\\Session Manager', '/s'],
          ['hklm\\software\\microsoft\\windows nt\\currentversion', '/v', 'PRODUCTNAME'],
          ['HKCU\\Control Panel\\Desktop', '/s'],
          ['HKEY_CLASSES_ROOT\\.txt', '/ve'],
        ]);
      });

      it('/s skips links it cannot follow, and differs from Wine only by the keys Wine makes while it runs', function () {
        // NetworkCards exists only while a wineserver runs (it is volatile: never in the files), and the 32-bit
        // view's NetworkCards is a link to it, dangling in the files; Wine's reg skips a key it cannot open.
        // Perflib\009 is the other difference: Wine's advapi32 makes its contents up (performance counter names)
        // and fails RegQueryInfoKey on it, so Wine's reg leaves it out of a /s listing; in the files it is empty.
        const key = 'HKLM\\Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion';
        const wine = runWineReg(prefix, ['query', key, '/s']);
        wineServerWait(prefix);
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
        const answers = sameAsWine([
          [key],
          [`${key}\\sub`, '/s'],
          [key, '/v', 'MULTI'],
          [key, '/v', 'sz', '/s'],
          [key, '/ve'],
          [`${key}\\sub`, '/ve'],
          [key, '/ve', '/s'],
          [`${key}\\sub\\deeper`],
          // A missing value: exit 1 from both (its stdout is compared below).
          { args: [key, '/v', 'missing'], status: 1 },
          // Non-ASCII names and data: the same characters, which Wine writes in its console code page.
          [key, '/s'],
          [`${key}\\ümlaut`],
        ]);
        // The missing value's stdout is the same up to Wine's message (regbridge's is on stderr).
        assert.equal(cli('query', key, '/v', 'missing').stdout, answers[8].toString('latin1').split('reg:')[0]);
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
        sameAsWine([[key, '/s'], ...['sz', 'binary', 'qword', 'multi', 'none', 'be'].map((name) => [key, '/v', name])]);
        // And the stored bytes are exactly those Wine's reg add stores for the same command lines.
        const twin = `${key}-by-wine`;
        for (const add of adds)
          assert.equal(runWineReg(prefix, ['add', add[0].replace(key, twin), ...add.slice(1), '/f']).status, 0);
        wineServerWait(prefix);
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
        assert.equal(runWineReg(prefix, ['import', first]).status, 0);
        const second = path.join(dir, 'second.reg');
        assert.equal(runWineReg(prefix, ['export', root, second, '/y']).status, 0);
        wineServerWait(prefix);
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
