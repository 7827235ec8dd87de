// The regbridge command line on its own, in both modes (--mode): its argument errors, exit codes, help, the forms of
// `add`'s data, query's text and --json output, delete, copy, export and import. Against Wine: 27.cli.wine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistrySync } from 'regbridge';

import { modes, tempDir, tempPrefix } from './00.setup';
import { regbridge } from './support/cli';
import type { CliRun } from './support/cli';

const key = 'HKCU\\Software\\cli';
const shown = 'HKEY_CURRENT_USER\\Software\\cli';

function ok(run: CliRun): CliRun {
  assert.equal(run.status, 0, `exit ${run.status}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

function fails(run: CliRun, code: string, wording: RegExp): CliRun {
  assert.equal(run.status, 1, `expected exit 1, got ${run.status}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  assert.match(run.stderr, new RegExp(`^regbridge: .*\\(${code}\\)`), run.stderr);
  assert.match(run.stderr, wording);
  return run;
}

for (const mode of modes) {
  describe(`26 command line [${mode}]`, function () {
    let prefix: string;
    const cli = (...args: string[]) => regbridge(['--mode', mode, '--prefix', prefix, ...args]);

    beforeEach(function () {
      prefix = tempPrefix();
    });

    it('prints help for /?, -h and --help, exit 0', function () {
      assert.match(ok(regbridge(['/?'])).stdout, /^Usage: regbridge VERB/);
      assert.match(ok(cli('query', '/?')).stdout, /^REGBRIDGE QUERY KEY/);
      assert.match(ok(cli('add', '-H')).stdout, /^REGBRIDGE ADD KEY/);
      assert.match(ok(cli('--help', 'delete')).stdout, /^REGBRIDGE DELETE KEY/);
      assert.match(ok(cli('export', '--help')).stdout, /^REGBRIDGE EXPORT KEY FILE/);
    });

    it('refuses bad command lines with exit 1 and ERR_INVALID_ARGUMENT, naming the problem', function () {
      fails(regbridge([]), 'ERR_INVALID_ARGUMENT', /no verb given/);
      fails(cli('frobnicate'), 'ERR_INVALID_ARGUMENT', /Invalid option \[frobnicate\][^]*the verbs are/);
      fails(cli('query'), 'ERR_INVALID_ARGUMENT', /Invalid syntax\. Type "regbridge QUERY \/\?"[^]*missing key/);
      fails(cli('query', key, '/x'), 'ERR_INVALID_ARGUMENT', /unknown switch '\/x'/);
      fails(cli('query', key, '/v'), 'ERR_INVALID_ARGUMENT', /\/v needs a value/);
      fails(cli('query', key, '/v', 'a', '-V', 'b'), 'ERR_INVALID_ARGUMENT', /\/v given twice/);
      fails(cli('query', key, '/v', 'a', '/ve'), 'ERR_INVALID_ARGUMENT', /\/v and \/ve do not go together/);
      fails(cli('query', key, '/reg:32', '/REG:64'), 'ERR_INVALID_ARGUMENT', /\/reg:32 and \/reg:64/);
      fails(cli('query', key, 'extra'), 'ERR_INVALID_ARGUMENT', /unexpected argument 'extra'/);
      fails(cli('query', key, '/k'), 'ERR_INVALID_ARGUMENT', /\/k goes with \/f only/);
      fails(cli('query', key, '--colour'), 'ERR_INVALID_ARGUMENT', /unknown option '--colour'/);
      fails(cli('query', 'HKXX\\a'), 'ERR_INVALID_PATH', /Invalid system key/);
      fails(cli('query', '\\\\server\\HKLM\\a'), 'ERR_INVALID_PATH', /Unable to access remote machine/);
      fails(cli('query', 'HKCU\\a\\\\'), 'ERR_INVALID_PATH', /Invalid registry key/);
      fails(regbridge(['--mode', 'sideways', 'query', key]), 'ERR_INVALID_ARGUMENT', /'in-process' or 'pipe'/);
    });

    it('a missing key or value: exit 1, ERR_KEY_NOT_FOUND or ERR_VALUE_NOT_FOUND', function () {
      fails(cli('query', key), 'ERR_KEY_NOT_FOUND', /Unable to find the specified registry key/);
      ok(cli('add', key, '/v', 'a', '/d', 'x'));
      const missing = fails(cli('query', key, '/v', 'b'), 'ERR_VALUE_NOT_FOUND', /specified registry value/);
      assert.equal(missing.stdout, '\r\n'); // Wine's reg prints its blank line first
      fails(cli('delete', key, '/v', 'b', '/f'), 'ERR_VALUE_NOT_FOUND', /specified registry value/);
      fails(cli('delete', `${key}\\nope`, '/f'), 'ERR_KEY_NOT_FOUND', /specified registry key/);
    });

    it("add stores each type's data as reg.exe does, and query prints it as Wine's reg does", function () {
      ok(cli('add', key, '/v', 'sz', '/d', 'hello world'));
      ok(cli('add', key, '/v', 'ex', '/t', 'reg_expand_sz', '/d', '%PATH%;x'));
      ok(cli('add', key, '/v', 'bin', '/t', 'REG_BINARY', '/d', 'abc'));
      ok(cli('add', key, '/v', 'dw', '/t', 'REG_DWORD', '/d', '0x2A'));
      ok(cli('add', key, '/v', 'be', '/t', 'REG_DWORD_BIG_ENDIAN', '/d', '5'));
      ok(cli('add', key, '/v', 'qw', '/t', 'REG_QWORD', '/d', '18446744073709551615'));
      ok(cli('add', key, '/v', 'ms', '/t', 'REG_MULTI_SZ', '/d', 'a\\0b c\\0'));
      ok(cli('add', key, '/v', 'ms2', '/t', 'REG_MULTI_SZ', '/s', '#', '/d', 'x#y'));
      ok(cli('add', key, '/v', 'none', '/t', 'REG_NONE', '/d', 'ab'));
      ok(cli('add', `${key}\\sub`)); // no /v: the default value, an empty string
      ok(cli('add', key, '/ve', '/d', 'def'));
      const reg = openRegistrySync({ prefix });
      try {
        assert.deepEqual(reg.readValue(key, 'bin'), { type: 'REG_BINARY', data: Buffer.from([0x0a, 0xbc]) });
        assert.deepEqual(reg.readValue(key, 'be', { raw: true }).data, Buffer.from([5, 0, 0, 0]));
        assert.deepEqual(reg.readValue(key, 'qw'), { type: 'REG_QWORD', data: 2n ** 64n - 1n });
        assert.deepEqual(reg.readValue(key, 'ms'), { type: 'REG_MULTI_SZ', data: ['a', 'b c'] });
        assert.deepEqual(reg.readValue(key, 'none', { raw: true }).data, Buffer.from('ab\0', 'utf16le'));
        assert.deepEqual(reg.readValue(`${key}\\sub`, ''), { type: 'REG_SZ', data: '' });
      } finally {
        reg.close();
      }
      const lines = [
        '',
        shown,
        '    (Default)    REG_SZ    def',
        '    be    REG_DWORD_BIG_ENDIAN    0x5',
        '    bin    REG_BINARY    0ABC',
        '    dw    REG_DWORD    0x2a',
        '    ex    REG_EXPAND_SZ    %PATH%;x',
        '    ms    REG_MULTI_SZ    a\\0b c',
        '    ms2    REG_MULTI_SZ    x\\0y',
        '    none    REG_NONE    610062000000',
        '    qw    REG_QWORD    (null)',
        '    sz    REG_SZ    hello world',
        '',
        `${shown}\\sub`,
        '',
      ];
      assert.equal(ok(cli('query', key)).stdout, lines.join('\r\n'));
      assert.equal(
        ok(cli('query', key, '/s')).stdout,
        [...lines.slice(0, -2), `${shown}\\sub`, '    (Default)    REG_SZ    ', '', ''].join('\r\n'),
      );
      assert.equal(ok(cli('query', key, '/v', 'DW')).stdout, `\r\n${shown}\r\n    DW    REG_DWORD    0x2a\r\n\r\n`);
      assert.equal(
        ok(cli('query', key, '/ve', '/s')).stdout,
        `\r\n${shown}\r\n    (Default)    REG_SZ    def\r\n\r\n${shown}\\sub\r\n    (Default)    REG_SZ    \r\n\r\n` +
          'Search complete. Number of matches found: 2\r\n',
      );
    });

    it("add refuses data that does not fit its type, in reg.exe's words", function () {
      fails(cli('add', key, '/v', 'd', '/t', 'REG_DWORD', '/d', 'xyz'), 'ERR_INVALID_ARGUMENT', /valid numeric value/);
      fails(cli('add', key, '/v', 'd', '/t', 'REG_DWORD', '/d', '4294967296'), 'ERR_INVALID_ARGUMENT', /numeric/);
      fails(cli('add', key, '/v', 'd', '/t', 'REG_DWORD', '/d', '-1'), 'ERR_INVALID_ARGUMENT', /numeric/);
      fails(cli('add', key, '/v', 'd', '/t', 'REG_DWORD'), 'ERR_INVALID_ARGUMENT', /needs \/d/);
      fails(cli('add', key, '/v', 'b', '/t', 'REG_BINARY', '/d', '0g'), 'ERR_INVALID_ARGUMENT', /hexadecimal/);
      fails(cli('add', key, '/v', 'm', '/t', 'REG_MULTI_SZ', '/d', 'a\\0\\0b'), 'ERR_INVALID_ARGUMENT', /valid string/);
      fails(cli('add', key, '/v', 't', '/t', 'REG_FOO', '/d', '1'), 'ERR_INVALID_ARGUMENT', /Unsupported[^]*REG_FOO/);
      fails(
        cli('add', key, '/v', 'm', '/t', 'REG_MULTI_SZ', '/s', '##', '/d', 'a'),
        'ERR_INVALID_ARGUMENT',
        /one character/,
      );
      fails(cli('query', key), 'ERR_KEY_NOT_FOUND', /registry key/); // nothing was written
    });

    it('without /f and with no terminal, add over a value and delete fail at once and change nothing', function () {
      ok(cli('add', key, '/v', 'a', '/d', 'first'));
      fails(cli('add', key, '/v', 'a', '/d', 'second'), 'ERR_INVALID_ARGUMENT', /already exists[^]*add \/f/);
      fails(cli('delete', key, '/v', 'a'), 'ERR_INVALID_ARGUMENT', /Are you sure[^]*add \/f/);
      fails(cli('delete', key), 'ERR_INVALID_ARGUMENT', /delete the registry key[^]*add \/f/);
      assert.match(ok(cli('query', key, '/v', 'a')).stdout, /REG_SZ {4}first/);
      assert.equal(
        ok(cli('add', key, '/v', 'a', '/d', 'second', '/f')).stdout,
        'The operation completed successfully.\r\n',
      );
      assert.match(ok(cli('query', key, '/v', 'a')).stdout, /REG_SZ {4}second/);
    });

    it('delete /v, /ve, /va and the whole key', function () {
      for (const name of ['a', 'b']) ok(cli('add', key, '/v', name, '/d', name));
      ok(cli('add', key, '/ve', '/d', 'd'));
      ok(cli('add', `${key}\\sub`, '/v', 'c', '/d', 'c'));
      ok(cli('delete', key, '/v', 'a', '/f'));
      ok(cli('delete', key, '/ve', '/f'));
      assert.equal(ok(cli('query', key)).stdout, `\r\n${shown}\r\n    b    REG_SZ    b\r\n\r\n${shown}\\sub\r\n`);
      ok(cli('delete', key, '/va', '/f'));
      assert.equal(ok(cli('query', key)).stdout, `\r\n${shown}\\sub\r\n`);
      ok(cli('delete', key, '/f'));
      fails(cli('query', key), 'ERR_KEY_NOT_FOUND', /registry key/);
    });

    it('copy copies values, with /s the subtree, also into its own subtree', function () {
      ok(cli('add', key, '/v', 'a', '/t', 'REG_DWORD', '/d', '1'));
      ok(cli('add', `${key}\\sub`, '/v', 'b', '/d', 'x'));
      ok(cli('copy', key, 'HKCU\\Software\\flat', '/f'));
      assert.equal(
        ok(cli('query', 'HKCU\\Software\\flat', '/s')).stdout,
        '\r\nHKEY_CURRENT_USER\\Software\\flat\r\n    a    REG_DWORD    0x1\r\n\r\n',
      );
      ok(cli('copy', key, `${key}\\sub\\deep`, '/s', '/f'));
      const listing = ok(cli('query', `${key}\\sub\\deep`, '/s')).stdout;
      assert.equal(
        listing,
        `\r\n${shown}\\sub\\deep\r\n    a    REG_DWORD    0x1\r\n\r\n${shown}\\sub\\deep\\sub\r\n    b    REG_SZ    x\r\n\r\n`,
      );
      fails(cli('copy', key, 'hkey_current_user\\software\\CLI', '/f'), 'ERR_INVALID_ARGUMENT', /cannot be the same/);
      fails(cli('copy', `${key}\\nope`, 'HKCU\\x', '/f'), 'ERR_KEY_NOT_FOUND', /registry key/);
      fails(cli('copy', key, 'HKCU\\Software\\flat'), 'ERR_INVALID_ARGUMENT', /already exists[^]*add \/f/);
    });

    it('query /f and /t search as reg.exe does, ending with its count', function () {
      ok(cli('add', key, '/v', 'Alpha', '/d', 'needle here'));
      ok(cli('add', key, '/v', 'beta', '/t', 'REG_DWORD', '/d', '7'));
      ok(cli('add', `${key}\\Needles`, '/v', 'x', '/d', 'y'));
      assert.equal(
        ok(cli('query', key, '/f', 'NEEDLE')).stdout,
        `\r\n${shown}\r\n    Alpha    REG_SZ    needle here\r\n\r\n${shown}\\Needles\r\n\r\nEnd of search: 2 match(es) found.\r\n`,
      );
      assert.match(ok(cli('query', key, '/f', 'NEEDLE', '/c')).stdout, /End of search: 0 match/);
      assert.match(ok(cli('query', key, '/f', 'needles', '/k', '/e')).stdout, /Needles\r\n\r\nEnd of search: 1 match/);
      assert.equal(
        ok(cli('query', key, '/t', 'REG_DWORD', '/s')).stdout,
        `\r\n${shown}\r\n    beta    REG_DWORD    0x7\r\n\r\nEnd of search: 1 match(es) found.\r\n`,
      );
    });

    it('--json prints the documented shapes, and errors as JSON on stderr', function () {
      ok(cli('add', key, '/v', 'q', '/t', 'REG_QWORD', '/d', '0x10', '--json'));
      ok(cli('add', key, '/v', 'b', '/t', 'REG_BINARY', '/d', '00ff'));
      ok(cli('add', `${key}\\sub`, '/v', 'm', '/t', 'REG_MULTI_SZ', '/d', 'x\\0y'));
      assert.deepEqual(JSON.parse(ok(cli('add', key, '/v', 'd', '/t', 'REG_DWORD', '/d', '3', '--json')).stdout), {
        ok: true,
        done: true,
      });
      assert.deepEqual(JSON.parse(ok(cli('--json', 'query', key)).stdout), {
        keys: [
          {
            key: shown,
            values: [
              { name: 'b', type: 'REG_BINARY', data: { base64: 'AP8=' } },
              { name: 'd', type: 'REG_DWORD', data: 3 },
              { name: 'q', type: 'REG_QWORD', data: '16' },
            ],
            subkeys: ['sub'],
          },
        ],
      });
      assert.deepEqual(JSON.parse(ok(cli('query', key, '/s', '--json')).stdout).keys[1], {
        key: `${shown}\\sub`,
        values: [{ name: 'm', type: 'REG_MULTI_SZ', data: ['x', 'y'] }],
      });
      const failed = cli('query', `${key}\\nope`, '--json');
      assert.equal(failed.status, 1);
      assert.equal(failed.stdout, '');
      assert.equal(JSON.parse(failed.stderr).error.code, 'ERR_KEY_NOT_FOUND');
    });

    it('export writes UTF-16LE with a BOM; import reads that, UTF-8 and REGEDIT4', function () {
      ok(cli('add', key, '/v', 'ü 😀', '/d', 'ü 😀'));
      const dir = tempDir('cli');
      const file = path.join(dir, 'out.reg');
      ok(cli('export', key, file));
      const bytes = fs.readFileSync(file);
      assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
      const text = bytes.toString('utf16le', 2);
      assert.ok(
        text.startsWith('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\cli]\r\n'),
        text,
      );
      fails(cli('export', key, file), 'ERR_INVALID_ARGUMENT', /already exists[^]*add \/f/);
      ok(cli('export', key, file, '/y'));
      ok(cli('delete', key, '/f'));
      ok(cli('import', file));
      assert.match(ok(cli('query', key)).stdout, /ü 😀 {4}REG_SZ {4}ü 😀/);
      const utf8 = path.join(dir, 'utf8.reg');
      fs.writeFileSync(
        utf8,
        '\ufeffWindows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\cli]\r\n"u8"="ß"\r\n',
      );
      ok(cli('import', utf8));
      const regedit4 = path.join(dir, 'four.reg');
      fs.writeFileSync(regedit4, 'REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\cli]\n"four"=dword:00000004\n');
      ok(cli('import', regedit4));
      assert.match(ok(cli('query', key)).stdout, /four {4}REG_DWORD {4}0x4\r\n[^]*u8 {4}REG_SZ {4}ß/);
      fails(cli('import', path.join(dir, 'missing.reg')), 'ERR_IO', /was not found/);
      fs.writeFileSync(
        path.join(dir, 'bad.reg'),
        'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\x]\r\n"a"=bogus:1\r\n',
      );
      fails(cli('import', path.join(dir, 'bad.reg')), 'ERR_INVALID_ARGUMENT', /line 4/);
    });
  });
}
