// @ts-check
// Called by tests/contributing/run with the compiled copy of the client (argv[2]) and a fresh prefix folder (argv[3]),
// with REGBRIDGE_ADDON and REGBRIDGE_SERVER set to the build that has the extra operation `valueSize`. Fails (exit 1)
// unless the operation is typed in the client's declarations and answers the same in both modes, errors included.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const [dist, prefix] = process.argv.slice(2);

async function main() {
  // The types: the method on both registries, its options, its result.
  const declarations = fs.readFileSync(path.join(dist, 'generated', 'operations.d.ts'), 'utf8');
  assert.match(declarations, /valueSize\(key: string, name: string, options\?: ValueSizeOptions\): Promise<number>;/);
  assert.match(declarations, /valueSize\(key: string, name: string, options\?: ValueSizeOptions\): number;/);
  assert.match(declarations, /\/\*\* The size of a value's stored data, in bytes\. \*\//);
  assert.match(declarations, /export interface ValueSizeOptions \{[^}]*view\?: RegistryView;/s);

  const regbridge = require(path.join(dist, 'index.js'));
  const sync = regbridge.openRegistrySync({ prefix });
  sync.writeValue('HKCU\\Software\\Acme', 'Name', { type: 'REG_SZ', data: 'four' }); // 8 bytes of UTF-16 and 2 of NUL
  assert.equal(sync.valueSize('HKCU\\Software\\Acme', 'Name'), 10);
  sync.close();

  const answers = {};
  for (const mode of ['in-process', 'pipe']) {
    const registry = await regbridge.openRegistry({ mode, prefix });
    try {
      const size = await registry.valueSize('HKCU\\Software\\Acme', 'Name', { view: 64 });
      const missing = await registry.valueSize('HKCU\\Software\\Acme', 'Nope').catch((error) => error);
      const badArgument = await registry.valueSize(5, 'Name').catch((error) => error);
      const badOption = await registry.valueSize('HKCU\\Software\\Acme', 'Name', { veiw: 32 }).catch((error) => error);
      answers[mode] = [size, ...[missing, badArgument, badOption].map((error) => `${error.code}: ${error.message}`)];
    } finally {
      await registry.close();
    }
  }
  assert.deepEqual(answers['in-process'], answers.pipe);
  assert.deepEqual(answers.pipe, [
    10,
    "ERR_VALUE_NOT_FOUND: the value 'Nope' does not exist in 'HKCU\\Software\\Acme'",
    "ERR_INVALID_ARGUMENT: valueSize: argument 1 'key' must be a string, got a number",
    "ERR_INVALID_ARGUMENT: valueSize: unknown option 'veiw' (did you mean 'view'?); the options are 'view'",
  ]);
  console.log('valueSize: typed, and the same in both modes:', JSON.stringify(answers.pipe));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
