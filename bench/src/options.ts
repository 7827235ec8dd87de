// The command line of `npm run bench` / `node build/bench-js/index.js`.
import * as path from 'node:path';

import type { Settings } from './kinds/env';
import { resultsDir } from './paths';

/** Parsed options. */
export interface Options {
  quick: boolean;
  /** Where the JSON goes: bench/results/latest.json (quick.json with --quick), and the --json file if given. */
  json: string[];
  html: string;
  filter?: RegExp;
  prefix?: string;
  seed: number;
  makeWinePrefix: boolean;
  settings: Settings;
}

export const usage = `usage: npm run bench -- [options]   (npm start runs it after installing and building)

  --quick          a short run (under a minute) that checks everything runs; numbers are rough
  --json FILE      also write the results there (always: bench/results/latest.json, or quick.json with --quick)
  --html FILE      write the HTML report there (default: bench/results/latest.html, or quick.html with --quick)
  --filter REGEX   run only the trials whose name matches (inprocess.readStringValue, remote.listValues,
                   writes.HKCU, writes.HKLM, open, clients, startup, memory, load, wine)
  --prefix DIR     run on a copy of the hives of a real Wine prefix instead of the generated store
  --seed N         the generated store's seed (default 20261125)
  --no-wine-prefix do not make a Wine prefix with wineboot when none is cached (Wine figures then not run)
  --target win32   instead: the read operations in both modes on Linux and under Windows' node.exe in Wine, side
                   by side (with --quick: shorter); needs the Windows build in build-win/
  --help           this text`;

/** Parses argv (without node and the script). Throws with a message on a bad option. */
export function parseOptions(argv: string[]): Options | 'help' {
  let quick = false;
  let json: string | undefined;
  let html: string | undefined;
  let filter: RegExp | undefined;
  let prefix: string | undefined;
  let seed = 20261125;
  let makeWinePrefix = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--quick':
        quick = true;
        break;
      case '--json':
        json = path.resolve(value());
        break;
      case '--html':
        html = path.resolve(value());
        break;
      case '--filter':
        filter = new RegExp(value());
        break;
      case '--prefix':
        prefix = path.resolve(value());
        break;
      case '--seed':
        seed = Number(value());
        if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a whole number');
        break;
      case '--no-wine-prefix':
        makeWinePrefix = false;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  const base = quick ? 'quick' : 'latest';
  return {
    quick,
    json: [...new Set([path.join(resultsDir, `${base}.json`), ...(json ? [json] : [])])],
    html: html ?? path.join(resultsDir, `${base}.html`),
    filter,
    prefix,
    seed,
    makeWinePrefix,
    settings: quick
      ? { quick, rounds: 5, budgetMs: 6, processes: 5 }
      : { quick, rounds: 7, budgetMs: 25, processes: 7 },
  };
}
