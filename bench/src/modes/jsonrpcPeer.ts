// The vscode-jsonrpc peer, the parent's side: spawns jsonrpcChild and sends requests by name (params by name).
import { spawn } from 'node:child_process';

import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

import type { RemoteCall } from '../operations/context';
import { script } from '../paths';
import { decode } from './peerServe';

/** A running peer. */
export interface Peer {
  call: RemoteCall;
  pid: number;
  close(): Promise<void>;
}

/** Starts the child on `storeDir` and waits until it answers. */
export async function openJsonrpcPeer(storeDir: string): Promise<Peer> {
  const child = spawn(process.execPath, [script('modes/jsonrpcChild'), storeDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();
  const call: RemoteCall = async (method, params) => decode(method, await connection.sendRequest(method, params));
  await call('keyExists', { key: 'HKLM' });
  return {
    call,
    pid: child.pid!,
    async close() {
      connection.dispose();
      child.stdin.end();
      child.kill();
      await exited;
    },
  };
}
