// What a writer child writes: op i of writer `id` is a fixed function of (id, i), so that the process that checks
// the store afterwards can recompute every value from the acknowledgement log alone. Every tenth op deletes the value
// written five ops earlier, so that acknowledged deletes are checked too.
import type { RegValueInput } from 'regbridge';

/** Where each hive's test keys live: HKCU is user.reg, HKLM system.reg, HKU\.Default userdef.reg. */
export const hiveRoots = {
  HKCU: 'HKCU\\Software\\regbridge-stress',
  HKLM: 'HKLM\\Software\\regbridge-stress',
  HKU: 'HKU\\.Default\\Software\\regbridge-stress',
} as const;

export type HiveName = keyof typeof hiveRoots;

/** The hive file behind each root, and its path prefix inside that file. */
export const hiveFiles: Record<HiveName, string> = { HKCU: 'user.reg', HKLM: 'system.reg', HKU: 'userdef.reg' };

/** One writer's identity: its id (unique in the store) and the hives its ops rotate over. */
export interface WriterSpec {
  id: string;
  hives: HiveName[];
}

export type PlannedOp =
  | { kind: 'write'; hive: HiveName; key: string; name: string; value: RegValueInput }
  | { kind: 'delete'; hive: HiveName; key: string; name: string; target: number };

function place(spec: WriterSpec, i: number): { hive: HiveName; key: string; name: string } {
  const hive = spec.hives[Math.floor(i / 10) % spec.hives.length];
  // A handful of keys per writer, so that saves touch several keys and listings are not trivial.
  return { hive, key: `${hiveRoots[hive]}\\${spec.id}\\k${Math.floor(i / 10) % 5}`, name: `v${i}` };
}

/** The bytes of a binary value of op i: a pattern that differs from op to op. */
function bytesFor(i: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let b = 0; b < length; b++) bytes[b] = (i * 31 + b * 7) & 0xff;
  return bytes;
}

/** Op i of a writer. Ops 9, 19, 29, ... delete the value of op i - 5 (same key: i and i - 5 share floor(i / 10)). */
export function plannedOp(spec: WriterSpec, i: number): PlannedOp {
  if (i % 10 === 9) {
    const target = place(spec, i - 5);
    return { kind: 'delete', hive: target.hive, key: target.key, name: target.name, target: i - 5 };
  }
  const where = place(spec, i);
  let value: RegValueInput;
  if (i % 50 === 3) {
    // Now and then a larger value, so that a save takes longer and a kill lands in the middle of one more often.
    value = { type: 'REG_BINARY', data: bytesFor(i, 16 * 1024) };
  } else {
    switch (i % 5) {
      case 0:
        value = { type: 'REG_DWORD', data: Math.imul(i, 2654435761) >>> 0 };
        break;
      case 1:
        value = { type: 'REG_SZ', data: `${spec.id}:${i}:${'é€'.repeat(i % 13)}${'x'.repeat(i % 97)}` };
        break;
      case 2:
        value = { type: 'REG_QWORD', data: BigInt(i) * 0x1_0000_0001n };
        break;
      case 3:
        value = { type: 'REG_BINARY', data: bytesFor(i, i % 300) };
        break;
      default:
        value = { type: 'REG_MULTI_SZ', data: [spec.id, String(i), 'm'.repeat(1 + (i % 40))] };
    }
  }
  return { kind: 'write', ...where, value };
}
