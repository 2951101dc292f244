/**
 * A naive reference of the state map, written straight from the definitions
 * in docs/STATE-MAP.md and sharing no code with src/map (it hashes with
 * node:crypto's createHash directly). The tree is never stored: the hash of
 * the subtree at a prefix is computed recursively from the set of leaves
 * below it, which makes history independence and compaction hold by
 * construction.
 */
import { createHash } from 'node:crypto';

export type Entry = readonly [path: Uint8Array, value: Uint8Array];

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

const H = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(Uint8Array.from(p));
  return new Uint8Array(h.digest());
};

export const ZERO = new Uint8Array(32);

/** path = SHA-256(utf8("custody/map/path/v2\n") ‖ u8(len ns) ‖ ns ‖ key). */
export function refPath(ns: string, key: Uint8Array | string): Uint8Array {
  const nsBytes = Buffer.from(ns, 'ascii');
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return H(Buffer.from('custody/map/path/v2\n', 'utf8'), [nsBytes.length], nsBytes, keyBytes);
}

/** Nibble i of a path: high nibble of each byte first. */
export const refNibble = (path: Uint8Array, i: number): number => {
  const byte = path[Math.floor(i / 2)]!;
  return i % 2 === 0 ? Math.floor(byte / 16) : byte % 16;
};

export const refLeafHash = (path: Uint8Array, value: Uint8Array): Uint8Array => H([0], path, value);
export const refNodeHash = (children: Uint8Array[]): Uint8Array => H([1], ...children);

/** Splits leaves by their nibble at depth d. */
const byNibble = (entries: readonly Entry[], d: number): Entry[][] => {
  const out: Entry[][] = Array.from({ length: 16 }, () => []);
  for (const e of entries) out[refNibble(e[0], d)]!.push(e);
  return out;
};

/** The hash of the subtree at depth d holding exactly `entries`. */
export function refHash(entries: readonly Entry[], d: number): Uint8Array {
  if (entries.length === 0) return ZERO;
  if (entries.length === 1) return refLeafHash(entries[0]![0], entries[0]![1]);
  return refNodeHash(byNibble(entries, d).map((c) => refHash(c, d + 1)));
}

export const refRoot = (entries: readonly Entry[]): Uint8Array => refHash(entries, 0);

export interface RefProof {
  levels: { bitmap: number; siblings: Uint8Array }[];
  terminal:
    | { kind: 'member'; value: Uint8Array }
    | { kind: 'absent-empty' }
    | { kind: 'absent-leaf'; path: Uint8Array; value: Uint8Array };
}

/** The proof for `path`, from the definition: descend while the subtree has two leaves or more. */
export function refProof(entries: readonly Entry[], path: Uint8Array): RefProof {
  const levels: RefProof['levels'] = [];
  let here = entries;
  let d = 0;
  while (here.length >= 2) {
    const children = byNibble(here, d);
    const own = refNibble(path, d);
    let bitmap = 0;
    const sibs: Uint8Array[] = [];
    children.forEach((c, i) => {
      if (i !== own && c.length > 0) {
        bitmap += 2 ** i;
        sibs.push(refHash(c, d + 1));
      }
    });
    levels.push({ bitmap, siblings: new Uint8Array(Buffer.concat(sibs)) });
    here = children[own]!;
    d++;
  }
  if (here.length === 0) return { levels, terminal: { kind: 'absent-empty' } };
  const [p, v] = here[0]!;
  return hex(p) === hex(path)
    ? { levels, terminal: { kind: 'member', value: v } }
    : { levels, terminal: { kind: 'absent-leaf', path: p, value: v } };
}

/** A model of the map: path hex → [path, value]. */
export class RefMap {
  readonly m = new Map<string, Entry>();
  set(path: Uint8Array, value: Uint8Array): void {
    this.m.set(hex(path), [path, Uint8Array.from(value)]);
  }
  delete(path: Uint8Array): void {
    this.m.delete(hex(path));
  }
  get(path: Uint8Array): Uint8Array | undefined {
    return this.m.get(hex(path))?.[1];
  }
  entries(): Entry[] {
    return [...this.m.values()];
  }
  clone(): RefMap {
    const c = new RefMap();
    for (const [k, v] of this.m) c.m.set(k, v);
    return c;
  }
}

/**
 * Keys `${prefix}${i}` whose paths (in namespace ns) share their first
 * `nibbles` nibbles, `count` of them, found by trying i = 0, 1, …
 * (the birthday bound makes shared prefixes of up to 7 nibbles quick to find).
 */
export function keysSharingPrefix(ns: string, prefix: string, nibbles: number, count: number): string[] {
  const buckets = new Map<string, string[]>();
  for (let i = 0; ; i++) {
    const key = `${prefix}${i}`;
    const p = hex(refPath(ns, key)).slice(0, nibbles);
    const b = buckets.get(p) ?? [];
    b.push(key);
    buckets.set(p, b);
    if (b.length === count) return b;
  }
}
