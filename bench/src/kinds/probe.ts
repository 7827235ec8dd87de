// Runs a probe script in a fresh Node process and parses the JSON it prints.
import { execFile } from 'node:child_process';

import { script } from '../paths';

/** `node build/bench-js/probes/<name>.js '<args as JSON>'`, its stdout parsed; rejects with the probe's own error. */
export function probe<T>(name: string, args: object, nodeOptions: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeOptions, script(`probes/${name}`), JSON.stringify(args)],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        let parsed: (T & { error?: string }) | undefined;
        try {
          parsed = JSON.parse(stdout) as T & { error?: string };
        } catch {
          // reported below
        }
        if (parsed && parsed.error === undefined && !error) return resolve(parsed);
        const why =
          parsed?.error ??
          /^\w*Error: (.*)$/m.exec(stderr)?.[1] ??
          (error ? error.message.split('\n')[0] : 'no output');
        reject(new Error(`probe ${name}: ${why}`));
      },
    );
  });
}

/** A probe's main: prints what `main` returns as JSON, or {"error": "<code>: <message>"} and exits 1. */
export function probeMain(main: () => Promise<object> | object): void {
  Promise.resolve()
    .then(main)
    .then(
      (result) => process.stdout.write(JSON.stringify(result)),
      (error: unknown) => {
        const code = (error as { code?: unknown }).code;
        const message = error instanceof Error ? error.message : String(error);
        process.stdout.write(JSON.stringify({ error: typeof code === 'string' ? `${code}: ${message}` : message }));
        process.exitCode = 1;
      },
    );
}
