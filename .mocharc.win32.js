// Mocha's settings under Windows' node.exe (scripts/test-win-js runs it in Wine): the same suite as .mocharc.json,
// less the files that test what Windows does not have. Each is listed here with why, and printed at the start of
// the run, so that nothing is left out silently. Single tests of the hive store inside the shared files are marked
// with itHiveStore (tests/js/00.setup.ts): on Windows each checks instead that a prefix is refused, its title
// naming the hive-store test and why Windows has no counterpart.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const testsDir = 'build/js-tests';

/** Test files (compiled names) that run on Linux only, and why. */
const linuxOnly = {
  '07.wine.links.test.js':
    'reads a `wineboot -i` prefix through the hive store; on Windows the parity walk checks links',
  '10.wine.walk.test.js': "walks a prefix's hive files against an independent reader of Wine's format; no files here",
  '13.pipe.interop.test.js': 'drives regbridge-server over a Unix socket path on a real prefix',
  '14.pipe.lifecycle.test.js':
    'finds the helper through /proc; its 0700 socket folder, 0600 socket, $TMPDIR fallback, SIGKILL of its parent',
  '16.pipe.timeouts.test.js': 'fake helpers listening on Unix socket paths',
  '17.pipe.hostile.test.js': 'other uids, file descriptor counts in /proc, socket file modes',
  '18.pipe.reliability.test.js': 'SIGKILL of helper and client, socket folders in the temp dir, /proc',
  '20.pipe.workers.test.js': "finds each worker's helper through /proc",
  '23.property.arguments.test.js':
    'runs every call on three stores kept in the same state; on Windows all three are the one registry',
  '23.property.paths.test.js':
    'creates and deletes keys of random names under every hive root, and expects the prefix’s own HKEY_USERS',
  '28.protocol.document.test.js':
    "replays PROTOCOL.md's examples, which read and write a fresh hive store; the server code they reach is shared",
  '26.cli.test.js': 'runs the command line on a fresh --prefix each test (a hive store folder); Windows has none',
  '27.cli.wine.test.js': 'compares the command line with `wine reg` on a Wine prefix; Windows has its own reg.exe',
};

const all = fs
  .readdirSync(testsDir)
  .filter((name) => name.endsWith('.test.js'))
  .sort();
const unknown = Object.keys(linuxOnly).filter((name) => !all.includes(name));
if (unknown.length) throw new Error(`.mocharc.win32.js lists files that do not exist: ${unknown.join(', ')}`);

console.log(`Left out on Windows (${Object.keys(linuxOnly).length} of ${all.length} files; see .mocharc.win32.js):`);
for (const [name, why] of Object.entries(linuxOnly)) console.log(`  ${name}: ${why}`);

module.exports = {
  spec: all.filter((name) => !(name in linuxOnly)).map((name) => path.join(testsDir, name)),
  require: [path.join(testsDir, '00.setup.js')],
  timeout: 120000,
};
