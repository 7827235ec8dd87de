// system.reg (HKLM) of the generated store: the branches that make up a real prefix's machine hive — COM classes,
// interfaces and type libraries, file types, services, NLS tables, time zones, fonts, uninstall entries,
// cryptography OIDs — in about its proportions (mostly REG_SZ default values one or two to a key, some DWORD and
// binary, a few big keys, depths 3 to 9), scaled by `scale` (1 is about the size of a fresh `wineboot -i` prefix).
import { HiveTree, KeyNode } from './hiveTree';
import { Rng } from './rng';
import { dword, filetime, multiSz, qword, sz, StoredValue } from './wineText';
import { awkwardNames, camel, keyName, stem, vendors, windowsPath, words } from './words';

const REG_NONE = 0;
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_BINARY = 3;
const REG_DWORD = 4;
const REG_DWORD_BIG_ENDIAN = 5;
const REG_MULTI_SZ = 7;
const REG_RESOURCE_LIST = 8;
const REG_QWORD = 11;

const text = (name: string, data: string): StoredValue => ({ name, type: REG_SZ, data: sz(data) });
const expand = (name: string, data: string): StoredValue => ({ name, type: REG_EXPAND_SZ, data: sz(data) });
const num = (name: string, data: number): StoredValue => ({ name, type: REG_DWORD, data: dword(data) });
const bin = (name: string, data: Buffer): StoredValue => ({ name, type: REG_BINARY, data });

/** The fixture key every figure reads: 12 values (REG_SZ, REG_DWORD, REG_BINARY) as in a real prefix. */
export const fixtureKey = 'Software\\Microsoft\\Windows NT\\CurrentVersion';

/** Builds system.reg's tree. */
export function systemHive(rng: Rng, scale: number): HiveTree {
  const baseSeconds = 1_795_595_417;
  const time = () => filetime(baseSeconds + rng.int(0, 6), rng.int(0, 9_999_999));
  const hive = new HiveTree('REGISTRY\\\\Machine', time());
  const key = (path: string): KeyNode => hive.key(path, time());
  const n = (count: number) => Math.max(1, Math.round(count * scale));

  // File types: .ext -> progid.
  const extensions = new Set<string>();
  for (let i = 0; extensions.size < n(350); i++) {
    // Real extensions are short; past the short ones a counter keeps this finite.
    extensions.add(`.${stem(rng).slice(0, rng.int(2, 4))}${i > 2000 ? i : ''}`);
  }
  for (const ext of extensions) {
    const k = key(`Software\\Classes\\${ext}`);
    if (rng.chance(0.8)) k.set(text('', `${ext.slice(1)}file`));
    if (rng.chance(0.4))
      k.set(text('Content Type', `${rng.pick(['application', 'text', 'image', 'video'])}/${ext.slice(1)}`));
    if (rng.chance(0.2)) k.set(text('PerceivedType', rng.pick(['text', 'image', 'audio', 'video', 'document'])));
    if (rng.chance(0.1))
      key(`Software\\Classes\\${ext}\\OpenWithProgids`).set({
        name: `${ext.slice(1)}file`,
        type: REG_NONE,
        data: Buffer.alloc(0),
      });
  }

  // ProgIDs.
  for (let i = 0; i < n(300); i++) {
    const progId = `${rng.pick(vendors)}.${camel(rng, 1)}.${rng.int(1, 12)}`;
    key(`Software\\Classes\\${progId}`).set(text('', `${camel(rng, 2)} Object`));
    key(`Software\\Classes\\${progId}\\CLSID`).set(text('', rng.guid()));
    if (rng.chance(0.3)) {
      const exe = windowsPath(rng, `${stem(rng)}.exe`);
      key(`Software\\Classes\\${progId}\\shell\\open\\command`).set(text('', `"${exe}" "%1"`));
    }
  }

  // COM classes, most with an in-process server.
  for (let i = 0; i < n(1400); i++) {
    const clsid = `Software\\Classes\\CLSID\\${rng.guid()}`;
    const k = key(clsid);
    if (rng.chance(0.9)) k.set(text('', `${camel(rng, rng.int(1, 3))} Class`));
    if (rng.chance(0.85)) {
      const server = key(`${clsid}\\InprocServer32`).set(text('', windowsPath(rng, `${stem(rng)}.dll`)));
      if (rng.chance(0.8)) server.set(text('ThreadingModel', rng.pick(['Both', 'Apartment', 'Free', 'Neutral'])));
    }
    if (rng.chance(0.25)) key(`${clsid}\\ProgID`).set(text('', `${rng.pick(vendors)}.${camel(rng, 1)}.1`));
    if (rng.chance(0.1))
      key(`${clsid}\\VersionIndependentProgID`).set(text('', `${rng.pick(vendors)}.${camel(rng, 1)}`));
    if (rng.chance(0.08)) key(`${clsid}\\Implemented Categories\\${rng.guid()}`);
  }

  // Interfaces.
  for (let i = 0; i < n(1000); i++) {
    const iface = `Software\\Classes\\Interface\\${rng.guid()}`;
    key(iface).set(text('', `I${camel(rng, rng.int(1, 3))}`));
    key(`${iface}\\ProxyStubClsid32`).set(text('', rng.guid()));
    if (rng.chance(0.5)) key(`${iface}\\NumMethods`).set(text('', String(rng.int(3, 40))));
  }

  // Type libraries: the deepest branch of the classes.
  for (let i = 0; i < n(120); i++) {
    const lib = `Software\\Classes\\TypeLib\\${rng.guid()}\\${rng.int(1, 4)}.0`;
    key(lib).set(text('', `${camel(rng, 2)} Type Library`));
    key(`${lib}\\0\\win32`).set(text('', windowsPath(rng, `${stem(rng)}.tlb`)));
    key(`${lib}\\FLAGS`).set(text('', '0'));
    key(`${lib}\\HELPDIR`).set(text('', 'C:\\windows\\system32'));
  }

  // 32-bit views: links into the 64-bit branches, and a few keys of their own one level deeper.
  for (const branch of ['AppID', 'CLSID', 'Interface', 'Protocols', 'TypeLib']) {
    hive.link(`Software\\Classes\\Wow6432Node\\${branch}`, `\\Registry\\Machine\\Software\\Classes\\${branch}`, time());
  }
  for (let i = 0; i < n(200); i++) {
    key(`Software\\Wow6432Node\\${rng.pick(vendors)}\\${camel(rng, 1)}\\${camel(rng, 2)}`)
      .set(text(camel(rng, 1), windowsPath(rng, `${stem(rng)}.dll`)))
      .set(num(`${camel(rng, 1)}Flags`, rng.int(0, 255)));
  }

  windowsNt(rng, key, n);
  windowsCurrentVersion(rng, key, n);
  services(rng, hive, key, n, time);
  cryptography(rng, key, n);
  oddValues(rng, key);
  return hive;
}

function windowsNt(rng: Rng, key: (path: string) => KeyNode, n: (count: number) => number): void {
  key(fixtureKey)
    .set(text('CSDVersion', 'Service Pack 1'))
    .set(text('CurrentBuild', '7601'))
    .set(text('CurrentBuildNumber', '7601'))
    .set(num('CurrentMajorVersionNumber', 6))
    .set(num('CurrentMinorVersionNumber', 1))
    .set(text('CurrentType', 'Multiprocessor Free'))
    .set(text('CurrentVersion', '6.1'))
    .set(bin('DigitalProductId', rng.bytes(164)))
    .set(num('InstallDate', 1_795_595_417))
    .set(text('ProductName', 'Microsoft Windows 7'))
    .set(text('RegisteredOwner', ''))
    .set(text('SystemRoot', 'C:\\windows'));
  const fonts = key(`${fixtureKey}\\Fonts`);
  for (let i = 0; i < n(120); i++)
    fonts.set(
      text(`${camel(rng, 1)} ${rng.pick(['Sans', 'Serif', 'Mono', 'UI'])} ${i} (TrueType)`, `${stem(rng)}.ttf`),
    );
  const substitutes = key(`${fixtureKey}\\FontSubstitutes`);
  for (let i = 0; i < n(60); i++) substitutes.set(text(`${camel(rng, 1)} ${i}`, `${camel(rng, 1)} Sans`));
  const winlogon = key(`${fixtureKey}\\Winlogon`);
  for (const name of [
    'Shell',
    'Userinit',
    'DefaultUserName',
    'DefaultDomainName',
    'AutoRestartShell',
    'LegalNoticeText',
  ]) {
    winlogon.set(name === 'AutoRestartShell' ? num(name, 1) : text(name, `${camel(rng, 1)}.exe`));
  }
  for (let z = 0; z < n(140); z++) {
    const zone = `${fixtureKey}\\Time Zones\\${camel(rng, rng.int(1, 2))} ${rng.pick(['Standard', 'Daylight'])} Time ${z}`;
    const offset = rng.int(-12, 13);
    const label = `(UTC${offset >= 0 ? '+' : '-'}${String(Math.abs(offset)).padStart(2, '0')}:00) ${camel(rng, 1)}, ${camel(rng, 1)}`;
    key(zone)
      .set(text('Display', label))
      .set(text('Dlt', `${camel(rng, 1)} Daylight Time`))
      .set(text('Std', `${camel(rng, 1)} Standard Time`))
      .set(text('MUI_Display', `@tzres.dll,-${rng.int(100, 999)}`))
      .set(text('MUI_Dlt', `@tzres.dll,-${rng.int(100, 999)}`))
      .set(text('MUI_Std', `@tzres.dll,-${rng.int(100, 999)}`))
      .set(bin('TZI', rng.bytes(44)));
    if (rng.chance(0.3)) {
      const dst = key(`${zone}\\Dynamic DST`)
        .set(num('FirstEntry', 2006))
        .set(num('LastEntry', 2006 + rng.int(2, 8)));
      for (let y = 2006; y < 2006 + rng.int(2, 8); y++) dst.set(bin(String(y), rng.bytes(44)));
    }
  }
}

function windowsCurrentVersion(rng: Rng, key: (path: string) => KeyNode, n: (count: number) => number): void {
  const cv = 'Software\\Microsoft\\Windows\\CurrentVersion';
  key(cv)
    .set(text('CommonFilesDir', 'C:\\Program Files\\Common Files'))
    .set(text('ProgramFilesDir', 'C:\\Program Files'))
    .set(text('ProgramFilesDir (x86)', 'C:\\Program Files (x86)'))
    .set(expand('ProgramFilesPath', '%ProgramFiles%'))
    .set(text('MediaPath', 'C:\\windows\\Media'));
  for (let i = 0; i < n(80); i++) {
    const vendor = rng.pick(vendors);
    const app = `${vendor} ${camel(rng, rng.int(1, 2))} ${rng.int(1, 20)}.${rng.int(0, 9)}`;
    const dir = `C:\\Program Files\\${vendor}\\${camel(rng, 1)}`;
    key(`${cv}\\Uninstall\\${rng.chance(0.5) ? rng.guid() : app}`)
      .set(text('DisplayName', app))
      .set(text('DisplayVersion', `${rng.int(1, 20)}.${rng.int(0, 99)}.${rng.int(0, 9999)}`))
      .set(text('Publisher', `${vendor} Corporation`))
      .set(text('InstallLocation', dir))
      .set(text('UninstallString', `"${dir}\\uninstall.exe" /S`))
      .set(num('EstimatedSize', rng.int(100, 900_000)))
      .set(num('NoModify', 1))
      .set(num('NoRepair', rng.int(0, 1)));
  }
  for (let i = 0; i < n(60); i++) {
    const exe = `${stem(rng)}.exe`;
    key(`${cv}\\App Paths\\${exe}`)
      .set(text('', windowsPath(rng, exe)))
      .set(text('Path', 'C:\\windows'));
  }
  const run = key(`${cv}\\Run`);
  for (let i = 0; i < 5; i++) run.set(text(camel(rng, 2), `"${windowsPath(rng, `${stem(rng)}.exe`)}" /background`));
  for (let i = 0; i < n(40); i++) {
    key(`${cv}\\Explorer\\${camel(rng, 1)}\\${camel(rng, 2)}`).set(bin('Settings', rng.bytes(rng.length(40, 672))));
  }
  // Names and data that exercise the escapes.
  for (const name of awkwardNames) {
    key(`Software\\Classes\\Applications\\${keyName(name)}`)
      .set(text('', `${name} — "quoted" C:\\path\\ ☃ \u0001\u0002 tab\tand newline\n end`))
      .set(text(name, 'é1 then à'));
  }
}

function services(
  rng: Rng,
  hive: HiveTree,
  key: (path: string) => KeyNode,
  n: (count: number) => number,
  time: () => bigint,
): void {
  const set = 'System\\ControlSet001';
  hive.link('System\\CurrentControlSet', `\\Registry\\Machine\\${set}`, time());
  key('System\\Select').set(num('Current', 1)).set(num('Default', 1)).set(num('LastKnownGood', 1));
  for (let i = 0; i < n(320); i++) {
    const name = `${camel(rng, 1)}${rng.chance(0.5) ? camel(rng, 1) : ''}${i}`;
    const svc = `${set}\\Services\\${name}`;
    const k = key(svc)
      .set(text('DisplayName', `${camel(rng, 2)} Service`))
      .set(
        expand(
          'ImagePath',
          `%SystemRoot%\\system32\\${rng.chance(0.5) ? 'drivers\\' : ''}${name.toLowerCase()}.${rng.pick(['sys', 'exe'])}`,
        ),
      )
      .set(num('Start', rng.int(0, 4)))
      .set(num('Type', rng.pick([1, 2, 16, 32])))
      .set(num('ErrorControl', rng.int(0, 1)));
    if (rng.chance(0.5)) k.set(text('Description', `${camel(rng, 3)} for ${camel(rng, 1).toLowerCase()} devices`));
    if (rng.chance(0.4)) k.set(text('ObjectName', 'LocalSystem'));
    if (rng.chance(0.3)) k.set(text('Group', rng.pick(['Boot Bus Extender', 'System Bus Extender', 'Video', 'NDIS'])));
    if (rng.chance(0.12))
      k.set({ name: 'DependOnService', type: REG_MULTI_SZ, data: multiSz([camel(rng, 1), camel(rng, 1)]) });
    if (rng.chance(0.3)) {
      const params = key(`${svc}\\Parameters`);
      for (let p = rng.int(1, 3); p > 0; p--) params.set(num(camel(rng, 1), rng.int(0, 65535)));
    }
    if (rng.chance(0.2)) key(`${svc}\\Enum`).set(num('Count', 1)).set(num('NextInstance', 1));
  }
  const nls = `${set}\\Control\\Nls`;
  const codepages = key(`${nls}\\Codepage`).set(text('ACP', '1252')).set(text('OEMCP', '437'));
  for (let i = 0; i < n(150); i++) codepages.set(text(String(rng.int(37, 65001)), `c_${rng.int(37, 65001)}.nls`));
  const language = key(`${nls}\\Language`);
  for (let i = 0; i < n(250); i++)
    language.set(text(rng.int(0x401, 0x5fff).toString(16).padStart(4, '0'), 'l_intl.nls'));
  const locale = key(`${nls}\\Locale`);
  for (let i = 0; i < n(400); i++)
    locale.set(text(rng.int(0x401, 0x5fff).toString(16).padStart(8, '0'), String(rng.int(1, 17))));
  key(`${set}\\Control\\Session Manager\\Environment`)
    .set(expand('ComSpec', '%SystemRoot%\\system32\\cmd.exe'))
    .set(expand('Path', '%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\system32\\wbem'))
    .set(text('PATHEXT', '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC'))
    .set(expand('TEMP', '%SystemRoot%\\temp'))
    .set(expand('TMP', '%SystemRoot%\\temp'))
    .set(expand('windir', '%SystemRoot%'))
    .set(text('OS', 'Windows_NT'))
    .set(text('PROCESSOR_ARCHITECTURE', 'AMD64'))
    .set(text('NUMBER_OF_PROCESSORS', '2'));
}

function cryptography(rng: Rng, key: (path: string) => KeyNode, n: (count: number) => number): void {
  const functions = ['CryptDllDecodeObject', 'CryptDllEncodeObject', 'CertDllVerifyRevocation', 'CryptDllFormatObject'];
  for (let i = 0; i < n(500); i++) {
    const oid = `1.3.6.1.${rng.int(1, 5)}.${rng.int(1, 400)}.${rng.int(1, 99)}.${i}`;
    const branch = rng.chance(0.3) ? 'Software\\Wow6432Node\\Microsoft' : 'Software\\Microsoft';
    const k = key(`${branch}\\Cryptography\\OID\\EncodingType ${rng.int(0, 1)}\\${rng.pick(functions)}\\${oid}`);
    if (rng.chance(0.08)) k.set({ name: 'Dll', type: REG_MULTI_SZ, data: multiSz([`${stem(rng)}.dll`]) });
    else k.set(text('Dll', `${stem(rng)}.dll`));
    if (rng.chance(0.5)) k.set(text('FuncName', `${camel(rng, 2)}Ex`));
  }
}

function oddValues(rng: Rng, key: (path: string) => KeyNode): void {
  // Types a fresh prefix has a few of: 32-bit type codes (MSI, Wine's own), QWORD, REG_NONE, big-endian DWORD.
  const k = key('Software\\Wine\\Generated\\Types');
  for (let i = 0; i < 10; i++)
    k.set({ name: `Property ${i}`, type: 0xffff0000 + rng.int(1, 0x13), data: rng.bytes(rng.int(2, 24)) });
  for (let i = 0; i < 10; i++)
    k.set({ name: `Quad ${i}`, type: REG_QWORD, data: qword(BigInt(rng.int(0, 2 ** 31)) * 4_294_967_311n) });
  for (let i = 0; i < 6; i++) k.set({ name: `None ${i}`, type: REG_NONE, data: rng.bytes(rng.int(0, 4)) });
  k.set({ name: 'BigEndian', type: REG_DWORD_BIG_ENDIAN, data: rng.bytes(4) });
  k.set({ name: 'Resources', type: REG_RESOURCE_LIST, data: rng.bytes(96) });
  k.set({ name: 'ShortDword', type: REG_DWORD, data: rng.bytes(3) }); // not 4 bytes: the hex form
  k.set({ name: 'Odd string', type: REG_SZ, data: rng.bytes(7) }); // odd length: the hex form
  for (let i = 0; i < 20; i++) {
    key(`Software\\${rng.pick(vendors)}\\${rng.pick(words)}\\Blobs`).set(
      bin(`State${i}`, rng.bytes(rng.length(60, 672))),
    );
  }
}
