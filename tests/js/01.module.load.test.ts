// Loading the package: its exports, the addon, and what happens when the addon or a mode is not available.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as regbridge from 'regbridge';
import { errorCodes, openRegistry, openRegistrySync, RegistryError, valueTypeNames } from 'regbridge';

import { buildDir, onWindows, rejectsWith, repoRoot, storePrefix, tempDir } from './00.setup';

/** Runs a snippet in a fresh Node process with extra environment; returns its stdout. */
function runNode(code: string, env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, ['-e', code], { cwd: repoRoot, env: { ...process.env, ...env } }).toString();
}

describe('01 module: loading', function () {
  it('exports the API, the error class and the type names', function () {
    assert.equal(typeof openRegistry, 'function');
    assert.equal(typeof openRegistrySync, 'function');
    assert.equal(typeof RegistryError, 'function');
    assert.deepEqual(Object.keys(regbridge).sort(), [
      'RegistryError',
      'errorCodes',
      'openRegistry',
      'openRegistrySync',
      'valueTypeNames',
    ]);
    assert.equal(valueTypeNames[1], 'REG_SZ');
    assert.equal(valueTypeNames[11], 'REG_QWORD');
    assert.ok(errorCodes.includes('ERR_STORE_LOCKED'));
  });

  // The package is CommonJS; an ES module sees the names Node finds in its entry file without running it.
  it('gives an ES module the same named exports, which work', function () {
    const options = JSON.stringify(storePrefix() === undefined ? {} : { prefix: storePrefix() });
    const code = `import { errorCodes, openRegistrySync, RegistryError, valueTypeNames } from 'regbridge';
      import * as all from 'regbridge';
      const names = Object.keys(all).filter((name) => name !== 'default' && name !== '__esModule').sort();
      const registry = openRegistrySync(${options});
      let code;
      try { registry.readValue('HKCU\\\\NoSuchKey', 'x'); } catch (error) { code = error instanceof RegistryError && error.code; }
      registry.close();
      console.log(JSON.stringify({ names, code, known: errorCodes.includes(code), sz: valueTypeNames[1] }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot }).toString();
    assert.deepEqual(JSON.parse(out), {
      names: ['RegistryError', 'errorCodes', 'openRegistry', 'openRegistrySync', 'valueTypeNames'],
      code: 'ERR_KEY_NOT_FOUND',
      known: true,
      sz: 'REG_SZ',
    });
  });

  it("the client's generated spec of the handler table matches the built addon's, method by method and param by param", function () {
    const addon = require(`${buildDir}/addon/regbridge.node`) as { operations: Record<string, string[]> };
    const { operationSpecs } = require(`${repoRoot}/dist/generated/operations.js`) as {
      operationSpecs: Record<string, { params: { name: string }[] }>;
    };
    const names = Object.fromEntries(
      Object.entries(operationSpecs).map(([method, spec]) => [method, spec.params.map((param) => param.name)]),
    );
    assert.deepEqual(names, addon.operations);
  });

  it('loads the addon, whose native surface is the operations, a version, close and readValue by data', function () {
    type StoreFunction = (store: unknown, ...args: unknown[]) => unknown;
    const addon = require(`${buildDir}/addon/regbridge.node`) as {
      version: string;
      openStore(prefix: string): unknown;
      store: Record<string, StoreFunction> & { valueInfo: Uint32Array };
    };
    assert.match(addon.version, /^\d+\.\d+\.\d+/);
    const functions = Object.keys(addon.store);
    // Every operation of the handler table, as the client's generated spec lists them.
    const { operationSpecs } = require(`${repoRoot}/dist/generated/operations.js`) as {
      operationSpecs: Record<string, unknown>;
    };
    const operations = Object.keys(operationSpecs);
    assert.ok(operations.includes('readStringValue') && operations.includes('flush'));
    // Besides: readValue's data alone with what it is in valueInfo, for the client's readValue (StoreObject.h).
    const extra = ['close', 'readValueData', 'readValueDataSync', 'valueInfo'];
    assert.deepEqual(functions.sort(), [...operations, ...operations.map((op) => `${op}Sync`), ...extra].sort());
    assert.ok(addon.store.valueInfo instanceof Uint32Array);
    // One set of functions for every store: the store is their first argument, and they cannot be replaced.
    const store = addon.openStore(storePrefix() ?? ''); // '': the default store (on Windows the registry)
    const { keyExistsSync, close } = addon.store;
    assert.equal(keyExistsSync(store, 'HKCU'), true);
    assert.throws(() => {
      'use strict';
      (addon.store as unknown as { close: unknown }).close = null;
    }, TypeError);
    // Anything else first is refused with a TypeError, never read as a store.
    for (const notAStore of [undefined, {}, 'HKCU', Buffer.alloc(8)])
      assert.throws(() => keyExistsSync(notAStore, 'HKCU'), /first argument is the handle openStore returned/);
    close(store);
    assert.throws(
      () => keyExistsSync(store, 'HKCU'),
      (error: { code?: string }) => error.code === 'ERR_CLOSED',
    );
  });

  it('RegistryError is an Error with a code, and no key or valueName unless given', function () {
    const error = new RegistryError('ERR_IO', 'disk on fire');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'RegistryError');
    assert.equal(error.code, 'ERR_IO');
    assert.equal('key' in error, false);
    assert.equal('valueName' in error, false);
    const full = new RegistryError('ERR_VALUE_NOT_FOUND', 'gone', { key: 'HKCU\\A', valueName: 'v' });
    assert.equal(full.key, 'HKCU\\A');
    assert.equal(full.valueName, 'v');
  });

  it("mode 'pipe' opens a registry served by the helper", async function () {
    const reg = await openRegistry({ mode: 'pipe', prefix: storePrefix() });
    assert.equal(reg.mode, 'pipe');
    assert.equal(await reg.keyExists('HKCU'), true);
    await reg.close();
  });

  it('takes the mode from $REGBRIDGE_MODE when the option is left out', function () {
    const code = `require('regbridge').openRegistry(${JSON.stringify({ prefix: storePrefix() })})
      .then(r => console.log('opened', r.mode), e => console.log(e.code));`;
    assert.equal(runNode(code, { REGBRIDGE_MODE: 'pipe' }).trim(), 'opened pipe');
    assert.equal(runNode(code, { REGBRIDGE_MODE: 'in-process' }).trim(), 'opened in-process');
    assert.equal(runNode(code, { REGBRIDGE_MODE: '' }).trim(), 'opened in-process');
    assert.equal(runNode(code, { REGBRIDGE_MODE: 'telepathy' }).trim(), 'ERR_INVALID_ARGUMENT');
  });

  it('an explicit mode wins over $REGBRIDGE_MODE', function () {
    const code = `require('regbridge').openRegistry(${JSON.stringify({ mode: 'in-process', prefix: storePrefix() })})
      .then(r => console.log('opened', r.mode), e => console.log(e.code));`;
    assert.equal(runNode(code, { REGBRIDGE_MODE: 'pipe' }).trim(), 'opened in-process');
  });

  it('reports ERR_NOT_BUILT naming the file when the addon is missing ($REGBRIDGE_ADDON)', function () {
    const code = `try { require('regbridge').openRegistrySync(${JSON.stringify({ prefix: storePrefix() })}); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const out = runNode(code, { REGBRIDGE_ADDON: '/nonexistent/regbridge.node' });
    // The path as resolved: on Windows with the current drive and backslashes.
    assert.match(out, /^ERR_NOT_BUILT .*[\\/]nonexistent[\\/]regbridge\.node/);
  });

  it('reports ERR_NOT_BUILT naming the file when the helper is missing ($REGBRIDGE_SERVER)', function () {
    const code = `require('regbridge').openRegistry(${JSON.stringify({ mode: 'pipe', prefix: storePrefix() })})
      .then(() => console.log('opened'), e => console.log(e.code + ' ' + e.message));`;
    const out = runNode(code, { REGBRIDGE_SERVER: '/nonexistent/regbridge-server' });
    assert.match(
      out,
      /^ERR_NOT_BUILT the regbridge helper is not built: (\w:)?[\\/]nonexistent[\\/]regbridge-server does not exist; run `npm run build`/,
    );
  });

  // Electron's executables (VS Code's Code.exe, an app's own .exe) export Node-API as node.exe does; an addon that
  // imported node.exe by name would not load in them at all.
  if (onWindows) {
    it('loads in a host executable not called node.exe, as in Electron', function () {
      const host = path.join(tempDir('host'), 'Code.exe');
      fs.copyFileSync(process.execPath, host);
      const code = `const reg = require('regbridge').openRegistrySync();
        console.log(reg.keyExists('HKLM\\\\Software'), process.execPath); reg.close();`;
      const out = execFileSync(host, ['-e', code], { cwd: repoRoot }).toString().trim();
      assert.equal(out, `true ${host}`);
    });
  }

  it('reports ERR_NOT_BUILT when the file at $REGBRIDGE_ADDON is not an addon', function () {
    const code = `require('regbridge').openRegistry(${JSON.stringify({ prefix: storePrefix() })})
      .then(() => console.log('opened'), e => console.log(e.code + ' ' + e.message));`;
    const garbage = path.join(tempDir('addon'), 'garbage.node');
    fs.writeFileSync(garbage, 'not a shared object');
    assert.match(runNode(code, { REGBRIDGE_ADDON: garbage }), /^ERR_NOT_BUILT .*garbage\.node does not load/);
    assert.match(
      runNode(code, { REGBRIDGE_ADDON: `${repoRoot}/package.json` }),
      /^ERR_NOT_BUILT .*is not the regbridge addon/,
    );
  });
});
