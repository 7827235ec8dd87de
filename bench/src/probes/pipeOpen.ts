// A fresh Node process: pipe mode's start as a user sees it — require('regbridge'), then openRegistry({ mode: 'pipe' })
// until it resolves (loads the pipe transport, starts a helper, handshakes), then the first read (an HKCU string,
// which makes the helper load user.reg). Times as JSON on stdout; regbridge is required after the clock starts.
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const regbridge = require('regbridge') as typeof import('regbridge');
const t1 = performance.now();
const args = JSON.parse(process.argv[2]) as { prefix: string; userKey: string; userName: string };

async function main(): Promise<void> {
  const t2 = performance.now();
  const reg = await regbridge.openRegistry({ mode: 'pipe', prefix: args.prefix });
  const t3 = performance.now();
  await reg.readStringValue(args.userKey, args.userName);
  const t4 = performance.now();
  await reg.close();
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, openMs: t3 - t2, firstReadMs: t4 - t3 }));
}

main().catch((error: unknown) => {
  process.stdout.write(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  process.exitCode = 1;
});
