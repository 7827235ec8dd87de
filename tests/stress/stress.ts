// `npm run test:stress` (and `--quick`, the short form `npm test` runs): the kill trials, concurrent writers and
// disk-full trials of tests/stress/support, then one summary. Exits 1 when any trial found a fault; every fault is
// printed with a way to reproduce it. `--seed N` repeats a run's random choices (the seed is printed first).
import { concurrentWriters } from './support/concurrentWriters';
import { DiskFullFigures, fsizeTrial, tmpfsRefusal, tmpfsTrial } from './support/diskFullTrials';
import { faults, option, quick, Random, seedFromArgs } from './support/harness';
import { emptyFigures, KillKind, killTrial, newSeries, Series } from './support/killTrials';

async function main(): Promise<void> {
  const seed = seedFromArgs();
  const rng = new Random(seed);
  const started = Date.now();
  const killTrials = Number(option('kill-trials') ?? (quick ? 12 : 90));
  const writers = quick ? 4 : 6;
  const writesEach = quick ? 300 : 1000;
  const diskTrials = Number(option('disk-trials') ?? (quick ? 2 : 6));
  console.log(
    `stress: seed ${seed}; ${killTrials} kill trials, ${writers} x ${writesEach} concurrent ops, ` +
      `${diskTrials} x 2 disk-full trials per way`,
  );

  const figures = emptyFigures();
  const kinds: KillKind[] = ['writer', 'helper', 'client'];
  let series: Series = newSeries();
  for (let n = 0; n < killTrials; n++) {
    // A new prefix every 6 trials: the hives grow with every writer, and each trial checks all of them again.
    if (n > 0 && n % 6 === 0) series = newSeries();
    await killTrial(kinds[n % kinds.length], series, rng, n, figures);
    if ((n + 1) % 10 === 0)
      console.log(`  ${n + 1} kill trials, ${figures.acknowledged} ops acknowledged, ${figures.lost} lost`);
  }
  const concurrent = await concurrentWriters(writers, writesEach, figures);

  const disk: DiskFullFigures = { tmpfsTrials: 0, fsizeTrials: 0, refused: 0, fitted: 0 };
  disk.tmpfsSkipped = tmpfsRefusal();
  for (let n = 0; n < diskTrials; n++) {
    for (const mode of ['in-process', 'pipe'] as const) {
      if (!disk.tmpfsSkipped) await tmpfsTrial(mode, rng, n, disk);
      await fsizeTrial(mode, rng, n, disk);
    }
  }

  const exits = figures.helperExitMs;
  const t = figures.trials;
  console.log(
    `stress: ${t.writer + t.helper + t.client} kill trials (writer ${t.writer}, helper ${t.helper} with ` +
      `${figures.helperKills} helper kills, client ${t.client}); ${figures.acknowledged} ops acknowledged, ` +
      `${figures.lost} lost; ${figures.checked} checks; ${figures.tempFilesLeft} temporary files left by kills ` +
      `(removed by the next writer); helper exit after its client's SIGKILL: ` +
      (exits.length
        ? `max ${Math.max(...exits)} ms, median ${exits.sort((a, b) => a - b)[exits.length >> 1]} ms`
        : 'n/a'),
  );
  console.log(
    `stress: concurrent writers: ${concurrent.processes} processes x ${concurrent.opsEach} ops into one hive, ` +
      `${concurrent.acknowledged} acknowledged in ${concurrent.seconds.toFixed(1)} s`,
  );
  console.log(
    `stress: disk full: ${disk.tmpfsSkipped ? `tmpfs skipped (${disk.tmpfsSkipped})` : `${disk.tmpfsTrials} tmpfs trials`}, ` +
      `${disk.fsizeTrials} RLIMIT_FSIZE trials; ${disk.refused} changes refused with ERR_IO, ${disk.fitted} fitted`,
  );
  console.log(`stress: ${faults.length} faults; ${((Date.now() - started) / 1000).toFixed(0)} s; seed ${seed}`);
  process.exitCode = faults.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
