// The checker of the kill trials, a fresh process each time (so that no store state of an earlier check is reused):
// opens the prefix in-process and checks every expectation of the writers' logs twice — through the store (the
// decoded value equals what the op wrote) and in the hive file itself, read by the independent reader of the
// Mocha suite (the same bytes as the store's raw read). Then it writes a probe value to each of the three hives:
// that succeeds only if the store parsed the hive without a problem, and the first write of a process also
// clears temporary files that killed writers left. Prints one JSON line (VerifyResult).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { openRegistry, RegistryError } from 'regbridge';
import type { Registry } from 'regbridge';

import { readWineHive, StoredHive } from '../../js/support/wineRegReader';
import { Expectation, expectations, readAckLog } from '../support/ackLog';
import { hiveFileProblems, strayFiles } from '../support/hiveCheck';
import { hiveFiles, hiveRoots, HiveName, plannedOp, WriterSpec } from '../support/plan';

export interface VerifyConfig {
  prefix: string;
  writers: { spec: WriterSpec; log: string }[];
  /** A number for the probe values (any; it only has to change the hives). */
  probe: number;
}

export interface VerifyResult {
  /** Ops acknowledged in all logs (writes and deletes). */
  acknowledged: number;
  /** Expectations checked (values that must be there, deletes that must have happened). */
  checked: number;
  /** Acknowledged writes not there, or there with other data; acknowledged deletes not done. */
  lost: string[];
  /** Writers that did not log `done`, or logged something unexpected. */
  writerProblems: string[];
  /** Header and last-line problems of the hive files, and failed probe writes. */
  hiveProblems: string[];
  /** Files beside the hives before the probe writes, and after them (must be none). */
  strayBefore: string[];
  strayAfter: string[];
}

const storePrefix = (hive: HiveName): string => ({ HKCU: 'HKCU\\', HKLM: 'HKLM\\', HKU: 'HKU\\.Default\\' })[hive];

function fileValue(hives: Map<string, StoredHive>, hive: HiveName, key: string, name: string): Buffer | undefined {
  const stored = hives.get(hiveFiles[hive]);
  const relative = key.slice(storePrefix(hive).length).toLowerCase();
  return stored?.get(relative)?.values.find((value) => value.name === name)?.bytes;
}

async function check(reg: Registry, hives: Map<string, StoredHive>, e: Expectation): Promise<string | undefined> {
  const op = plannedOp(e.spec, e.op);
  const where = `${e.spec.id} op ${e.op} (${e.key} ${e.name})`;
  const inFile = fileValue(hives, op.hive, e.key, e.name);
  if (!e.present) {
    try {
      await reg.readValue(e.key, e.name);
      return `${where}: deleted (acknowledged) but still there`;
    } catch (error) {
      if (!(error instanceof RegistryError) || !['ERR_VALUE_NOT_FOUND', 'ERR_KEY_NOT_FOUND'].includes(error.code))
        return `${where}: reading it failed with ${String(error)}`;
    }
    return inFile ? `${where}: deleted (acknowledged) but still in ${hiveFiles[op.hive]}` : undefined;
  }
  if (op.kind !== 'write') return `${where}: not a write`;
  let read;
  try {
    read = await reg.readValue(e.key, e.name);
  } catch (error) {
    return `${where}: acknowledged but ${String(error)}`;
  }
  const wanted = op.value;
  const data = wanted.data instanceof Uint8Array ? Buffer.from(wanted.data) : wanted.data;
  if (read.type !== wanted.type || !isDeepStrictEqual(read.data, data))
    return `${where}: reads back as ${read.type} ${String(read.data).slice(0, 80)}`;
  const raw = (await reg.readValue(e.key, e.name, { raw: true })).data as Buffer;
  if (!inFile) return `${where}: served by the store but not in ${hiveFiles[op.hive]}`;
  if (!inFile.equals(raw)) return `${where}: ${hiveFiles[op.hive]} holds other bytes than the store serves`;
  return undefined;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as VerifyConfig;
  const result: VerifyResult = {
    acknowledged: 0,
    checked: 0,
    lost: [],
    writerProblems: [],
    hiveProblems: hiveFileProblems(config.prefix),
    strayBefore: strayFiles(config.prefix),
    strayAfter: [],
  };
  const hives = new Map<string, StoredHive>();
  for (const name of Object.values(hiveFiles)) {
    const file = path.join(config.prefix, name);
    if (fs.existsSync(file)) hives.set(name, readWineHive(fs.readFileSync(file, 'latin1')));
  }
  const reg = await openRegistry({ mode: 'in-process', prefix: config.prefix });
  for (const writer of config.writers) {
    const log = readAckLog(writer.log);
    result.acknowledged += log.acknowledged.size;
    result.writerProblems.push(...log.unexpected.map((line) => `${writer.spec.id}: ${line}`));
    for (const e of expectations(writer.spec, log)) {
      result.checked++;
      const problem = await check(reg, hives, e);
      if (problem) result.lost.push(problem);
    }
  }
  for (const hive of Object.keys(hiveRoots) as HiveName[]) {
    try {
      await reg.writeValue(`${hiveRoots[hive]}\\probe`, 'probe', { type: 'REG_DWORD', data: config.probe });
    } catch (error) {
      result.hiveProblems.push(`a write to ${hiveFiles[hive]} after the trial failed: ${String(error)}`);
    }
  }
  await reg.close();
  result.hiveProblems = [...new Set([...result.hiveProblems, ...hiveFileProblems(config.prefix)])];
  result.strayAfter = strayFiles(config.prefix);
  fs.writeSync(1, `${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  fs.writeSync(2, `verify: ${String(error?.stack ?? error)}\n`);
  process.exit(3);
});
