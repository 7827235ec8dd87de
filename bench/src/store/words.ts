// Vocabulary of the generated store: the words real prefixes are made of (vendors, components, settings), so names
// have realistic lengths and spellings, and a few names that make the writer escape (non-ASCII, emoji, quotes,
// brackets, control characters).
import { Rng } from './rng';

export const vendors = [
  'Acme',
  'Adobe',
  'Apple',
  'Borland',
  'Contoso',
  'Fabrikam',
  'Google',
  'Intel',
  'Logitech',
  'Macromedia',
  'Microsoft',
  'Mozilla',
  'Nullsoft',
  'Oracle',
  'Realtek',
  'Steam',
  'Valve',
  'VideoLAN',
  'WinRAR',
  'Zoom',
];

export const words = [
  'Audio',
  'Background',
  'Browser',
  'Cache',
  'Capture',
  'Class',
  'Color',
  'Config',
  'Control',
  'Crypto',
  'Data',
  'Debug',
  'Desktop',
  'Device',
  'Dialog',
  'Direct',
  'Display',
  'Document',
  'Download',
  'Driver',
  'Editor',
  'Engine',
  'Event',
  'Explorer',
  'Export',
  'File',
  'Filter',
  'Font',
  'Format',
  'Frame',
  'Graphics',
  'Handler',
  'Help',
  'History',
  'Host',
  'Icon',
  'Image',
  'Import',
  'Input',
  'Install',
  'Interface',
  'Internet',
  'Language',
  'Layout',
  'Library',
  'Link',
  'Local',
  'Log',
  'Manager',
  'Media',
  'Menu',
  'Monitor',
  'Mouse',
  'Network',
  'Object',
  'Option',
  'Page',
  'Palette',
  'Path',
  'Player',
  'Plugin',
  'Policy',
  'Port',
  'Print',
  'Profile',
  'Property',
  'Provider',
  'Proxy',
  'Recent',
  'Remote',
  'Render',
  'Resource',
  'Script',
  'Search',
  'Security',
  'Server',
  'Service',
  'Session',
  'Setting',
  'Setup',
  'Shell',
  'Sound',
  'Source',
  'Speech',
  'Start',
  'Storage',
  'Stream',
  'Style',
  'Sync',
  'System',
  'Task',
  'Text',
  'Theme',
  'Thread',
  'Timer',
  'Tool',
  'Transfer',
  'Update',
  'User',
  'Video',
  'View',
  'Volume',
  'Window',
  'Wizard',
  'Zone',
];

/** Names that exercise every escape of the format when written. */
export const awkwardNames = [
  'Café Über Tools', // non-ASCII: \x escapes
  'Café', // é then nothing
  'éa1 hex-like', // é followed by a hex digit: the 4-digit form
  '日本語ツール',
  'Emoji 😀 Key', // a surrogate pair: two escapes
  'Bracket [x] Name', // brackets: escaped in key names only
  'Quote "q" Name', // quotes: escaped in value names and data only
  'Back\\slash', // a backslash in a name
  'Tab\there',
  'Bell\u0007and\u00011', // a named escape, then an octal one before a digit
  '~$Temp#1',
];

/** `count` words joined, CamelCase. */
export function camel(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += rng.pick(words);
  return out;
}

/** A Windows path under one of the usual folders. */
export function windowsPath(rng: Rng, file: string): string {
  const base = rng.pick([
    'C:\\windows\\system32',
    'C:\\windows\\syswow64',
    `C:\\Program Files\\${rng.pick(vendors)}\\${camel(rng, 1)}`,
    `C:\\Program Files (x86)\\${rng.pick(vendors)}`,
    'C:\\windows',
  ]);
  return `${base}\\${file}`;
}

/** A lower-case file stem. */
export function stem(rng: Rng): string {
  return camel(rng, rng.int(1, 2)).toLowerCase() + (rng.chance(0.3) ? String(rng.int(1, 64)) : '');
}

/** A name usable as a key name: backslashes separate keys and control characters are refused in key names. */
export function keyName(name: string): string {
  return name.replace(/[\\\u0000-\u001f]/g, '_');
}
