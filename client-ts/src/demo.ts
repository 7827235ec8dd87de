// `npm start` for now: a short tour of the in-process API on a temporary store, or on `--prefix DIR` if given.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openRegistry, openRegistrySync, RegistryError } from './index';

function prefixFromArgs(): { prefix: string; temporary: boolean } {
  const at = process.argv.indexOf('--prefix');
  if (at >= 0) {
    const prefix = process.argv[at + 1];
    if (!prefix) throw new Error('--prefix needs a folder');
    return { prefix, temporary: false };
  }
  // Never the user's default store unless asked: a fresh folder, removed at the end.
  return { prefix: fs.mkdtempSync(path.join(os.tmpdir(), 'regbridge-demo-')), temporary: true };
}

async function main(): Promise<void> {
  const { prefix, temporary } = prefixFromArgs();
  const key = 'HKCU\\Software\\regbridge-demo';
  console.log(`store: ${prefix}${temporary ? ' (temporary)' : ''}`);
  try {
    const reg = await openRegistry({ mode: 'in-process', prefix });
    await reg.writeValue(key, 'InstallLocation', { type: 'REG_SZ', data: '/opt/acme' });
    await reg.writeValue(key, 'Build', { type: 'REG_DWORD', data: 0x1f });
    await reg.writeValue(key, 'Installed', { type: 'REG_QWORD', data: 2n ** 63n });
    await reg.writeValue(key, 'Paths', { type: 'REG_MULTI_SZ', data: ['/opt/acme/bin', '/opt/acme/lib'] });
    console.log('readStringValue:', await reg.readStringValue(key, 'InstallLocation'));
    console.log('listValues:', await reg.listValues(key));
    console.log('getKeyInfo:', await reg.getKeyInfo(key));
    try {
      await reg.readStringValue(key, 'Build');
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      console.log(`an expected error: ${error.code}: ${error.message}`);
    }
    await reg.close();

    // Synchronous, in-process: each call returns its result at once.
    const sync = openRegistrySync({ prefix });
    console.log('sync readValue:', sync.readValue(key, 'Installed'));
    if (temporary) sync.deleteKey(key, { recursive: true });
    sync.close();
    if (!temporary) console.log(`left ${key} in ${prefix}`);
  } finally {
    if (temporary) fs.rmSync(prefix, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
