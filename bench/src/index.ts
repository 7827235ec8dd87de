// `npm run bench` (and `npm start`): makes the run's store, runs the trial list one fresh process per trial, then
// prints the table and writes bench/results/latest.json and the HTML report. See bench/README.md.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describeMachine } from './machine';
import { Options, parseOptions, usage } from './options';
import { addonFile, floorFile, root, serverFile } from './paths';
import { writeHtml } from './report/html';
import { peersNotRunnable } from './report/peers';
import { Progress } from './report/progress';
import type { Results, TrialResult } from './report/results';
import { printReport } from './report/table';
import { computeTargets } from './report/targets';
import { runTrial } from './runTrial';
import { makeSetup, Setup } from './store/setup';
import { trials } from './trialList';
import { runWin32Target } from './win32/target';

const log = (line: string) => process.stderr.write(`${line}\n`);

function checkBuilt(): void {
  const missing = [addonFile, floorFile, serverFile, path.join(root, 'dist', 'index.js')].filter(
    (f) => !fs.existsSync(f),
  );
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}; run \`npm run build\` first`);
}

function describeStore(setup: Setup): string {
  const s = setup.store;
  const g = s.generated;
  const hives = Object.entries(s.hiveBytes)
    .map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KiB`)
    .join(', ');
  if (!g) return `store: a copy of ${s.source} (${hives})`;
  const keys = Object.values(g.hives).reduce((a, h) => a + h.keys, 0);
  const values = Object.values(g.hives).reduce((a, h) => a + h.values, 0);
  return `store: generated from seed ${g.seed}: ${keys} keys, ${values} values (${hives})${s.rewritesIdentical ? ', rewritten byte for byte by the store' : ''}`;
}

async function run(options: Options): Promise<void> {
  checkBuilt();
  const started = performance.now();
  const machine = describeMachine();
  console.log(
    `regbridge benchmark — ${machine.date}, ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, commit ${machine.commit}${options.quick ? ', --quick' : ''}`,
  );
  const setup = makeSetup({
    quick: options.quick,
    seed: options.seed,
    prefix: options.prefix,
    makeWinePrefix: options.makeWinePrefix,
    log,
  });
  const cleanUp = () => fs.rmSync(setup.runDir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  try {
    log(describeStore(setup));
    log(
      'real' in setup && 'hivesDir' in setup.real
        ? `real prefix: ${setup.real.source} (${setup.real.madeBy})`
        : `real prefix: none (${(setup.real as { notRun: string }).notRun})`,
    );
    const setupFile = path.join(setup.runDir, 'setup.json');
    fs.writeFileSync(setupFile, JSON.stringify(setup));

    const selected = trials.filter((t) => !options.filter || options.filter.test(t.name));
    const weight = (t: (typeof trials)[number]) => (options.quick ? t.quickSeconds : t.seconds);
    const progress = new Progress(selected.map(weight));
    const results: TrialResult[] = [];
    for (const [index, trial] of selected.entries()) {
      progress.start(trial.name, weight(trial), index);
      const result = await runTrial(
        trial.name,
        setupFile,
        options.settings,
        Math.max(90_000, weight(trial) * 10_000),
        (f) => progress.update(f),
      );
      results.push(result);
      progress.done(result.seconds, result.notRun ? `not run: ${result.notRun}` : 'ok');
    }
    progress.end();

    const all: Results = {
      schema: 1,
      machine,
      options: { quick: options.quick, filter: options.filter?.source, prefix: options.prefix, seed: options.seed },
      store: { ...setup.store, dir: undefined, real: setup.real },
      fixtures: setup.fixtures,
      seconds: 0,
      cells: results.flatMap((r) => r.cells),
      ratios: results.flatMap((r) => r.ratios),
      figures: results.flatMap((r) => r.figures),
      targets: [],
      notes: [
        describeStore(setup),
        ...results.flatMap((r) => r.notes),
        ...results.filter((r) => r.notRun).map((r) => `trial ${r.trial} not run: ${r.notRun}`),
      ],
      peersNotRunnable,
    };
    all.targets = computeTargets(all, setup);
    all.seconds = (performance.now() - started) / 1000;
    for (const file of options.json) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(all, null, 1)}\n`);
    }
    writeHtml(all, options.html);
    printReport(all);
    console.log(`\nJSON: ${options.json.join(', ')}`);
    console.log(`HTML report: ${options.html}`);
    // A trial that crashed or hung is a failure of the harness (a case that cannot run here is not).
    const failed = results.filter((r) => r.notRun);
    if (failed.length) {
      log(`bench: ${failed.length} trial(s) did not complete: ${failed.map((r) => r.trial).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    cleanUp();
  }
}

function main(): void {
  // --target win32: the read operations in both modes on Linux and under Wine's node.exe, side by side (win32/).
  const argv = process.argv.slice(2);
  const target = argv.indexOf('--target');
  if (target >= 0) {
    if (argv[target + 1] !== 'win32') {
      log(`bench: --target takes win32, got ${argv[target + 1] ?? 'nothing'}`);
      process.exitCode = 2;
      return;
    }
    try {
      runWin32Target(argv.includes('--quick'));
    } catch (error) {
      log(`bench --target win32: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
    return;
  }
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    log(`bench: ${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(usage);
    return;
  }
  run(options).catch((error: unknown) => {
    log(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}

main();
