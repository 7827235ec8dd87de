// The two ways a case is driven. Synchronous calls: a tight loop, timed per batch of 16 calls (timing each call
// would cost as much as a fast call). Asynchronous calls: a closed loop with `concurrency` calls in flight, each
// call timed from its start to its settlement, as a caller awaiting it would see it.

/** One run of a case: how many calls, how long in all, and the latency samples (ns). */
export interface Run {
  calls: number;
  elapsedNs: number;
  latencies: Float64Array;
  /** How many entries of latencies are filled. */
  samples: number;
  /** Calls per latency sample (1: each call timed). */
  batch: number;
}

/** Results land here so that no call is optimised away. */
export let sink: unknown;

/** Calls per latency sample of a synchronous run. */
export const syncBatch = 16;

/** Runs `fn(i)` for i in [0, calls), synchronously; one latency sample per `batch` calls. */
export function runSync(fn: (i: number) => unknown, calls: number, batch = syncBatch): Run {
  const batches = Math.ceil(calls / batch);
  const latencies = new Float64Array(batches);
  const start = performance.now();
  let i = 0;
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    const end = Math.min(calls, i + batch);
    const count = end - i;
    for (; i < end; i++) sink = fn(i);
    latencies[b] = ((performance.now() - t) * 1e6) / count;
  }
  return { calls, elapsedNs: (performance.now() - start) * 1e6, latencies, samples: batches, batch };
}

/** Runs `fn(i)` for i in [0, calls) with `concurrency` calls in flight. */
export async function runAsync(fn: (i: number) => Promise<unknown>, calls: number, concurrency: number): Promise<Run> {
  const latencies = new Float64Array(calls);
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const t = performance.now();
      sink = await fn(i);
      latencies[i] = (performance.now() - t) * 1e6;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  return { calls, elapsedNs: (performance.now() - start) * 1e6, latencies, samples: calls, batch: 1 };
}
