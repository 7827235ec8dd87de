// The one error type of the command line: reg.exe's wording for people, a RegistryError code for scripts.
import type { ErrorCode } from '../index';

/**
 * A failure the command line reports and exits 1 on. `wording` is what reg.exe would say (without its "reg: "
 * prefix); `detail`, when there is one, says more than reg.exe does (which switch, which key, the store's reason).
 */
export class CliFailure extends Error {
  readonly code: ErrorCode;
  readonly wording: string;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, wording: string, detail?: string) {
    super(detail === undefined ? wording : `${wording}: ${detail}`);
    this.code = code;
    this.wording = wording;
    this.detail = detail;
  }
}

/** reg.exe's answer to a command line it cannot parse, naming the verb's help. */
export function invalidSyntax(verb: string, detail: string): CliFailure {
  return new CliFailure(
    'ERR_INVALID_ARGUMENT',
    `Invalid syntax. Type "regbridge ${verb.toUpperCase()} /?" for help`,
    detail,
  );
}
