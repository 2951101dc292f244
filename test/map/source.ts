/**
 * An in-memory content-addressed node store for the lazy-opening tests: it
 * keeps what takeDirty() hands out (node hash → encoded node, old versions
 * stay), the (root, size, rootLeaf) record of each version put, and counts
 * fetches. `tamper` lets a test change what one fetch returns.
 */
import { expect } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { decodeNode, hashNode, type MapChanges, type MapNodeSource } from '../../src/map/index.js';
import { type Entry, hex } from './reference.js';

export interface RootRecord {
  readonly root: Uint8Array;
  readonly size: number;
  readonly rootLeaf: MapChanges['rootLeaf'];
}

export class MemSource implements MapNodeSource {
  readonly nodes = new Map<string, Uint8Array>();
  fetches = 0;
  /** Replaces what the source returns for a hash (hex) when set. */
  tamper: ((hashHex: string, bytes: Uint8Array | undefined) => Uint8Array | undefined) | undefined;
  /** Waits this many macrotask turns before answering, per fetch (for interleavings). */
  delay: ((hashHex: string) => number) | undefined;

  /** Stores a takeDirty() result; returns its root record. */
  put(c: MapChanges): RootRecord {
    for (const n of c.nodes) this.nodes.set(hex(n.hash), n.bytes);
    return { root: c.root, size: c.size, rootLeaf: c.rootLeaf };
  }

  async node(hash: Uint8Array): Promise<Uint8Array | undefined> {
    this.fetches++;
    const h = hex(hash);
    const turns = this.delay?.(h) ?? 0;
    for (let i = 0; i < turns; i++) await new Promise((r) => setTimeout(r, 0));
    const bytes = this.nodes.get(h);
    return this.tamper ? this.tamper(h, bytes) : bytes;
  }

  /** Every leaf reachable from a root record, checking each node against its hash and depth. */
  leaves(r: RootRecord): Entry[] {
    if (r.rootLeaf) return [[r.rootLeaf.path, r.rootLeaf.value]];
    if (r.root.every((x) => x === 0)) return [];
    const out: Entry[] = [];
    const visit = (h: string, depth: number) => {
      const bytes = this.nodes.get(h);
      if (!bytes) throw new Error(`missing node ${h}`);
      const node = decodeNode(bytes);
      expect(hex(hashNode(node))).toBe(h);
      expect(node.depth).toBe(depth);
      for (const c of node.children)
        if (c.kind === 'branch') visit(hex(c.hash), depth + 1);
        else if (c.kind === 'leaf') out.push([c.path, c.value]);
    };
    visit(hex(r.root), 0);
    return out;
  }
}

/** The code of the CustodyError that f throws (or rejects with); fails if none. */
export async function codeOf(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return (e as CustodyError).code;
  }
  throw new Error('expected a CustodyError');
}

export const categoryOf = async (f: () => unknown): Promise<string> => {
  try {
    await f();
  } catch (e) {
    return (e as CustodyError).category;
  }
  return 'none';
};
