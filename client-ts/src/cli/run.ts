// The command line: finds the verb, parses its switches, opens the store, runs the verb, and turns failures into
// reg.exe's exit code 1 and a message on stderr (`regbridge: WORDING (CODE)`, then the details).
import { CliFailure } from './failure';
import { helpText } from './help';
import { printJson, writeAll } from './output';
import { asFailure } from './storeErrors';
import { openStore } from './store';
import type { CliStore } from './store';
import { parseSwitches, takeGlobal } from './switches';
import type { ParsedArgs, VerbGrammar } from './switches';

/** A verb: its grammar and what it does; `run` gives the exit code, or true/false for "done" and "declined". */
interface Verb {
  readonly grammar: VerbGrammar;
  run(args: ParsedArgs, store: CliStore, json: boolean): Promise<number | boolean>;
}

// Each verb's module is loaded only when that verb runs: a command line starts once per shell command, and what
// `query` does not need (the prompt, .reg files, add's data forms) should cost it nothing.
const verbs: Record<string, () => Verb> = {
  query: () => {
    const m = require('./query') as typeof import('./query');
    return { grammar: m.queryGrammar, run: m.runQuery };
  },
  add: () => {
    const m = require('./add') as typeof import('./add');
    return { grammar: m.addGrammar, run: m.runAdd };
  },
  delete: () => {
    const m = require('./delete') as typeof import('./delete');
    return { grammar: m.deleteGrammar, run: m.runDelete };
  },
  copy: () => {
    const m = require('./copy') as typeof import('./copy');
    return { grammar: m.copyGrammar, run: m.runCopy };
  },
  export: () => {
    const m = require('./regFiles') as typeof import('./regFiles');
    return { grammar: m.exportGrammar, run: m.runExport };
  },
  import: () => {
    const m = require('./regFiles') as typeof import('./regFiles');
    return { grammar: m.importGrammar, run: m.runImport };
  },
};

const helpTokens = new Set(['/?', '-?', '/h', '-h']);

/** Runs a command line (the arguments after `regbridge`); returns the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const globals = new Map<string, string | true>();
  let json = false;
  try {
    // regbridge's own options may come before the verb.
    let i = 0;
    for (let used; i < argv.length && (used = takeGlobal(argv, i, globals, '')) > 0; i += used);
    json = globals.has('json');
    const verbName = argv[i]?.toLowerCase();
    if (verbName === undefined || helpTokens.has(verbName)) {
      if (verbName === undefined && !globals.has('help')) {
        throw new CliFailure('ERR_INVALID_ARGUMENT', 'Invalid syntax. Type "regbridge /?" for help', 'no verb given');
      }
      writeAll(1, `${helpText('')}\n`);
      return 0;
    }
    const loadVerb = Object.hasOwn(verbs, verbName) ? verbs[verbName] : undefined;
    if (loadVerb === undefined) {
      throw new CliFailure(
        'ERR_INVALID_ARGUMENT',
        `Invalid option [${argv[i]}]. Type "regbridge /?" for help`,
        `the verbs are ${Object.keys(verbs).join(', ')}`,
      );
    }
    const rest = argv.slice(i + 1);
    if (
      (rest.length === 1 && helpTokens.has(rest[0].toLowerCase())) ||
      globals.has('help') ||
      rest.includes('--help')
    ) {
      writeAll(1, `${helpText(verbName)}\n`);
      return 0;
    }
    const verb = loadVerb();
    const args = parseSwitches(verb.grammar, rest, globals);
    json = globals.has('json');
    const mode = globals.get('mode');
    const prefix = globals.get('prefix');
    const store = await openStore({
      mode: mode === undefined ? undefined : (mode as 'in-process' | 'pipe'),
      prefix: prefix === undefined ? undefined : (prefix as string),
    });
    try {
      const outcome = await verb.run(args, store, json);
      if (typeof outcome === 'number') return outcome;
      // The writing verbs print reg.exe's last word (or --json's).
      if (json) printJson({ ok: true, done: outcome });
      else writeAll(1, outcome ? 'The operation completed successfully.\r\n' : 'The operation was cancelled.\r\n');
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    // The reader of stdout went away (`| head`): nothing is wrong that a message could help with.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 1;
    report(asFailure(error), json);
    return 1;
  }
}

/** Prints a failure on stderr: reg.exe's sentence and the code, then what more is known (or the JSON form). */
function report(error: unknown, json: boolean): void {
  const failure =
    error instanceof CliFailure
      ? error
      : new CliFailure(
          'ERR_INTERNAL',
          'Unable to complete the specified operation. An unexpected error occurred',
          error instanceof Error ? (error.stack ?? error.message) : String(error),
        );
  if (json) {
    writeAll(
      2,
      `${JSON.stringify({ error: { code: failure.code, message: failure.wording, detail: failure.detail } })}\n`,
    );
    return;
  }
  const detail = failure.detail === undefined ? '' : `\n  ${failure.detail}`;
  writeAll(2, `regbridge: ${failure.wording} (${failure.code})${detail}\n`);
}
