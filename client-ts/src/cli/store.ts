// The registry the verbs work on (through the package's public API only), in either mode, behind one interface whose calls answer a value or a promise.
// In-process it is openRegistrySync's: no promise at all, so a query costs no more than the calls it makes (the
// command line's start time matters: it runs once per shell command). In pipe mode it is openRegistry's.
import { openRegistry, openRegistrySync } from '../index';
import type {
  DeleteKeyOptions,
  Mode,
  NamedRegValue,
  OpenKeyOptions,
  ReadOptions,
  RegistryView,
  RegValue,
  RegValueInput,
  ViewOptions,
} from '../index';

/** A result now (in-process) or later (pipe). */
export type Answer<T> = T | Promise<T>;

/** The calls the verbs make. */
export interface CliStore {
  listValues(key: string, options?: ReadOptions): Answer<NamedRegValue[]>;
  listSubkeys(key: string, options?: OpenKeyOptions): Answer<string[]>;
  readValue(key: string, name: string, options?: ReadOptions): Answer<RegValue>;
  keyExists(key: string, options?: ViewOptions): Answer<boolean>;
  writeValue(key: string, name: string, value: RegValueInput, options?: ViewOptions): Answer<void>;
  deleteValue(key: string, name: string, options?: ViewOptions): Answer<void>;
  createKey(key: string, options?: ViewOptions): Answer<void>;
  deleteKey(key: string, options?: DeleteKeyOptions): Answer<void>;
  exportKey(key: string, options?: ViewOptions): Answer<string>;
  importRegFile(text: string): Answer<void>;
  close(): Answer<void>;
}

/** Where the store is and how to reach it, from --mode and --prefix (each else the environment, as the API does). */
export interface StoreChoice {
  readonly mode: Mode | undefined;
  readonly prefix: string | undefined;
  readonly view?: RegistryView;
}

/** Opens the store: synchronous in-process unless pipe mode was asked for (--mode or $REGBRIDGE_MODE). */
export async function openStore(choice: StoreChoice): Promise<CliStore> {
  // An empty $REGBRIDGE_MODE counts as unset, as openRegistry takes it.
  const mode = choice.mode ?? ((process.env.REGBRIDGE_MODE || undefined) as Mode | undefined) ?? 'in-process';
  if (mode === 'in-process') return openRegistrySync({ prefix: choice.prefix });
  // Anything else goes to openRegistry, which names a misspelt mode in its error.
  return openRegistry({ mode, prefix: choice.prefix });
}
