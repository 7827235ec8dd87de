// The helper's memory: resident set (VmRSS from /proc) of a regbridge-server just handshaken, then with every hive
// loaded, and of the echo helper as its floor; beside it the peers' child processes (Node, with regbridge
// in-process and every hive loaded), which is what a user pays for isolation the other way. (The Node process's
// own growth is measured by the start-up probes.)
import * as fs from 'node:fs';

import { openRegistry } from 'regbridge';

import { openEcho } from '../modes/echo';
import { startHelper } from '../modes/helper';
import { openIpcPeer } from '../modes/ipcPeer';
import { openJsonrpcPeer, Peer } from '../modes/jsonrpcPeer';
import { hiveFiles } from '../store/setup';
import { figure, notRunFigure } from './figures';
import { TrialEnv, TrialOutput, whyNot } from './env';

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kib / 1024;
}

/** Runs the memory trial. */
export async function run(env: TrialEnv): Promise<TrialOutput> {
  const { ctx, trial } = env;
  const f = ctx.fixtures;
  const labels = {
    'memory.helper-idle': 'helper RSS after the handshake',
    'memory.helper-loaded': 'helper RSS with every hive loaded',
    'memory.echo-helper': 'floor: echo helper RSS',
    'memory.jsonrpc-child': 'peer: vscode-jsonrpc child RSS, every hive loaded',
    'memory.ipc-child': 'peer: child_process IPC child RSS, every hive loaded',
  } as const;
  if (!fs.existsSync('/proc/self/status')) {
    const why = 'no /proc on this system';
    return {
      cells: [],
      ratios: [],
      figures: Object.entries(labels).map(([id, label]) => notRunFigure(trial, id, label, 'MiB', why)),
      notes: [],
    };
  }
  const idle: number[] = [];
  const loaded: number[] = [];
  const echoRss: number[] = [];
  const jsonrpcRss: number[] = [];
  const ipcRss: number[] = [];
  const peerRss = async (open: () => Promise<Peer>, into: number[]) => {
    const peer = await open();
    await peer.call('readStringValue', { key: f.userKey, name: f.userName });
    await peer.call('readStringValue', { key: f.valuesKey, name: f.stringName });
    await peer.call('keyExists', { key: 'HKU\\.Default\\Software' });
    into.push(rssMiB(peer.pid));
    await peer.close();
  };
  const hiveMiB = hiveFiles.reduce((sum, file) => sum + (env.setup.store.hiveBytes[file] ?? 0), 0) / 2 ** 20;
  const repeats = 3;
  try {
    for (let i = 0; i < repeats; i++) {
      const helper = await startHelper({ prefix: ctx.storeDir });
      const reg = await openRegistry({ mode: 'pipe', pipe: helper.socketPath });
      // openRegistry resolves after the handshake; no hive is loaded before the first call.
      idle.push(rssMiB(helper.pid));
      await reg.readStringValue(f.userKey, f.userName);
      await reg.readStringValue(f.valuesKey, f.stringName);
      await reg.keyExists('HKU\\.Default\\Software');
      loaded.push(rssMiB(helper.pid));
      await reg.close();
      await helper.stop();
      const echo = await openEcho();
      await echo.call('readStringValue', { key: f.userKey, name: f.userName });
      echoRss.push(rssMiB(echo.helper.pid));
      await echo.close();
      await peerRss(() => openJsonrpcPeer(ctx.storeDir), jsonrpcRss);
      await peerRss(() => openIpcPeer(ctx.storeDir), ipcRss);
      env.progress((i + 1) / repeats);
    }
  } catch (error) {
    const why = whyNot(error);
    return {
      cells: [],
      ratios: [],
      figures: Object.entries(labels).map(([id, label]) => notRunFigure(trial, id, label, 'MiB', why)),
      notes: [],
    };
  }
  return {
    cells: [],
    ratios: [],
    figures: [
      figure(trial, 'memory.helper-idle', labels['memory.helper-idle'], 'MiB', idle),
      figure(trial, 'memory.helper-loaded', labels['memory.helper-loaded'], 'MiB', loaded),
      figure(
        trial,
        'memory.helper-tree',
        'the loaded tree: helper RSS with every hive loaded − after the handshake',
        'MiB',
        loaded.map((l, i) => l - idle[i]),
      ),
      figure(trial, 'memory.hive-bytes', `the hive files (${hiveFiles.join(', ')})`, 'MiB', [hiveMiB]),
      figure(
        trial,
        'memory.helper-tree-ratio',
        'the loaded tree ÷ the hive files’ bytes',
        '×',
        loaded.map((l, i) => (l - idle[i]) / hiveMiB),
      ),
      figure(trial, 'memory.echo-helper', labels['memory.echo-helper'], 'MiB', echoRss),
      figure(trial, 'memory.jsonrpc-child', labels['memory.jsonrpc-child'], 'MiB', jsonrpcRss),
      figure(trial, 'memory.ipc-child', labels['memory.ipc-child'], 'MiB', ipcRss),
    ],
    notes: [],
  };
}
