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

  it('loads no pipe code for an in-process registry, as a program sees it', function () {
    const script = `
      const regbridge = require(${JSON.stringify(path.join(repoRoot, 'dist', 'index.js'))});
      const registry = regbridge.openRegistrySync(process.argv[1] ? { prefix: process.argv[1] } : {});
      registry.keyExists('HKCU\\\\Software');
      registry.close();
      const loaded = Object.keys(require.cache).filter((file) => /[\\/]transport[\\/]pipe/.test(file));
      process.stdout.write(JSON.stringify(loaded));`;
    const output = execFileSync(process.execPath, ['-e', script, storePrefix() ?? ''], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), []);
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

  it('loads neither transport nor the client classes on require, only when a registry is opened', function () {
    const script = `
      const regbridge = require(${JSON.stringify(path.join(repoRoot, 'dist', 'index.js'))});
      const everyModule = Object.keys(require.cache).map((file) => file.replace(/.*[\\\\/]dist[\\\\/]/, ''));
      const loaded = () => Object.keys(require.cache).filter((file) => /[\\\\/](transport|registry\\.js)/.test(file))
        .map((file) => file.replace(/.*[\\\\/]dist[\\\\/]/, '').replace(/\\\\/g, '/'));
      const onRequire = loaded();
      const registry = regbridge.openRegistrySync(process.argv[1] ? { prefix: process.argv[1] } : {});
      registry.keyExists('HKCU\\\\Software');
      registry.close();
      process.stdout.write(JSON.stringify({ everyModule, onRequire, onOpen: loaded().sort() }));`;
    const output = execFileSync(process.execPath, ['-e', script, storePrefix() ?? ''], { encoding: 'utf8' });
    const { everyModule, onRequire, onOpen } = JSON.parse(output) as Record<string, string[]>;
    // Each module costs a fresh process about a quarter of a millisecond: require('regbridge') loads its entry alone.
    assert.deepEqual(everyModule, ['index.js'], 'require(regbridge) loads only its entry module');
    assert.deepEqual(onRequire, [], 'require(regbridge) loads no transport and no client class');
    assert.deepEqual(onOpen, ['registry.js', 'transport/inProcess.js', 'transport/packageRoot.js']);
  });
});
