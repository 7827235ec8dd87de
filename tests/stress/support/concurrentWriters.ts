// Several writer processes at once, in both modes, each running its own ops into the same hive (user.reg) with no
// kill: every acknowledged op of every one of them must be in the store afterwards, and every one must finish.
import { exitWithin, fault } from './harness';
import { KillFigures, newSeries, startWriter, verifySeries } from './killTrials';
import { readAckLog } from './ackLog';

export interface ConcurrentFigures {
  processes: number;
  opsEach: number;
  acknowledged: number;
  seconds: number;
}

export async function concurrentWriters(
  processes: number,
  opsEach: number,
  figures: KillFigures,
): Promise<ConcurrentFigures> {
  const series = newSeries();
  const started = Date.now();
  const children = [];
  for (let p = 0; p < processes; p++) {
    const mode = p % 2 === 0 ? 'in-process' : 'pipe';
    children.push(startWriter(series, `c${p}`, { mode, maxOps: opsEach }, ['HKCU']));
  }
  const running = await Promise.all(children);
  for (const [p, child] of running.entries()) {
    if (!child) continue;
    const exit = await exitWithin(child, 600_000);
    if (!exit || exit.code !== 0) {
      fault(
        `concurrent writer c${p} ended with ${exit ? (exit.code ?? exit.signal) : 'no exit in 10 min'}: ` +
          child.stderr().slice(-300),
        `${processes} writer processes x ${opsEach} ops into one hive`,
      );
      if (!exit) child.process.kill('SIGKILL');
    }
  }
  const seconds = (Date.now() - started) / 1000;
  // verifySeries adds only the last writer's acknowledgements to the kill figures; these are counted here instead.
  const before = { ...figures, trials: { ...figures.trials } };
  await verifySeries(series, 0, figures, `${processes} concurrent writers`);
  figures.acknowledged = before.acknowledged;
  figures.checked = before.checked;
  let acknowledged = 0;
  for (const writer of series.writers) {
    const log = readAckLog(writer.log);
    acknowledged += log.acknowledged.size;
    if (!log.done) fault(`concurrent writer ${writer.spec.id} did not finish`, `see ${writer.log}`);
  }
  return { processes, opsEach, acknowledged, seconds };
}
