// The operations measured, in report order. Each file exports one function per mode.
import * as deleteValue from './deleteValue';
import * as getKeyInfo from './getKeyInfo';
import * as keyExists from './keyExists';
import * as listSubkeys from './listSubkeys';
import * as listValues from './listValues';
import * as readStringValue from './readStringValue';
import * as readValue from './readValue';
import * as writeValue from './writeValue';

/** The read operations: every mode, every concurrency, the peers too. */
export const reads = { readStringValue, readValue, listValues, listSubkeys, keyExists, getKeyInfo } as const;

/** The name of a read operation. */
export type ReadName = keyof typeof reads;

/** The write operations, measured as a write phase and its undo. */
export const writes = { writeValue, deleteValue } as const;
