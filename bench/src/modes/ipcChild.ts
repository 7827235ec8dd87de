// The child_process IPC peer's child: a forked Node process answering process.send() messages with regbridge
// in-process on the same store (Node's default JSON serialisation, as most users keep it).
import { openRegistrySync } from 'regbridge';

import { serve } from './peerServe';

interface Request {
  id: number;
  method: string;
  params: Record<string, unknown>;
}

const reg = openRegistrySync({ prefix: process.argv[2] });
process.on('message', (message: Request) => {
  try {
    process.send!({ id: message.id, result: serve(reg, message.method, message.params) });
  } catch (error) {
    process.send!({ id: message.id, error: { code: (error as { code?: string }).code, message: String(error) } });
  }
});
process.on('disconnect', () => process.exit(0));
