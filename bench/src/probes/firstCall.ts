export {}; // a module, not a script: its names stay its own
// A fresh Node process: require('regbridge'), open the store, the first call (an HKCU string), then an HKLM read so
// that every hive is loaded; times and the process's RSS at each step, as JSON on stdout. regbridge is required
// inside, after the clock starts, so nothing of it is loaded before.
const rss = () => process.memoryUsage.rss() / 2 ** 20;
const rssStart = rss();
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const regbridge = require('regbridge') as typeof import('regbridge');
const t1 = performance.now();
const rssRequired = rss();
const args = JSON.parse(process.argv[2]) as {
  prefix: string;
  userKey: string;
  userName: string;
  hklmKey: string;
  hklmName: string;
};
const reg = regbridge.openRegistrySync({ prefix: args.prefix });
const t2 = performance.now();
reg.readStringValue(args.userKey, args.userName);
const t3 = performance.now();
reg.readStringValue(args.hklmKey, args.hklmName);
const rssLoaded = rss();
process.stdout.write(
  JSON.stringify({ requireMs: t1 - t0, openMs: t2 - t1, firstCallMs: t3 - t2, rssStart, rssRequired, rssLoaded }),
);
