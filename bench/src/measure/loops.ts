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

/**
 * Runs `a(i)` and `b(i)` in turn, one call each, for i in [0, calls), timing every call: two runs measured in the
 * same moments. For calls of a millisecond or less that the disk's own bursts (writeback, the journal) slow by half
 * at times, this keeps a ratio of the two from depending on which of them such a burst happened to fall on.
 */
export function runSyncAlternating(a: (i: number) => unknown, b: (i: number) => unknown, calls: number): [Run, Run] {
  const timesA = new Float64Array(calls);
  const timesB = new Float64Array(calls);
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    sink = a(i);
    const t1 = performance.now();
    sink = b(i);
    const t2 = performance.now();
    timesA[i] = (t1 - t0) * 1e6;
    timesB[i] = (t2 - t1) * 1e6;
    sumA += timesA[i];
    sumB += timesB[i];
  }
  return [
    { calls, elapsedNs: sumA, latencies: timesA, samples: calls, batch: 1 },
    { calls, elapsedNs: sumB, latencies: timesB, samples: calls, batch: 1 },
  ];
}

/** One run made of several runs of the same contender one after the other. */
export function joinRuns(runs: Run[]): Run {
  const samples = runs.reduce((sum, run) => sum + run.samples, 0);
  const latencies = new Float64Array(samples);
  let at = 0;
  for (const run of runs) {
    latencies.set(run.latencies.subarray(0, run.samples), at);
    at += run.samples;
  }
  return {
    calls: runs.reduce((sum, run) => sum + run.calls, 0),
    elapsedNs: runs.reduce((sum, run) => sum + run.elapsedNs, 0),
    latencies,
    samples,
    batch: runs[0].batch,
  };
}
