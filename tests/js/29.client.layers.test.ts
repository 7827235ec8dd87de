// The client's layers, read from its sources: no import circle anywhere (type-only imports count: a circle of types is
// still a knot a reader has to untie), the public types at the bottom, transports below the API, and the pipe
// transport reached only through a lazy require, so that in-process programs never load it, and require('regbridge')
// loading neither transport.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot, storePrefix } from './00.setup';

const sourceRoot = path.join(repoRoot, 'client-ts', 'src');

function sources(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface Import {
  target: string; // a source file, relative to client-ts/src, without .ts
  lazy: boolean; // a require() inside a function
  typeOnly: boolean; // `import type`: erased when compiled, so it loads nothing
}

/** The relative imports of one file: `import ... from`, `export ... from`, and `require(...)`. */
function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: Import[] = [];
  const resolve = (specifier: string) =>
    path
      .relative(sourceRoot, path.resolve(path.dirname(file), specifier))
      .split(path.sep)
      .join('/');
  for (const match of text.matchAll(/^(import|export)\b( type\b)?[^;]*?from '(\.[^']+)'/gms)) {
    found.push({ target: resolve(match[3]), lazy: false, typeOnly: match[2] !== undefined });
  }
  for (const match of text.matchAll(/\brequire\('(\.[^']+)'\)/g)) {
    found.push({ target: resolve(match[1]), lazy: true, typeOnly: false });
  }
  return found;
}

const graph = new Map<string, Import[]>(
  sources(sourceRoot).map((file) => [
    path.relative(sourceRoot, file).replace(/\.ts$/, '').split(path.sep).join('/'),
    importsOf(file),
  ]),
);

describe('29 client: layers without circles', function () {
  it('reads the sources it checks', function () {
    for (const name of ['api', 'registry', 'types', 'transport/Transport', 'transport/pipe', 'generated/operations']) {
      assert.ok(graph.has(name), `client-ts/src/${name}.ts`);
    }
    for (const [file, imports] of graph) {
      for (const { target } of imports)
        assert.ok(graph.has(target), `${file} imports ${target}, which is not a source`);
    }
  });

  it('has no import circle', function () {
    const done = new Set<string>();
    const onPath: string[] = [];
    const visit = (file: string): void => {
      const at = onPath.indexOf(file);
      if (at >= 0) assert.fail(`import circle: ${[...onPath.slice(at), file].join(' -> ')}`);
      if (done.has(file)) return;
      onPath.push(file);
      for (const { target } of graph.get(file) ?? []) visit(target);
      onPath.pop();
      done.add(file);
    };
    for (const file of graph.keys()) visit(file);
  });

  it('keeps the public types at the bottom and the transports below the API', function () {
    assert.deepEqual(graph.get('types'), [], 'types.ts imports nothing');
    for (const [file, imports] of graph) {
      if (!file.startsWith('transport/')) continue;
      for (const { target } of imports) {
        assert.ok(
          !['api', 'registry', 'registryTypes', 'index'].includes(target),
          `${file} imports ${target}: transports never import the API`,
        );
      }
    }
  });

  // What a program loads, seen from inside it: the files in require.cache, and every module any of them asked for
  // (Node's built-in ones included: the bundle that the build makes of the client holds the pipe transport's code,
  // so what shows that the transport never ran is that node:net was never required).
  const recordLoads = `
    const Module = require('node:module');
    const requested = new Set();
    const plainRequire = Module.prototype.require;
    Module.prototype.require = function (id) {
      requested.add(id);
      return plainRequire.apply(this, arguments);
    };
    const files = () => Object.keys(require.cache).filter((file) => file !== __filename)
      .map((file) => file.replace(/.*[\\\\/](dist|build|build-win)[\\\\/]/, '$1/').replace(/\\\\/g, '/'));
    const pipeModules = ['node:net', 'node:crypto', 'node:child_process', 'node:worker_threads'];
    const pipeModulesLoaded = () => pipeModules.filter((id) => requested.has(id));`;

  it('runs no pipe code for an in-process registry, and does once a pipe registry is opened', function () {
    this.timeout(20_000);
    const script = `${recordLoads}
      const regbridge = require(${JSON.stringify(path.join(repoRoot, 'dist', 'index.js'))});
      const prefix = process.argv[1] ? { prefix: process.argv[1] } : {};
      const registry = regbridge.openRegistrySync(prefix);
      registry.keyExists('HKCU\\\\Software');
      registry.close();
      const inProcess = pipeModulesLoaded();
      regbridge.openRegistry({ mode: 'pipe', ...prefix }).then(async (piped) => {
        await piped.keyExists('HKCU\\\\Software');
        await piped.close();
        process.stdout.write(JSON.stringify({ inProcess, pipe: pipeModulesLoaded() }));
      });`;
    const output = execFileSync(process.execPath, ['-e', script, storePrefix() ?? ''], { encoding: 'utf8' });
    const { inProcess, pipe } = JSON.parse(output) as Record<string, string[]>;
    assert.deepEqual(inProcess, [], 'an in-process registry loads none of the modules the pipe transport needs');
    assert.deepEqual(pipe, ['node:net', 'node:crypto', 'node:child_process', 'node:worker_threads']);
  });

  it('loads the pipe transport only when a pipe registry is opened', function () {
    for (const [file, imports] of graph) {
      for (const { target, lazy, typeOnly } of imports) {
        if (target === 'transport/pipe' && !file.startsWith('transport/') && !typeOnly) {
          assert.ok(lazy && file === 'api', `${file} imports the pipe transport eagerly`);
        }
      }
    }
  });

  it('loads one module on require, and one more (with the addon) at the first in-process open', function () {
    const script = `${recordLoads}
      const regbridge = require(${JSON.stringify(path.join(repoRoot, 'dist', 'index.js'))});
      const onRequire = files();
      const registry = regbridge.openRegistrySync(process.argv[1] ? { prefix: process.argv[1] } : {});
      registry.keyExists('HKCU\\\\Software');
      registry.close();
      process.stdout.write(JSON.stringify({ onRequire, onOpen: files(), pipe: pipeModulesLoaded() }));`;
    const output = execFileSync(process.execPath, ['-e', script, storePrefix() ?? ''], { encoding: 'utf8' });
    const { onRequire, onOpen, pipe } = JSON.parse(output) as Record<string, string[]>;
    // Each module costs a fresh process 0.3-1.3 ms: require('regbridge') loads its entry alone, and the build bundles
    // what the first open needs into one file.
    assert.deepEqual(onRequire, ['dist/index.js'], 'require(regbridge) loads only its entry module');
    const build = process.platform === 'win32' ? 'build-win' : 'build';
    assert.deepEqual(onOpen, ['dist/index.js', 'dist/lazyExports.js', `${build}/addon/regbridge.node`]);
    assert.deepEqual(pipe, [], 'an in-process open runs no pipe code');
  });
});
