// `npm run test:soak` (10 minutes; `--seconds N` for another length): 8 client processes (children/soakClient.ts)
// share one running `regbridge-server --pipe PATH --prefix DIR`, each connecting, running a mixed load on a few
// chains at once and disconnecting again, over and over. Meanwhile the helper's resident memory (VmRSS) and open
// file descriptors are sampled every second. The bounds, checked at the end:
//   - after the warm-up (the first fifth, at least 10 s) RSS stays within 10 % of the warm-up's highest;
//   - once every client has disconnected, RSS is back within 10 % of that (memory of closed connections returned);
//   - the helper's fd count is back to what it was before the first client connected.
// Every client checks every read against what it wrote, so a wrong answer or any error also fails the soak.
// Prints the samples' summary in one line; the samples go to build/soak-last.json.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistry } from 'regbridge';

import { fdCount, serverBinary, startServer } from '../js/support/processes';
import type { SoakClientConfig, SoakResult } from './children/soakClient';
import { option, pollUntil, repoRoot, runJsonChild, scratchDir, seedFromArgs, sleep } from './support/harness';

const clients = 8;
const chainsPerClient = 4;

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]);
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const seconds = Number(option('seconds') ?? 600);
  const warmUp = Math.max(10, seconds / 5);
  const seed = seedFromArgs();
  const root = scratchDir('soak');
  const prefix = path.join(root, 'prefix');
  const socket = path.join(root, 'socket', 'helper.sock');
  const server = await startServer(serverBinary(repoRoot), socket, ['--prefix', prefix]);
  const pid = server.pid;
  // A value every client reads; written through the helper itself, so the hive is loaded before the baseline.
  const setup = await openRegistry({ mode: 'pipe', pipe: socket });
  await setup.writeValue('HKLM\\Software\\regbridge-soak', 'greeting', { type: 'REG_SZ', data: 'hello' });
  await setup.close();
  await sleep(200);
  const start = { rss: rssKb(pid), fds: fdCount(pid) };
  console.log(`soak: seed ${seed}; ${seconds} s, ${clients} clients x ${chainsPerClient} chains on helper ${pid}; ` +
              `warm-up ${warmUp} s; start RSS ${mb(start.rss)}, ${start.fds} fds`);

  const began = Date.now();
  const until = began + seconds * 1000;
  const runs = Array.from({ length: clients }, (_, id) => {
    const config: SoakClientConfig = { socket, id, until, chains: chainsPerClient, seed: seed + id };
    return runJsonChild<SoakResult>('soakClient', config, seconds * 1000 + 120_000);
  });
  const samples: { t: number; rss: number; fds: number }[] = [];
  let finished = false;
  const all = Promise.allSettled(runs).finally(() => (finished = true));
  while (!finished) {
    samples.push({ t: (Date.now() - began) / 1000, rss: rssKb(pid), fds: fdCount(pid) });
    const last = samples[samples.length - 1];
    if (samples.length % 60 === 0) console.log(`  ${last.t.toFixed(0)} s: RSS ${mb(last.rss)}, ${last.fds} fds`);
    await Promise.race([sleep(1000), all]);
  }
  const results = await all;
  const loadEnd = samples[samples.length - 1];

  // Connections are closed by now; the helper notices each close on its own time: give it up to 5 s.
  await pollUntil(() => fdCount(pid) <= start.fds, 5_000);
  await sleep(1000);
  const end = { rss: rssKb(pid), fds: fdCount(pid) };
  server.child.kill('SIGTERM');
  await server.exited;

  const problems: string[] = [];
  let ops = 0;
  let connections = 0;
  let errors = 0;
  for (const [id, settled] of results.entries()) {
    if (settled.status === 'rejected') {
      problems.push(`client ${id}: ${String(settled.reason)}`);
      continue;
    }
    ops += settled.value.ops;
    connections += settled.value.connections;
    errors += settled.value.errorCount;
    for (const error of settled.value.errors.slice(0, 3)) problems.push(`client ${id}: ${error}`);
  }
  const warm = samples.filter((s) => s.t <= warmUp);
  const after = samples.filter((s) => s.t > warmUp);
  const reference = Math.max(...warm.map((s) => s.rss));
  const maxAfter = after.length ? Math.max(...after.map((s) => s.rss)) : reference;
  const maxFds = Math.max(...samples.map((s) => s.fds));
  const growth = (kb: number) => `${(((kb - reference) / reference) * 100).toFixed(1)} %`;
  if (after.length === 0) problems.push('the soak ended within its warm-up: no sample to check');
  if (maxAfter > reference * 1.1)
    problems.push(`RSS grew after the warm-up: ${mb(reference)} -> ${mb(maxAfter)} (${growth(maxAfter)}, bound 10 %)`);
  if (end.rss > reference * 1.1)
    problems.push(`memory not returned after every connection closed: RSS ${mb(end.rss)} (${growth(end.rss)}; ` +
                  `${((end.rss - reference) / Math.max(1, connections)).toFixed(2)} KB per connection made)`);
  if (end.fds !== start.fds) problems.push(`fds ${start.fds} before the first client, ${end.fds} after the last`);

  fs.writeFileSync(path.join(repoRoot, 'build', 'soak-last.json'),
                   JSON.stringify({ seconds, seed, start, end, reference, samples }, null, 1));
  console.log(
    `soak: ${seconds} s, ${clients} clients on one helper: ${ops} ops (${(ops / seconds).toFixed(0)}/s), ` +
      `${connections} connections, ${errors} errors; helper RSS start ${mb(start.rss)}, warm-up max ${mb(reference)}, ` +
      `max after warm-up ${mb(maxAfter)} (${growth(maxAfter)}), end of load ${mb(loadEnd.rss)}, after all closed ` +
      `${mb(end.rss)} (${growth(end.rss)}); fds start ${start.fds}, max ${maxFds}, after all closed ${end.fds} ` +
      `=> ${problems.length === 0 ? 'PASS' : 'FAIL'}`,
  );
  for (const problem of problems) console.log(`  ${problem}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
