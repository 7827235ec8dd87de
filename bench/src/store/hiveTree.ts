// A hive being generated: keys with values, class and link, serialised as wineserver saves a branch — subkeys and
// values sorted case-insensitively (folded to lower case), a key written only if it has values, no subkeys, a class
// or a link (other keys exist as implicit parents).
import { escapeKeyName, escapeUnits, keyHeader, StoredValue, valueText } from './wineText';

const REG_LINK = 6;

/** Wine's order: names folded to lower case, compared by code unit; a prefix sorts first. */
function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One key of a generated hive. */
export class KeyNode {
  readonly children = new Map<string, KeyNode>();
  readonly values = new Map<string, StoredValue>();
  className: string | undefined;
  linkTarget: string | undefined;

  constructor(
    readonly name: string,
    public time: bigint,
  ) {}

  /** Sets a value (a later one of the same name, in any case, replaces it). */
  set(value: StoredValue): this {
    this.values.set(value.name.toLowerCase(), value);
    return this;
  }
}

/** A hive file's tree and header. */
export class HiveTree {
  readonly root: KeyNode;

  /** `relativeTo`: the `;; All keys relative to` line's path, written as in the file (`REGISTRY\\Machine`). */
  constructor(
    readonly relativeTo: string,
    time: bigint,
  ) {
    this.root = new KeyNode('', time);
  }

  /** The key at `path` (backslash-separated, relative to the hive), created with its parents if missing. */
  key(path: string, time: bigint): KeyNode {
    let node = this.root;
    for (const part of path.split('\\')) {
      const folded = part.toLowerCase();
      let child = node.children.get(folded);
      if (!child) {
        child = new KeyNode(part, time);
        node.children.set(folded, child);
      }
      node = child;
    }
    return node;
  }

  /** The key at `path`, made a symbolic link to the native path `target` (`\Registry\Machine\...`). */
  link(path: string, target: string, time: bigint): KeyNode {
    const node = this.key(path, time);
    node.linkTarget = target;
    node.set({ name: 'SymbolicLinkValue', type: REG_LINK, data: Buffer.from(target, 'utf16le') });
    return node;
  }

  /** The file's text. */
  serialise(): string {
    const out: string[] = [`WINE REGISTRY Version 2\n;; All keys relative to ${this.relativeTo}\n\n#arch=win64\n`];
    const walk = (node: KeyNode, path: string) => {
      const isRoot = node === this.root;
      if (!isRoot && (node.values.size > 0 || node.children.size === 0 || node.className || node.linkTarget)) {
        let text = `\n${keyHeader(path, node.time)}\n`;
        if (node.className !== undefined) text += `#class="${escapeUnits(unitsOf(node.className), '"')}"\n`;
        if (node.linkTarget !== undefined) text += '#link\n';
        const values = [...node.values.values()].sort((a, b) => compareNames(a.name, b.name));
        for (const value of values) text += `${valueText(value)}\n`;
        out.push(text);
      }
      const children = [...node.children.values()].sort((a, b) => compareNames(a.name, b.name));
      for (const child of children)
        walk(child, isRoot ? escapeKeyName(child.name) : `${path}\\\\${escapeKeyName(child.name)}`);
    };
    walk(this.root, '');
    return out.join('');
  }

  /** Counts of keys (all, implicit parents included) and values, by type code. */
  stats(): { keys: number; values: number; byType: Record<string, number>; maxDepth: number } {
    let keys = 0;
    let values = 0;
    let maxDepth = 0;
    const byType: Record<string, number> = {};
    const walk = (node: KeyNode, depth: number) => {
      if (node !== this.root) keys++;
      maxDepth = Math.max(maxDepth, depth);
      for (const value of node.values.values()) {
        values++;
        byType[value.type] = (byType[value.type] ?? 0) + 1;
      }
      for (const child of node.children.values()) walk(child, depth + 1);
    };
    walk(this.root, 0);
    return { keys, values, byType, maxDepth };
  }
}

function unitsOf(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
}
