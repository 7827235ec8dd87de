// The child_process IPC peer, the parent's side: forks ipcChild and matches answers to requests by id.
import { fork } from 'node:child_process';

import type { RemoteCall } from '../operations/context';
import { script } from '../paths';
import type { Peer } from './jsonrpcPeer';
import { decode } from './peerServe';

interface Answer {
  id: number;
  result?: unknown;
  error?: { code?: string; message: string };
}

/** Forks the child on `storeDir` and waits until it answers. */
export async function openIpcPeer(storeDir: string): Promise<Peer> {
  const child = fork(script('modes/ipcChild'), [storeDir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  child.on('message', (answer: Answer) => {
    const call = pending.get(answer.id);
    if (!call) return;
    pending.delete(answer.id);
    if (answer.error) call.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
    else call.resolve(decode(call.method, answer.result));
  });
  const call: RemoteCall = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { method, resolve, reject });
      child.send({ id, method, params });
    });
  await call('keyExists', { key: 'HKLM' });
  return {
    call,
    pid: child.pid!,
    async close() {
      child.disconnect();
      await exited;
    },
  };
}
