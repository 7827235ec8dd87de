// `regbridge export KEY FILE [/y]` and `regbridge import FILE`: .reg files on disk. The text itself is the API's
// (exportKey, importRegFile); here it is encoded as reg export writes it — UTF-16LE after a byte order mark — and
// decoded from whatever a .reg file may be: UTF-16LE or UTF-8, with or without the mark (REGEDIT4 files included).
import * as fs from 'node:fs';

import { confirm } from './confirm';
import { CliFailure } from './failure';
import { parseKeyName } from './keyPath';
import { notFound } from './storeErrors';
import type { CliStore } from './store';
import { viewOf, viewSwitches } from './switches';
import type { ParsedArgs, VerbGrammar } from './switches';

export const exportGrammar: VerbGrammar = {
  verb: 'export',
  positionals: ['key', 'file'],
  switches: [{ name: 'y', takesValue: false }, ...viewSwitches],
};

export const importGrammar: VerbGrammar = {
  verb: 'import',
  positionals: ['file'],
  switches: [],
};

function fileFailure(file: string, error: unknown): CliFailure {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found' : 'could not be read or written';
  return new CliFailure(
    'ERR_IO',
    `The file '${file}' ${reason}`,
    error instanceof Error ? error.message : String(error),
  );
}

/** Runs export; returns whether the file was written (false: the user said not to overwrite it). */
export async function runExport(args: ParsedArgs, store: CliStore): Promise<boolean> {
  const key = parseKeyName(args.positionals[0]);
  const file = args.positionals[1];
  const view = viewOf(args);
  if (!(await store.keyExists(key.apiPath, { view }))) throw notFound('key', key.apiPath);
  const text = await store.exportKey(key.apiPath, { view });
  if (!args.switches.has('y') && fs.existsSync(file)) {
    if (!confirm(`The file '${file}' already exists. Do you want to overwrite it?`)) return false;
  }
  try {
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  } catch (error) {
    throw fileFailure(file, error);
  }
  return true;
}

/** A .reg file's bytes as text: UTF-16 by its byte order mark (or by the zero bytes of an unmarked one), else UTF-8. */
export function decodeRegFile(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    // UTF-16BE: swapped into little-endian order (a stray odd last byte is dropped; the parser then reports the
    // line it breaks).
    const even = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return even.swap16().toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return bytes.toString('utf8', 3);
  // Both headers start with ASCII letters: UTF-16LE without a mark has a zero after each of them.
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) {
    return bytes.toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Runs import. */
export async function runImport(args: ParsedArgs, store: CliStore): Promise<boolean> {
  const file = args.positionals[0];
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw fileFailure(file, error);
  }
  await store.importRegFile(decodeRegFile(bytes));
  return true;
}
