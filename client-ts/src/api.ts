// Opening a registry: the options checked, the transport chosen, the client made. The pipe transport (node:net, the
// helper's supervisor) is loaded only when a pipe registry is opened, so that in-process programs never pay for it.
import * as path from 'node:path';

import { describeValue, invalidArgument, optionsObject, timeoutOption, viewOption } from './options';
import { RegistryClient, RegistrySyncClient } from './registry';
import type { OpenRegistryOptions, OpenRegistrySyncOptions, Registry, RegistrySync } from './registryTypes';
import { openInProcess } from './transport/inProcess';
import type { Mode } from './types';

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
  if (mode === 'pipe') {
    // require rather than import(): this file is CommonJS, and import() would load the module as ESM, asynchronously.
    const { openPipe } = require('./transport/pipe') as typeof import('./transport/pipe');
    return new RegistryClient(await openPipe({ prefix, timeoutMs, pipe }), view);
  }
  return new RegistryClient(openInProcess(prefix), view);
}

/** Opens a registry in this process with synchronous calls (each call blocks the thread until the store answers). */
export function openRegistrySync(options?: OpenRegistrySyncOptions): RegistrySync {
  if (options !== null && typeof options === 'object' && 'mode' in options) {
    throw invalidArgument("openRegistrySync: there is no 'mode' option; synchronous calls are in-process only");
  }
  const checked = optionsObject(options, ['prefix', 'view'], 'openRegistrySync');
  const prefix = checkPrefix(checked.prefix, 'openRegistrySync');
  const view = viewOption(checked.view, undefined, 'openRegistrySync');
  return new RegistrySyncClient(openInProcess(prefix), view);
}
