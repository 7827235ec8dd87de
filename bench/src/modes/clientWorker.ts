// One of several client processes sharing one helper (the clients trial): connects to each helper it is given with
// the public API (`openRegistry({ mode: 'pipe', pipe })`), then on each order runs its share of readStringValue calls
// with `concurrency` in flight and reports the time and a sample of latencies.
import { openRegistry, Registry } from 'regbridge';

import { runAsync } from '../measure/loops';

interface Order {
  socket: string;
  calls: number;
  concurrency: number;
  key: string;
  name: string;
}

const registries = new Map<string, Registry>();

process.on('message', async (order: Order | { connect: string[] }) => {
  if ('connect' in order) {
    for (const socket of order.connect) registries.set(socket, await openRegistry({ mode: 'pipe', pipe: socket }));
    process.send!({ connected: true });
    return;
  }
  const reg = registries.get(order.socket)!;
  const run = await runAsync(() => reg.readStringValue(order.key, order.name), order.calls, order.concurrency);
  // A sample of the latencies is enough for percentiles and keeps the message small.
  const step = Math.max(1, Math.floor(run.samples / 2000));
  const sample: number[] = [];
  for (let i = 0; i < run.samples; i += step) sample.push(run.latencies[i]);
  process.send!({ calls: run.calls, elapsedNs: run.elapsedNs, sample });
});
process.on('disconnect', () => process.exit(0));
