export {}; // a module, not a script: its names stay its own
// A fresh Node process: how long one require() takes, as the first thing the process loads: a path, or a package name
// found in the harness's node_modules (where the start-up trial puts empty packages). It tells require('regbridge')
// apart into what Node costs for any package (its resolver for `exports` maps loads at the first one a process meets)
// and what regbridge's own modules cost.
const { request } = JSON.parse(process.argv[2]) as { request: string };
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(request);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms }));
