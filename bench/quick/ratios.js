#!/usr/bin/env node
// Quick ratio checks of the in-process path against its floors, in one run, interleaved (A B A B ...) because the
// machines are shared and noisy: medians of per-round ratios. A few seconds' subset of the full harness (bench/src), which adds the
// pipe, the peers, concurrency, start-up, memory and the reports.
//
//   node bench/quick/ratios.js [--prefix DIR]   (DIR: a real Wine prefix for the load figure; default: the one the
//                                               tests cache in build/test-cache/wineprefix, when present)
// Measures:
//   readStringValueSync / floor.get            (target <= 1.5)
//   readStringValue (async) / readStringValueSync (target <= 3)
//   load of system.reg: fresh process, openStore + first HKLM read, ms (target <= 15)
//   writeValueSync to user.reg / floor.writeAndRename of a file that size (target <= 1.3)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const addon = require(path.join(root, 'build', 'addon', 'regbridge.node'));
const floor = require(path.join(root, 'build', 'bench', 'floor.node'));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const nsPerCall = (n, fn) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n;
};

function readRatio(store) {
  const key = 'HKCU\\Software\\Acme\\App';
  const name = 'InstallLocation';
  const text = 'C:\\Program Files\\Acme';
  store.writeValueSync(key, name, { type: 'REG_SZ', data: text });
  floor.set(key, name, text);
  const floors = [],
    reads = [];
  for (let round = 0; round < 21; round++) {
    floors.push(nsPerCall(200_000, () => floor.get(key, name)));
    reads.push(nsPerCall(200_000, () => store.readStringValueSync(key, name)));
  }
  return { floorNs: median(floors), readNs: median(reads), ratio: median(reads.map((r, i) => r / floors[i])) };
}

async function asyncRatio(store) {
  const key = 'HKCU\\Software\\Acme\\App';
  const name = 'InstallLocation';
  const syncs = [],
    asyncs = [];
  for (let round = 0; round < 11; round++) {
    syncs.push(nsPerCall(50_000, () => store.readStringValueSync(key, name)));
    const n = 2_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await store.readStringValue(key, name); // one in flight: latency, not throughput
    asyncs.push(Number(process.hrtime.bigint() - start) / n);
  }
  return { syncNs: median(syncs), asyncNs: median(asyncs), ratio: median(asyncs.map((a, i) => a / syncs[i])) };
}

function loadMs(prefix) {
  const code = `
    const addon = require(${JSON.stringify(path.join(root, 'build', 'addon', 'regbridge.node'))});
    const t0 = process.hrtime.bigint();
    const store = addon.openStore(${JSON.stringify(prefix)});
    store.readStringValueSync('HKLM\\\\Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion', 'ProductName');
    console.log(Number(process.hrtime.bigint() - t0) / 1e6);`;
  const runs = [];
  for (let i = 0; i < 7; i++) runs.push(Number(execFileSync(process.execPath, ['-e', code]).toString()));
  return { ms: median(runs), runs };
}

function writeRatio(prefix, store) {
  const size = fs.statSync(path.join(prefix, 'user.reg')).size;
  const writes = [],
    floors = [];
  for (let round = 0; round < 101; round++) {
    let t = process.hrtime.bigint();
    store.writeValueSync('HKCU\\Software\\regbridge-bench', 'v', { type: 'REG_DWORD', data: round });
    writes.push(Number(process.hrtime.bigint() - t) / 1e3);
    t = process.hrtime.bigint();
    floor.writeAndRename(prefix, size);
    floors.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  return { size, writeUs: median(writes), floorUs: median(floors), ratio: median(writes.map((w, i) => w / floors[i])) };
}

async function main() {
  const at = process.argv.indexOf('--prefix');
  const realPrefix = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'build', 'test-cache', 'wineprefix');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-quick-'));
  try {
    const store = addon.openStore(scratch);
    const read = readRatio(store);
    console.log(
      `readStringValueSync ${read.readNs.toFixed(0)} ns, floor.get ${read.floorNs.toFixed(0)} ns: ` +
        `ratio ${read.ratio.toFixed(2)} (target <= 1.5)`,
    );
    const asyncRead = await asyncRatio(store);
    console.log(
      `readStringValue async ${(asyncRead.asyncNs / 1e3).toFixed(1)} us, sync ${asyncRead.syncNs.toFixed(0)} ns: ` +
        `ratio ${asyncRead.ratio.toFixed(1)} (target <= 3)`,
    );
    if (fs.existsSync(path.join(realPrefix, 'system.reg'))) {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-quick-prefix-'));
      for (const hive of ['system.reg', 'user.reg', 'userdef.reg'])
        fs.copyFileSync(path.join(realPrefix, hive), path.join(copy, hive));
      const load = loadMs(copy);
      console.log(
        `load system.reg (${fs.statSync(path.join(copy, 'system.reg')).size} bytes): median ${load.ms.toFixed(1)} ms ` +
          `of ${load.runs.map((r) => r.toFixed(1)).join(', ')} (target <= 15)`,
      );
      const write = writeRatio(copy, addon.openStore(copy));
      console.log(
        `writeValue to user.reg (${write.size} bytes) ${write.writeUs.toFixed(0)} us, write+rename ` +
          `${write.floorUs.toFixed(0)} us: ratio ${write.ratio.toFixed(2)} (target <= 1.3)`,
      );
      fs.rmSync(copy, { recursive: true, force: true });
    } else {
      console.log(`no real prefix at ${realPrefix}: load and write figures left out (run the tests once, or --prefix)`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
