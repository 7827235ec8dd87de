// The regbridge command line's cold start, for the wine trial to set beside `wine reg query`: each sample is a fresh
// `node dist/cli/main.js query KEY /v NAME` process, from spawn to exit, Node's own start included — what a shell
// script pays per call. Node starting and exiting with nothing to do is measured the same way, as the floor.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The command line's entry point, in the package the benchmark runs against. */
export const cliMain = path.join(path.dirname(require.resolve('regbridge/package.json')), 'dist', 'cli', 'main.js');

/** Runs `node ...args` once; resolves with its wall time in ms, after checking that stdout holds `expect`. */
export function timeNode(args: string[], expect: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0 && out.includes(expect)) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${(err || out).trim().slice(0, 300)}`));
    });
  });
}

/** One `regbridge query` in a fresh process, in the given mode, on `prefix`. */
export function cliQuery(prefix: string, mode: 'in-process' | 'pipe', key: string, name: string): Promise<number> {
  return timeNode([cliMain, '--mode', mode, '--prefix', prefix, 'query', key, '/v', name], name);
}

/** Node's own start and exit, doing nothing: the floor under every command-line sample. */
export function nodeFloor(): Promise<number> {
  return timeNode(['-e', 'process.stdout.write("floor")'], 'floor');
}
