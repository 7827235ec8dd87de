// user.reg (HKCU) and userdef.reg (HKU\.Default) of the generated store. user.reg is that of a prefix in use for a
// while: settings of a few dozen applications (DWORDs and strings, some binary state), the control panel, sound
// events, Explorer's MRU lists and shell folders — about 5,000 values at scale 1.
import { HiveTree, KeyNode } from './hiveTree';
import { Rng } from './rng';
import { dword, filetime, sz, StoredValue } from './wineText';
import { awkwardNames, camel, keyName, vendors, words } from './words';

const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_BINARY = 3;
const REG_DWORD = 4;

const text = (name: string, data: string): StoredValue => ({ name, type: REG_SZ, data: sz(data) });
const expand = (name: string, data: string): StoredValue => ({ name, type: REG_EXPAND_SZ, data: sz(data) });
const num = (name: string, data: number): StoredValue => ({ name, type: REG_DWORD, data: dword(data) });
const bin = (name: string, data: Buffer): StoredValue => ({ name, type: REG_BINARY, data });

/** The HKCU value the start-up figures read first (an installation folder, as a .NET tool would look up). */
export const userFixture = { key: 'Software\\dotnet\\Setup', name: 'InstallLocation' };

const shellFolders = [
  'AppData',
  'Cache',
  'Cookies',
  'Desktop',
  'Favorites',
  'Fonts',
  'History',
  'Local AppData',
  'My Music',
  'My Pictures',
  'My Videos',
  'NetHood',
  'Personal',
  'PrintHood',
  'Programs',
  'Recent',
  'SendTo',
  'Start Menu',
  'Startup',
  'Templates',
];

/** Builds user.reg's tree. */
export function userHive(rng: Rng, scale: number): HiveTree {
  const baseSeconds = 1_795_595_417;
  const time = () => filetime(baseSeconds + rng.int(0, 6), rng.int(0, 9_999_999));
  const hive = new HiveTree('REGISTRY\\\\User\\\\S-1-5-21-0-0-0-1000', time());
  const key = (path: string): KeyNode => hive.key(path, time());
  const n = (count: number) => Math.max(1, Math.round(count * scale));

  key(userFixture.key).set(text(userFixture.name, 'C:\\Program Files\\dotnet\\')).set(text('Version', '8.0.11'));

  for (let a = 0; a < n(60); a++) {
    const app = `Software\\${rng.pick(vendors)}\\${camel(rng, rng.int(1, 2))}${a}`;
    for (let s = 0; s < 5; s++) {
      const section = key(`${app}\\${s === 0 ? 'Settings' : camel(rng, 1)}${s}`);
      for (let v = rng.int(6, 18); v > 0; v--) {
        const name = `${camel(rng, rng.int(1, 2))}${v}`;
        const r = rng.next();
        if (r < 0.45) section.set(num(name, rng.int(0, 1) ? rng.int(0, 1) : rng.int(0, 100_000)));
        else if (r < 0.9)
          section.set(
            text(
              name,
              rng.chance(0.3) ? `C:\\users\\bench\\${camel(rng, 1)}\\${camel(rng, 1)}.dat` : camel(rng, rng.int(1, 4)),
            ),
          );
        else section.set(bin(name, rng.bytes(rng.length(24, 300))));
      }
    }
  }

  const desktop = key('Control Panel\\Desktop').set(text('Wallpaper', '')).set(text('FontSmoothing', '2'));
  for (let i = 0; i < 28; i++) desktop.set(text(`${camel(rng, 2)}`, String(rng.int(0, 2000))));
  const international = key('Control Panel\\International');
  for (let i = 0; i < 25; i++)
    international.set(text(`s${camel(rng, 1)}`, rng.pick(['.', ',', 'M/d/yyyy', 'h:mm:ss tt', 'AM', 'PM'])));
  const colors = key('Control Panel\\Colors');
  for (let i = 0; i < 30; i++)
    colors.set(text(`${camel(rng, 2)}`, `${rng.int(0, 255)} ${rng.int(0, 255)} ${rng.int(0, 255)}`));

  for (let i = 0; i < n(75); i++) {
    const event = `AppEvents\\Schemes\\Apps\\${rng.pick(['.Default', 'Explorer', camel(rng, 1)])}\\${camel(rng, 2)}`;
    key(`${event}\\.Current`).set(text('', rng.chance(0.3) ? `C:\\windows\\Media\\${camel(rng, 1)}.wav` : ''));
    key(`${event}\\.Default`).set(text('', ''));
  }

  const explorer = 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer';
  const recent = key(`${explorer}\\RecentDocs`);
  for (let i = 0; i < 40; i++) recent.set(bin(String(i), rng.bytes(rng.length(200, 500))));
  recent.set(bin('MRUListEx', rng.bytes(164)));
  const shell = key(`${explorer}\\Shell Folders`);
  const user = key(`${explorer}\\User Shell Folders`);
  for (const folder of shellFolders) {
    shell.set(text(folder, `C:\\users\\bench\\${folder}`));
    user.set(expand(folder, `%USERPROFILE%\\${folder}`));
  }
  key('Environment').set(expand('TEMP', '%USERPROFILE%\\Temp')).set(expand('TMP', '%USERPROFILE%\\Temp'));
  for (const name of awkwardNames) {
    key(`Software\\Wine\\Generated\\${keyName(name)}`)
      .set(text(name, `${name} "data"`))
      .set(num(`${name} n`, 7));
  }
  for (let i = 0; i < 20; i++) key(`Software\\Wine\\${rng.pick(words)}`).set(text(camel(rng, 1), camel(rng, 2)));
  return hive;
}

/** Builds userdef.reg's tree: the default user's shell folders, as in a real prefix. */
export function userDefaultHive(rng: Rng): HiveTree {
  const time = () => filetime(1_795_595_417, rng.int(0, 9_999_999));
  const hive = new HiveTree('REGISTRY\\\\User\\\\.Default', time());
  const explorer = 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer';
  const shell = hive.key(`${explorer}\\Shell Folders`, time());
  const user = hive.key(`${explorer}\\User Shell Folders`, time());
  for (const folder of shellFolders) {
    shell.set(text(folder, `C:\\users\\Default\\${folder}`));
    user.set(expand(folder, `%USERPROFILE%\\${folder}`));
  }
  return hive;
}
