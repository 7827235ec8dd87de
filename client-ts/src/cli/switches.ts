// reg.exe's command-line syntax, parsed from a table per verb. Its switches start with '/' or '-', are matched
// without regard to case (`/V`, `-v` and `/v` are one switch), may take the next argument as their value whatever
// it looks like (`/d -1`, `/v /odd`), and may not be repeated; the positional arguments (key names, file names) come
// first. No common argument parser reads that: they want `--long` options, treat `-v1` as `-v 1`, and cannot take a
// value that starts with '-' or '/'. So the table below is the whole grammar, and one loop applies it.
import { invalidSyntax } from './failure';

/** One switch of a verb: its name without the slash, and whether the next argument is its value. */
export interface SwitchSpec {
  readonly name: string;
  readonly takesValue: boolean;
}

/** A verb's grammar: how many positional arguments it needs, and its switches. */
export interface VerbGrammar {
  readonly verb: string;
  readonly positionals: readonly string[]; // their names, for messages ("key", "file")
  readonly switches: readonly SwitchSpec[];
  /** Switches that exclude each other (`/v` and `/ve`): at most one of each group. */
  readonly exclusive?: readonly (readonly string[])[];
}

/** What a command line said: positional arguments in order, and each switch given (a value, or true). */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly switches: Map<string, string | true>;
  /** The command line's own options (`--json`, `--mode pipe`), wherever they stood; see globalOptions. */
  readonly globals: Map<string, string | true>;
}

/** regbridge's own options, which are no reg.exe switches: two dashes, before or after the verb. */
export const globalOptions: readonly SwitchSpec[] = [
  { name: 'mode', takesValue: true },
  { name: 'prefix', takesValue: true },
  { name: 'json', takesValue: false },
  { name: 'help', takesValue: false },
];

/**
 * Takes a `--option` (or `--option=value`) at args[i] into `globals`; returns how many arguments it used (0: it is
 * none). Throws for an unknown one, naming `verb`'s help.
 */
export function takeGlobal(
  args: readonly string[],
  i: number,
  globals: Map<string, string | true>,
  verb: string,
): number {
  const arg = args[i];
  if (!arg.startsWith('--') || arg.length === 2) return 0;
  const eq = arg.indexOf('=');
  const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).toLowerCase();
  const spec = globalOptions.find((g) => g.name === name);
  if (spec === undefined)
    throw invalidSyntax(verb, `unknown option '${arg}' (the options are --mode, --prefix, --json, --help)`);
  if (globals.has(name)) throw invalidSyntax(verb, `option --${name} given twice`);
  if (!spec.takesValue) {
    if (eq >= 0) throw invalidSyntax(verb, `option --${name} takes no value`);
    globals.set(name, true);
    return 1;
  }
  if (eq >= 0) {
    globals.set(name, arg.slice(eq + 1));
    return 1;
  }
  if (i + 1 >= args.length) throw invalidSyntax(verb, `option --${name} needs a value after it`);
  globals.set(name, args[i + 1]);
  return 2;
}

/** The switches every verb that opens a key takes: the registry view, as reg.exe's `/reg:32` and `/reg:64`. */
export const viewSwitches: readonly SwitchSpec[] = [
  { name: 'reg:32', takesValue: false },
  { name: 'reg:64', takesValue: false },
];

/** Parses a verb's arguments (those after the verb) by its grammar; an error names what is wrong. */
export function parseSwitches(
  grammar: VerbGrammar,
  args: readonly string[],
  globals: Map<string, string | true> = new Map(),
): ParsedArgs {
  const positionals: string[] = [];
  const switches = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const used = takeGlobal(args, i, globals, grammar.verb);
    if (used > 0) {
      i += used - 1;
      continue;
    }
    const arg = args[i];
    const spec =
      arg.length > 1 && (arg[0] === '/' || arg[0] === '-')
        ? grammar.switches.find((s) => s.name === arg.slice(1).toLowerCase())
        : undefined;
    if (spec === undefined) {
      // reg.exe takes its positional arguments first, before any switch; a file name may start with '/' too.
      if (switches.size === 0 && positionals.length < grammar.positionals.length) {
        positionals.push(arg);
        continue;
      }
      const what = looksLikeSwitch(arg) ? `unknown switch '${arg}'` : `unexpected argument '${arg}'`;
      throw invalidSyntax(grammar.verb, what);
    }
    if (switches.has(spec.name)) throw invalidSyntax(grammar.verb, `switch /${spec.name} given twice`);
    if (spec.takesValue) {
      if (i + 1 >= args.length) throw invalidSyntax(grammar.verb, `switch /${spec.name} needs a value after it`);
      switches.set(spec.name, args[++i]);
    } else {
      switches.set(spec.name, true);
    }
  }
  if (positionals.length < grammar.positionals.length) {
    throw invalidSyntax(grammar.verb, `missing ${grammar.positionals.slice(positionals.length).join(' and ')}`);
  }
  for (const group of grammar.exclusive ?? []) {
    const given = group.filter((name) => switches.has(name));
    if (given.length > 1) throw invalidSyntax(grammar.verb, `/${given.join(' and /')} do not go together`);
  }
  if (switches.has('reg:32') && switches.has('reg:64')) {
    throw invalidSyntax(grammar.verb, '/reg:32 and /reg:64 do not go together');
  }
  return { positionals, switches, globals };
}

/** A switch-like argument that is no switch of the verb; a key never starts with '/' or '-' (a root name leads). */
function looksLikeSwitch(arg: string): boolean {
  return arg.length > 1 && (arg[0] === '/' || arg[0] === '-');
}

/** The view a command line asked for with /reg:32 or /reg:64; none: the store's default (64). */
export function viewOf(args: ParsedArgs): 32 | 64 | undefined {
  if (args.switches.has('reg:32')) return 32;
  if (args.switches.has('reg:64')) return 64;
  return undefined;
}
