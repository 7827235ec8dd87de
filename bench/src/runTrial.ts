// Runs one trial in a fresh Node process (with --expose-gc, so runs can start from a collected heap) and collects
// its result; a trial that crashes or hangs is reported, not fatal: its cells show "not run: <reason>".
import { fork } from 'node:child_process';

import type { Settings } from './kinds/env';
import type { TrialResult } from './report/results';
import { script } from './paths';

/** Forks trial.js for `name`. */
export function runTrial(
  name: string,
  setupFile: string,
  settings: Settings,
  timeoutMs: number,
  onProgress: (fraction: number) => void,
): Promise<TrialResult> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = fork(script('trial'), [name, setupFile, JSON.stringify(settings)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    let settled = false;
    const finish = (result: TrialResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const failed = (why: string): TrialResult => ({
      trial: name,
      cells: [],
      ratios: [],
      figures: [],
      notes: [],
      seconds: (performance.now() - start) / 1000,
      notRun: why,
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(failed(`timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', (message: { progress?: number; result?: TrialResult; error?: string }) => {
      if (message.progress !== undefined) onProgress(message.progress);
      if (message.result) finish(message.result);
      if (message.error) finish(failed(`failed: ${message.error.split('\n')[0]}`));
    });
    child.once('exit', (code, signal) => {
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      finish(failed(`its process exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`));
    });
  });
}
