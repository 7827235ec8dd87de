// The pipe-mode floor: `regbridge-server --echo` (the same framing, parsing, queue, worker threads and writer as real
// requests; it answers every request with its params) driven by the client's own connection code — the RpcConnection
// and frame reader the package exports as `regbridge/internal` — without the public API's argument checks or result
// decoding. What pipe mode costs above it is the operation itself and the API layer.
import * as net from 'node:net';

import { RpcConnection } from 'regbridge/internal';

import type { RemoteCall } from '../operations/context';
import { Helper, startHelper } from './helper';

/** An echo helper and a connection to it. */
export interface EchoFloor {
  call: RemoteCall;
  helper: Helper;
  close(): Promise<void>;
}

/** Starts the echo helper and connects to it with the client's connection code. */
export async function openEcho(): Promise<EchoFloor> {
  const helper = await startHelper({ echo: true });
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(helper.socketPath, () => resolve(s));
    s.once('error', reject);
  });
  const rpc = new RpcConnection(socket, 60_000, () => {});
  await rpc.request('initialize', {});
  return {
    call: (method, params) => rpc.request(method, params),
    helper,
    async close() {
      rpc.lose({ code: 'ERR_CLOSED', message: () => 'closed' });
      await helper.stop();
    },
  };
}
