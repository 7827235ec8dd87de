// A fresh Node process: pipe mode's start-up, from openRegistry({ mode: 'pipe' }) to the first answer (an HKCU
// string). Cold: the first helper this process starts, with the helper binary and the hives dropped from the page
// cache first (best effort). Warm: the next ones. Also the first HKLM answer (the helper loads system.reg for it),
// and the echo helper's start + handshake + one echo, the floor. JSON on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { openRegistry } from 'regbridge';

import { probeMain } from '../kinds/probe';
import { openEcho } from '../modes/echo';
import { loadFloor } from '../modes/floor';
import { serverFile } from '../paths';

interface Args {
  prefix: string;
  userKey: string;
  userName: string;
  hklmKey: string;
  hklmName: string;
  warm: number;
}

async function firstAnswer(args: Args, key: string, name: string): Promise<number> {
  const t0 = performance.now();
  const reg = await openRegistry({ mode: 'pipe', prefix: args.prefix });
  await reg.readStringValue(key, name);
  const ms = performance.now() - t0;
  await reg.close();
  return ms;
}

async function main(): Promise<object> {
  const args = JSON.parse(process.argv[2]) as Args;
  const floor = loadFloor();
  const files = [serverFile, ...['system.reg', 'user.reg', 'userdef.reg'].map((f) => path.join(args.prefix, f))];
  const evicted = files.filter((f) => fs.existsSync(f)).every((f) => floor.evict(f));
  const coldMs = await firstAnswer(args, args.userKey, args.userName);
  const warmMs: number[] = [];
  const warmHklmMs: number[] = [];
  const echoMs: number[] = [];
  for (let i = 0; i < args.warm; i++) {
    warmMs.push(await firstAnswer(args, args.userKey, args.userName));
    warmHklmMs.push(await firstAnswer(args, args.hklmKey, args.hklmName));
    const t0 = performance.now();
    const echo = await openEcho();
    await echo.call('readStringValue', { key: args.userKey, name: args.userName });
    echoMs.push(performance.now() - t0);
    await echo.close();
  }
  return { coldMs, evicted, warmMs, warmHklmMs, echoMs };
}

probeMain(main);
