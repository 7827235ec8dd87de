// Registry values as JS sees them: `{ type, data }`, typed by the value's type.

/** The names of the type codes Windows defines (winnt.h), in code order: REG_NONE is 0, REG_QWORD 11. */
export const valueTypeNames = [
  'REG_NONE',
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_BINARY',
  'REG_DWORD',
  'REG_DWORD_BIG_ENDIAN',
  'REG_LINK',
  'REG_MULTI_SZ',
  'REG_RESOURCE_LIST',
  'REG_FULL_RESOURCE_DESCRIPTOR',
  'REG_RESOURCE_REQUIREMENTS_LIST',
  'REG_QWORD',
] as const;

/** A named type code; any other code is given as a number. */
export type ValueTypeName = (typeof valueTypeNames)[number];

/** The named types whose data is always bytes. */
export type BinaryTypeName = Exclude<
  ValueTypeName,
  'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_MULTI_SZ' | 'REG_DWORD' | 'REG_DWORD_BIG_ENDIAN' | 'REG_QWORD'
>;

/**
 * A value as read. Data is decoded by type, and is a Buffer instead when the stored bytes do not fit the type (a
 * string of an odd number of bytes, a DWORD not 4 bytes long) and on every `raw` read. Strings are the stored UTF-16
 * code units exactly, lone surrogates included.
 */
export type RegValue =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string | Buffer }
  | { type: 'REG_MULTI_SZ'; data: string[] | Buffer }
  | { type: 'REG_DWORD' | 'REG_DWORD_BIG_ENDIAN'; data: number | Buffer }
  | { type: 'REG_QWORD'; data: bigint | Buffer }
  | { type: BinaryTypeName; data: Buffer }
  | { type: number; data: Buffer };

/** A value as listed: a RegValue with its name ('' is the key's default value). */
export type NamedRegValue = RegValue & { name: string };

/**
 * A value to write. Every RegValue is one, so a value read (raw or not) can be written back unchanged. Bytes are
 * stored as they are for any type; DWORDs take 0..4294967295, QWORDs 0..2n ** 64n - 1n (a bigint, or a safe integer
 * as a number); negative numbers are refused. Strings are stored as their UTF-16 code units, lone surrogates included.
 */
export type RegValueInput =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string | Uint8Array }
  | { type: 'REG_MULTI_SZ'; data: readonly string[] | Uint8Array }
  | { type: 'REG_DWORD' | 'REG_DWORD_BIG_ENDIAN'; data: number | Uint8Array }
  | { type: 'REG_QWORD'; data: bigint | number | Uint8Array }
  | { type: ValueTypeName | number; data: Uint8Array };
