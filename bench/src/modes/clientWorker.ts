// One of several client processes sharing one helper (the clients trial): opens `connections` pipe-mode registries to
// each helper it is given with the public API (`openRegistry({ mode: 'pipe', pipe })`), then on each order runs its
// share of readStringValue calls on the first `use` of them, `concurrency` in flight in all (call i on connection
// i mod use), and reports the time and a sample of latencies.
import { openRegistry, Registry } from 'regbridge';

import { runAsync } from '../measure/loops';

interface Order {
  socket: string;
  calls: number;
  concurrency: number;
  use: number;
  key: string;
  name: string;
}

const registries = new Map<string, Registry[]>();

process.on('message', async (order: Order | { connect: string[]; connections: number }) => {
  if ('connect' in order) {
    for (const socket of order.connect) {
      const opened: Registry[] = [];
      for (let i = 0; i < order.connections; i++) opened.push(await openRegistry({ mode: 'pipe', pipe: socket }));
      registries.set(socket, opened);
    }
    process.send!({ connected: true });
    return;
  }
  const regs = registries.get(order.socket)!.slice(0, order.use);
  const run = await runAsync(
    (i) => regs[i % regs.length].readStringValue(order.key, order.name),
    order.calls,
    order.concurrency,
  );
  // A sample of the latencies is enough for percentiles and keeps the message small.
  const step = Math.max(1, Math.floor(run.samples / 2000));
  const sample: number[] = [];
  for (let i = 0; i < run.samples; i += step) sample.push(run.latencies[i]);
  process.send!({ calls: run.calls, elapsedNs: run.elapsedNs, sample });
});
process.on('disconnect', () => process.exit(0));
export {}; // a module, not a script: its names stay its own
