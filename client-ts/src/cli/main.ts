#!/usr/bin/env node
// The `regbridge` command: reg.exe's verbs over a regbridge store. See run.ts.
import { run } from './run';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // run() reports every failure itself; reaching this is a bug in it.
    process.stderr.write(`regbridge: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
