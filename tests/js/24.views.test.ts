// The 32-bit and 64-bit registry views (`view: 32 | 64`): per registry and per call, in both modes; the hive store
// keeps the 32-bit view's keys under Wow6432Node, as Windows and Wine do, and a real Wine prefix agrees with it.
import * as assert from 'node:assert/strict';

import { openRegistry, openRegistrySync, RegistryError } from 'regbridge';

import { describeEachMode, itHiveStore, loose, rejectsWith, repoRoot, storePrefix, throwsWith } from './00.setup';
import { runnableCopyOfRealPrefix, wineReg } from './support/wineReg';

const sz = (data: string) => ({ type: 'REG_SZ' as const, data });

describeEachMode('24 views: 32-bit keys under Wow6432Node', function (t) {
  it('a value written in view 32 is under Wow6432Node in view 64, and the reverse', async function () {
    await t.reg.writeValue('HKLM\\Software\\Vendor\\App', 'bits', sz('thirty-two'), { view: 32 });
    const node = 'HKLM\\Software\\Wow6432Node\\Vendor\\App';
    assert.equal(await t.reg.readStringValue(node, 'bits', { view: 64 }), 'thirty-two');
    assert.equal(await t.reg.readStringValue(node, 'bits'), 'thirty-two');
    await rejectsWith(t.reg.readValue('HKLM\\Software\\Vendor\\App', 'bits', { view: 64 }), 'ERR_KEY_NOT_FOUND');
    assert.equal(await t.reg.keyExists('HKLM\\Software\\Vendor', { view: 64 }), false);

    await t.reg.writeValue('HKLM\\Software\\Wow6432Node\\Other', 'from64', sz('via the node'), { view: 64 });
    assert.deepEqual(await t.reg.readValue('HKLM\\Software\\Other', 'from64', { view: 32 }), sz('via the node'));
    assert.equal(await t.reg.keyExists('HKLM\\Software\\Other', { view: 32 }), true);
  });

  it('every call takes the view: reads, lists, info, compare-and-set, deletes', async function () {
    const key = 'HKLM\\Software\\Calls';
    await t.reg.createKey(`${key}\\Child`, { view: 32 });
    await t.reg.compareAndSetValue(key, 'v', null, sz('one'), { view: 32 });
    assert.deepEqual(await t.reg.listSubkeys(key, { view: 32 }), ['Child']);
    assert.deepEqual(await t.reg.listValues(key, { view: 32, raw: false }), [{ name: 'v', ...sz('one') }]);
    assert.equal((await t.reg.getKeyInfo(key, { view: 32 })).subkeyCount, 1);
    assert.deepEqual(await t.reg.listSubkeys('HKLM\\Software\\Wow6432Node\\Calls'), ['Child']);
    await t.reg.deleteValue(key, 'v', { view: 32 });
    await rejectsWith(t.reg.deleteKey(key, { view: 32 }), 'ERR_KEY_HAS_SUBKEYS');
    await t.reg.deleteKey(key, { view: 32, recursive: true });
    assert.equal(await t.reg.keyExists('HKLM\\Software\\Wow6432Node\\Calls'), false);
  });

  it('the registry default view applies to calls without one; a call may override it', async function () {
    const opened = await openRegistry({ mode: t.mode, prefix: t.prefix, view: 32 });
    try {
      await opened.writeValue('HKLM\\Software\\Defaulted', 'x', sz('32 by default'));
      await opened.writeValue('HKLM\\Software\\Defaulted', 'x', sz('64 asked'), { view: 64 });
      assert.equal(await opened.readStringValue('HKLM\\Software\\Defaulted', 'x'), '32 by default');
      assert.equal(await opened.readStringValue('HKLM\\Software\\Defaulted', 'x', { view: 64 }), '64 asked');
    } finally {
      await opened.close();
    }
    assert.equal(await t.reg.readStringValue('HKLM\\Software\\Wow6432Node\\Defaulted', 'x'), '32 by default');
    assert.equal(await t.reg.readStringValue('HKLM\\Software\\Defaulted', 'x'), '64 asked');
  });

  itHiveStore(
    'a shared key is the same key in both views, and the 32-bit Software lists it',
    "lists a fresh store's HKLM\\Software exactly",
    async function () {
      await t.reg.writeValue('HKLM\\Software\\Policies\\Vendor', 'p', sz('shared'), { view: 32 });
      assert.equal(await t.reg.readStringValue('HKLM\\Software\\Policies\\Vendor', 'p', { view: 64 }), 'shared');
      assert.equal(await t.reg.keyExists('HKLM\\Software\\Wow6432Node\\Policies'), false);
      await t.reg.writeValue('HKLM\\Software\\Vendor32', 'a', sz('x'), { view: 32 });
      assert.deepEqual(await t.reg.listSubkeys('HKLM\\Software', { view: 32 }), ['Vendor32', 'Policies']);
      assert.deepEqual((await t.reg.listSubkeys('HKLM\\Software', { view: 64 })).sort(), ['Policies', 'Wow6432Node']);
    },
  );

  itHiveStore(
    'a 32-bit Software holding only shared keys exists, and its key info counts what it lists',
    'Windows always has Wow6432Node',
    async function () {
      await t.reg.writeValue('HKLM\\Software\\Policies\\Vendor', 'p', sz('shared'));
      assert.equal(await t.reg.keyExists('HKLM\\Software\\Wow6432Node'), false);
      assert.equal(await t.reg.keyExists('HKLM\\Software', { view: 32 }), true);
      assert.deepEqual(await t.reg.listSubkeys('HKLM\\Software', { view: 32 }), ['Policies']);
      assert.equal((await t.reg.getKeyInfo('HKLM\\Software', { view: 32 })).subkeyCount, 1);
      await t.reg.writeValue('HKLM\\Software\\Vendor32', 'a', sz('x'), { view: 32 });
      assert.equal((await t.reg.getKeyInfo('HKLM\\Software', { view: 32 })).subkeyCount, 2);
      assert.equal((await t.reg.getKeyInfo('HKLM\\Software', { view: 64 })).subkeyCount, 2); // Policies, Wow6432Node
    },
  );

  itHiveStore(
    "HKCR's class keys have a 32-bit copy; other class entries are shared",
    "Wine 8's own 32-bit view redirects every HKCR key (PROTOCOL.md)",
    async function () {
      const clsid = 'HKCR\\CLSID\\{00000000-1111-2222-3333-444444444444}';
      await t.reg.writeValue(clsid, '', sz('32-bit server'), { view: 32 });
      await t.reg.writeValue(clsid, '', sz('64-bit server'), { view: 64 });
      assert.equal(await t.reg.readStringValue(clsid, '', { view: 32 }), '32-bit server');
      assert.equal(await t.reg.readStringValue(clsid, ''), '64-bit server');
      const stored = 'HKLM\\Software\\Classes\\Wow6432Node\\CLSID\\{00000000-1111-2222-3333-444444444444}';
      assert.equal(await t.reg.readStringValue(stored, ''), '32-bit server');
      await t.reg.writeValue('HKCR\\.regbridge-views', '', sz('file type'), { view: 32 });
      assert.equal(await t.reg.readStringValue('HKCR\\.regbridge-views', '', { view: 64 }), 'file type');
    },
  );

  it('a view other than 32 or 64 is refused, naming the option and the value', async function () {
    const key = 'HKLM\\Software\\Bad';
    for (const [view, shown] of [
      [16, '16'],
      ['32', "'32'"],
      [null, 'null'],
      [32.5, '32.5'],
      [true, 'a boolean'],
    ] as const) {
      const message = new RegExp(`option 'view' must be 32 or 64, got ${shown.replace('.', '\\.')}$`);
      await rejectsWith(t.reg.readValue(key, 'v', loose({ view })), 'ERR_INVALID_ARGUMENT', message);
      await rejectsWith(t.reg.readStringValue(key, 'v', loose({ view })), 'ERR_INVALID_ARGUMENT', message);
      await rejectsWith(t.reg.writeValue(key, 'v', sz('x'), loose({ view })), 'ERR_INVALID_ARGUMENT', message);
      await rejectsWith(t.reg.createKey(key, loose({ view })), 'ERR_INVALID_ARGUMENT', message);
      await rejectsWith(t.reg.deleteKey(key, loose({ view })), 'ERR_INVALID_ARGUMENT', message);
      await rejectsWith(
        openRegistry({ mode: t.mode, prefix: t.prefix, view: loose(view) }),
        'ERR_INVALID_ARGUMENT',
        new RegExp(`^openRegistry: option 'view' must be 32 or 64, got ${shown.replace('.', '\\.')}$`),
      );
    }
    await rejectsWith(
      t.reg.keyExists(key, loose({ veiw: 32 })),
      'ERR_INVALID_ARGUMENT',
      /unknown option 'veiw' \(did you mean 'view'\?\)/,
    );
    assert.equal(await t.reg.keyExists(key), false, 'nothing was written');
  });
});

describe('24 views: the synchronous registry', function () {
  it('takes the view per registry and per call, and refuses bad ones alike', function () {
    // On Windows the real registry: a key of its own under HKLM\Software (HKCU\Software has no 32-bit copy), removed
    // after.
    const prefix = storePrefix();
    const reg = openRegistrySync({ prefix, view: 32 });
    const key = 'HKLM\\Software\\regbridge-tests-sync';
    try {
      reg.writeValue(key, 'v', sz('32'));
      assert.equal(reg.readStringValue('HKLM\\Software\\Wow6432Node\\regbridge-tests-sync', 'v', { view: 64 }), '32');
      assert.equal(reg.keyExists(key, { view: 64 }), false);
      throwsWith(
        () => reg.readValue(key, 'v', loose({ view: 0 })),
        'ERR_INVALID_ARGUMENT',
        /readValue: option 'view' must be 32 or 64, got 0$/,
      );
    } finally {
      if (reg.keyExists(key)) reg.deleteKey(key, { recursive: true });
      reg.close();
    }
    throwsWith(
      () => openRegistrySync({ prefix, view: loose(128) }),
      'ERR_INVALID_ARGUMENT',
      /^openRegistrySync: option 'view' must be 32 or 64, got 128$/,
    );
  });
});

describe('24 views: the positional view below the API', function () {
  it('the addon refuses a bad view from callers below the client, and the pipe sends a good one as a number', function () {
    type Transport = { syncOperations: Record<string, (...args: unknown[]) => unknown>; closeSync(): void };
    const { openInProcess } = require(`${repoRoot}/dist/transport/inProcess.js`) as {
      openInProcess(prefix: string): Transport;
    };
    const { paramsWriter } = require(`${repoRoot}/dist/transport/pipe/wireParams.js`) as {
      paramsWriter(spec: unknown): (params: unknown[]) => string;
    };
    const { operationSpecs } = require(`${repoRoot}/dist/generated/operations.js`) as {
      operationSpecs: Record<string, unknown>;
    };
    const LayerError = (require(`${repoRoot}/dist/errors.js`) as { RegistryError: typeof RegistryError }).RegistryError;
    const transport = openInProcess(storePrefix() ?? '');
    try {
      for (const view of [16, '32', null, NaN, -0, 64.5, {}]) {
        const args = ['HKCU\\x', 'n', false, false, view];
        // The error class of the layer called: the package's bundle (dist/lazyExports.js) has its own copy.
        assert.throws(
          () => transport.syncOperations.readValue(...args),
          (error: unknown) =>
            error instanceof LayerError &&
            error.code === 'ERR_INVALID_ARGUMENT' &&
            /^readValue: argument 5 'view' must be 32, 64 or undefined/.test(error.message),
        );
      }
    } finally {
      transport.closeSync();
    }
    const keyExists = paramsWriter(operationSpecs.keyExists);
    assert.equal(keyExists(['HKCU\\x', 32]), '{"key":"HKCU\\\\x","view":32}');
    assert.equal(keyExists(['HKCU\\x', undefined]), '{"key":"HKCU\\\\x"}');
  });
});

// ---- against Wine's own reg.exe -----------------------------------------------------------------------------

describeEachMode('24 views: a real Wine prefix agrees', function (t) {
  itHiveStore(
    '`wine reg add /reg:32` is read in view 32; what view 32 writes, `reg query /reg:32` finds',
    'runs Wine on a prefix from Linux',
    async function () {
      this.timeout(300_000); // the first use makes the real prefix (wineboot), and each reg.exe run starts Wine
      const prefix = runnableCopyOfRealPrefix();
      const key = 'HKLM\\Software\\regbridge-views';
      const added = wineReg(prefix, ['add', key, '/v', 'fromWine', '/d', 'wine32', '/f', '/reg:32'], { wait: false });
      assert.equal(added.status, 0, 'reg add');
      const clsid = 'HKCR\\CLSID\\{0badc0de-0000-0000-0000-000000000024}';
      assert.equal(wineReg(prefix, ['add', clsid, '/ve', '/d', 'wine32 class', '/f', '/reg:32']).status, 0);

      const reg = await t.open(prefix);
      assert.equal(await reg.readStringValue(key, 'fromWine', { view: 32 }), 'wine32');
      assert.equal(await reg.readStringValue('HKLM\\Software\\Wow6432Node\\regbridge-views', 'fromWine'), 'wine32');
      await rejectsWith(reg.readValue(key, 'fromWine', { view: 64 }), 'ERR_KEY_NOT_FOUND');
      assert.equal(await reg.readStringValue(clsid, '', { view: 32 }), 'wine32 class');
      assert.equal(await reg.keyExists(clsid, { view: 64 }), false);
      // A shared key: where Wine's link under Wow6432Node leads, and listed once in the 32-bit Software.
      const fonts = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Fonts';
      const wineLink = 'HKLM\\Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\Fonts';
      assert.deepEqual(await reg.listValues(fonts, { view: 32 }), await reg.listValues(wineLink));
      const software32 = (await reg.listSubkeys('HKLM\\Software', { view: 32 })).map((name) => name.toLowerCase());
      assert.deepEqual(software32, [...new Set(software32)], 'each subkey once');
      assert.ok(software32.includes('policies') && software32.includes('regbridge-views'), software32.join(', '));

      await reg.writeValue('HKLM\\Software\\regbridge-views-store', 'fromStore', sz('store32'), { view: 32 });
      await reg.writeValue(clsid, 'store', sz('store32 class'), { view: 32 });
      await reg.writeValue('HKLM\\Software\\Policies\\regbridge-views', 'shared', sz('both'), { view: 32 });
      await reg.close();

      const noWait = { wait: false };
      const queried = wineReg(
        prefix,
        ['query', 'HKLM\\Software\\regbridge-views-store', '/v', 'fromStore', '/reg:32'],
        noWait,
      );
      assert.equal(queried.status, 0, 'wine reg query /reg:32');
      assert.match(queried.stdout, /fromStore\s+REG_SZ\s+store32/);
      assert.notEqual(wineReg(prefix, ['query', 'HKLM\\Software\\regbridge-views-store', '/reg:64'], noWait).status, 0);
      const classQueried = wineReg(prefix, ['query', clsid, '/v', 'store', '/reg:32'], noWait);
      assert.match(classQueried.stdout, /store\s+REG_SZ\s+store32 class/);
      const policy = wineReg(prefix, ['query', 'HKLM\\Software\\Policies\\regbridge-views', '/v', 'shared', '/reg:32']);
      assert.match(policy.stdout, /shared\s+REG_SZ\s+both/);
    },
  );
});
