// The default store of the benchmark: a prefix-shaped folder written directly in Wine's text format from a seed
// (same seed, same bytes), so every run and every machine measures the same store without needing Wine.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Rng } from './rng';
import { systemHive } from './systemHive';
import { userDefaultHive, userHive } from './userHive';

/** What was generated. */
export interface GeneratedStore {
  dir: string;
  seed: number;
  scale: number;
  hives: Record<'system.reg' | 'user.reg' | 'userdef.reg', { bytes: number; keys: number; values: number }>;
  valuesByType: Record<string, number>;
  maxDepth: number;
}

/** Writes system.reg, user.reg and userdef.reg into `dir` (created if missing). */
export function generateStore(dir: string, seed: number, scale = 1): GeneratedStore {
  fs.mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const trees = {
    // 1.2 and 1.3: system.reg then has the size of a fresh `wineboot -i` one (1.7 MB), user.reg that of a prefix in use.
    'system.reg': systemHive(rng, scale * 1.2),
    'user.reg': userHive(rng, scale * 1.3),
    'userdef.reg': userDefaultHive(rng),
  } as const;
  const hives = {} as GeneratedStore['hives'];
  const valuesByType: Record<string, number> = {};
  let maxDepth = 0;
  for (const [file, tree] of Object.entries(trees) as Array<[keyof typeof trees, (typeof trees)[keyof typeof trees]]>) {
    const text = tree.serialise();
    fs.writeFileSync(path.join(dir, file), text, 'utf8');
    const stats = tree.stats();
    hives[file] = { bytes: Buffer.byteLength(text), keys: stats.keys, values: stats.values };
    for (const [type, count] of Object.entries(stats.byType)) valuesByType[type] = (valuesByType[type] ?? 0) + count;
    maxDepth = Math.max(maxDepth, stats.maxDepth);
  }
  return { dir, seed, scale, hives, valuesByType, maxDepth };
}
