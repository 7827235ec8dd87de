// Opening a registry: the options checked, the transport chosen, the client made. Each transport, and the client
// classes, are loaded at the first open that needs them, not by require('regbridge'): in-process programs never load
// the pipe transport (node:net, the helper's supervisor), pipe-mode programs never load the addon, and a program that
// only requires the package (a command printing its help, an extension activating) loads neither.
import * as path from 'node:path';

import { describeValue, invalidArgument, optionsObject, timeoutOption, viewOption } from './options';
import type * as ClientClasses from './registry';
import type { OpenRegistryOptions, OpenRegistrySyncOptions, Registry, RegistrySync } from './registryTypes';
import type * as InProcessTransport from './transport/inProcess';
import type * as PipeTransport from './transport/pipe';
import type { Mode } from './types';

// require() rather than import(): this file is CommonJS, and import() would load the modules as ESM, asynchronously.
// Node caches each module, so later opens only look it up.
const clientClasses = () => require('./registry') as typeof ClientClasses;
const inProcessTransport = () => require('./transport/inProcess') as typeof InProcessTransport;
const pipeTransport = () => require('./transport/pipe') as typeof PipeTransport;

const modes: readonly Mode[] = ['in-process', 'pipe'];

function checkMode(value: unknown, source: string): Mode {
  if (typeof value === 'string' && (modes as readonly string[]).includes(value)) return value as Mode;
  const shown = typeof value === 'string' ? `'${value}'` : describeValue(value);
  throw invalidArgument(`openRegistry: ${source} must be 'in-process' or 'pipe', got ${shown}`);
}

function checkPrefix(value: unknown, where: string): string {
  if (value === undefined) return ''; // the addon (or helper) picks the default prefix
  if (typeof value !== 'string' || value === '') {
    throw invalidArgument(
      `${where}: option 'prefix' must be a non-empty string (a folder), got ${describeValue(value)}`,
    );
  }
  // Windows builds have no hive store, so a prefix is refused here, the same in every mode: the helper would
  // otherwise refuse it only by exiting before it is ready (the words are the native factory's, registry/win/).
  if (process.platform === 'win32') {
    throw invalidArgument(
      `${where}: a prefix ('${value}') selects the hive store, which this Windows build does not include (its file ` +
        'code is POSIX); leave the prefix out to use the Windows registry',
    );
  }
  // Absolute, so that it means the same folder to a helper process with another working directory.
  return path.resolve(value);
}

/** How long a pipe-mode call waits for its answer unless `timeoutMs` says otherwise. */
const defaultTimeoutMs = 30_000;

function checkPipe(value: unknown, mode: Mode, prefixGiven: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw invalidArgument(
      "openRegistry: option 'pipe' must be a non-empty string (a socket path or a pipe name), got " +
        describeValue(value),
    );
  }
  if (mode !== 'pipe') {
    throw invalidArgument(
      `openRegistry: option 'pipe' connects to a running helper and needs mode 'pipe', not '${mode}'`,
    );
  }
  if (prefixGiven) {
    throw invalidArgument(
      "openRegistry: options 'pipe' and 'prefix' do not go together: a running helper has its own prefix",
    );
  }
  return path.resolve(value);
}

/** Opens a registry: in this process (the addon) or in a helper process over a pipe. */
export async function openRegistry(options?: OpenRegistryOptions): Promise<Registry> {
  const checked = optionsObject(options, ['mode', 'prefix', 'timeoutMs', 'pipe', 'view'], 'openRegistry');
  const fromEnv = process.env.REGBRIDGE_MODE;
  const mode =
    checked.mode !== undefined
      ? checkMode(checked.mode, "option 'mode'")
      : fromEnv
        ? checkMode(fromEnv, '$REGBRIDGE_MODE')
        : 'in-process';
  const prefix = checkPrefix(checked.prefix, 'openRegistry');
  // Checked in both modes, so that a mistake shows whatever $REGBRIDGE_MODE says; in-process calls have no timeout.
  const timeoutMs = timeoutOption(checked.timeoutMs, 'timeoutMs', 'openRegistry', defaultTimeoutMs);
  const pipe = checkPipe(checked.pipe, mode, checked.prefix !== undefined);
  const view = viewOption(checked.view, undefined, 'openRegistry');
  const { RegistryClient } = clientClasses();
  if (mode === 'pipe') return new RegistryClient(await pipeTransport().openPipe({ prefix, timeoutMs, pipe }), view);
  return new RegistryClient(inProcessTransport().openInProcess(prefix), view);
}

/** Opens a registry in this process with synchronous calls (each call blocks the thread until the store answers). */
export function openRegistrySync(options?: OpenRegistrySyncOptions): RegistrySync {
  if (options !== null && typeof options === 'object' && 'mode' in options) {
    throw invalidArgument("openRegistrySync: there is no 'mode' option; synchronous calls are in-process only");
  }
  const checked = optionsObject(options, ['prefix', 'view'], 'openRegistrySync');
  const prefix = checkPrefix(checked.prefix, 'openRegistrySync');
  const view = viewOption(checked.view, undefined, 'openRegistrySync');
  const { RegistrySyncClient } = clientClasses();
  return new RegistrySyncClient(inProcessTransport().openInProcess(prefix), view);
}
