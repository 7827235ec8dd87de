// The vscode-jsonrpc peer's child: a Node process answering JSON-RPC over stdio with vscode-jsonrpc, as an extension
// author would write one, serving each request with regbridge in-process on the same store.
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

import { openRegistrySync } from 'regbridge';

import { serve } from './peerServe';

const reg = openRegistrySync({ prefix: process.argv[2] });
const connection = createMessageConnection(
  new StreamMessageReader(process.stdin),
  new StreamMessageWriter(process.stdout),
);
connection.onRequest((method: string, params: unknown) => serve(reg, method, params as Record<string, unknown>));
connection.onClose(() => process.exit(0));
connection.listen();
