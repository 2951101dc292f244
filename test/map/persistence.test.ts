/**
 * The persistence hook: takeDirty() hands out exactly the branches changed
 * since the previous call, in the node encoding of docs/STATE-MAP.md §Node
 * encoding, and a content-addressed store of them holds the whole map (every
 * node checks against its hash, and the leaves rebuild the same root).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import {
  decodeNode,
  encodeNode,
  hashNode,
  type MapChanges,
  type MapNode,
  StateMap,
} from '../../src/map/index.js';
import { type Entry, hex, keysSharingPrefix, refPath, refRoot } from './reference.js';
import { MemSource, type RootRecord } from './source.js';

const NS = 'exhibit';
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n);

/** The lazy tests' node store, remembering the last root record it was given. */
class Store extends MemSource {
  #last: RootRecord = { root: new Uint8Array(32), size: 0, rootLeaf: null };
  override put(c: MapChanges): RootRecord {
    this.#last = super.put(c);
    return this.#last;
  }
  get rootLeaf(): MapChanges['rootLeaf'] {
    return this.#last.rootLeaf;
  }
  /** Every leaf reachable from the last root, checking each node against its hash and depth. */
  override leaves(r: RootRecord = this.#last): Entry[] {
    return super.leaves(r);
  }
}

describe('takeDirty', () => {
  it('gives a store everything it needs, and then only what changed', () => {
    const m = new StateMap();
    const store = new Store();
    store.put(m.takeDirty());
    expect(store.leaves()).toEqual([]);
    m.set(NS, 'only', value(1));
    store.put(m.takeDirty());
    expect(store.rootLeaf).toEqual({ path: refPath(NS, 'only'), value: value(1) });
    expect(hex(refRoot(store.leaves()))).toBe(hex(m.root));

    for (let i = 0; i < 500; i++) m.set(NS, `k${i}`, value(i % 200));
    for (const k of keysSharingPrefix(NS, 'p', 5, 2)) m.set(NS, k, value(3));
    const first = m.takeDirty();
    expect(first.rootLeaf).toBeNull();
    store.put(first);
    expect(store.leaves()).toHaveLength(m.size);
    expect(hex(refRoot(store.leaves()))).toBe(hex(m.root));
    // Children come before their parents; the root's node comes last.
    expect(hex(first.nodes[first.nodes.length - 1]!.hash)).toBe(hex(m.root));

    expect(m.takeDirty().nodes).toEqual([]);

    // One update dirties exactly the branches on its path.
    m.set(NS, 'k7', value(250));
    const depth = m.prove(NS, 'k7').levels.length;
    const one = m.takeDirty();
    expect(one.nodes).toHaveLength(depth);
    store.put(one);
    expect(hex(refRoot(store.leaves()))).toBe(hex(m.root));

    // Deletions down to one key, then none.
    for (let i = 0; i < 500; i++) m.delete(NS, `k${i}`);
    store.put(m.takeDirty());
    expect(hex(refRoot(store.leaves()))).toBe(hex(m.root));
    expect(store.leaves()).toHaveLength(m.size);
  });

  it('is unaffected by snapshots (it reports the live tree)', () => {
    const m = new StateMap();
    for (let i = 0; i < 100; i++) m.set(NS, `k${i}`, value(1));
    const store = new Store();
    store.put(m.takeDirty());
    const s = m.snapshot();
    for (let i = 0; i < 50; i++) m.set(NS, `k${i}`, value(2));
    store.put(m.takeDirty());
    expect(hex(refRoot(store.leaves()))).toBe(hex(m.root));
    s.release();
  });
});

describe('node encoding', () => {
  const leafAt = (path: Uint8Array) => ({ kind: 'leaf' as const, path, value: value(1) });
  const m = new StateMap();
  for (let i = 0; i < 40; i++) m.set(NS, `n${i}`, value(i));
  const nodes = m.takeDirty().nodes;

  it('round-trips, byte for byte', () => {
    for (const n of nodes) {
      const node = decodeNode(n.bytes);
      expect(hex(encodeNode(node))).toBe(hex(n.bytes));
      expect(hex(hashNode(node))).toBe(hex(n.hash));
    }
  });

  // takeDirty() writes the encoding straight from the map's buffers
  // (src/map/dirty.ts encodeBranch): every shape of branch must come out as
  // encodeNode() of its decoded form, short and long bitmaps and byte strings
  // (bin 8 and bin 16) included.
  it('is the canonical encoding for branches of every shape (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), fc.integer({ min: 0, max: 1e9 }), (size, salt) => {
        const map = new StateMap();
        for (let i = 0; i < size; i++) map.set(NS, `s${salt}-${i}`, value(i % 251));
        for (const n of map.takeDirty().nodes) {
          const node = decodeNode(n.bytes);
          expect(hex(encodeNode(node))).toBe(hex(n.bytes));
          expect(hex(hashNode(node))).toBe(hex(n.hash));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses nodes that break the construction (MAP_NODE_MALFORMED)', () => {
    const [a, b] = keysSharingPrefix(NS, 'x', 1, 2).map((k) => refPath(NS, k)) as [Uint8Array, Uint8Array];
    const nibA = a[0]! >> 4;
    const nib1 = (p: Uint8Array) => p[0]! & 15;
    const c = Array.from({ length: 64 }, (_, i) => refPath(NS, `c${i}`)).find(
      (p) => p[0]! >> 4 !== nibA && nib1(p) !== nib1(a),
    )!;
    const children = (entries: [number, MapNode['children'][number]][]) => {
      const c: MapNode['children'][number][] = Array.from({ length: 16 }, () => ({ kind: 'empty' as const }));
      for (const [i, x] of entries) c[i] = x;
      return c;
    };
    const good: MapNode = {
      depth: 1,
      children: children([
        [nib1(a), leafAt(a)],
        [nib1(b), leafAt(b)],
      ]),
    };
    expect(decodeNode(encodeNode(good))).toEqual(good);
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      encodeCanonical([1, 0, new Uint8Array(0), 0]),
      Uint8Array.of(...encodeNode(good), 0),
      encodeNode({ depth: 64, children: good.children }),
      encodeNode({ depth: 0, children: children([[nibA, leafAt(a)]]) }),
      encodeNode({ depth: 0, children: children([]) }),
      // a leaf in a slot its path does not lead to
      encodeNode({
        depth: 1,
        children: children([
          [(nib1(a) + 1) % 16, leafAt(a)],
          [nib1(b), leafAt(b)],
        ]),
      }),
      // leaves that do not share the prefix of their branch
      encodeNode({
        depth: 1,
        children: children([
          [nib1(a), leafAt(a)],
          [nib1(c), leafAt(c)],
        ]),
      }),
      encodeNode({
        depth: 0,
        children: children([
          [1, { kind: 'branch', hash: new Uint8Array(32) }],
          [2, { kind: 'branch', hash: value(1) }],
        ]),
      }),
      encodeNode({ depth: 63, children: children([[1, { kind: 'branch', hash: value(1) }]]) }),
      encodeCanonical([0, 3, new Uint8Array(32), 0, new Uint8Array(0)]),
      encodeCanonical([0, 3, new Uint8Array(64), 2, new Uint8Array(64)]),
      encodeCanonical([0, 0x10000, new Uint8Array(0), 0, new Uint8Array(0)]),
    ];
    for (const bytes of bad) {
      let code = '';
      try {
        decodeNode(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(CustodyError);
        code = (e as CustodyError).code;
      }
      expect(code, hex(bytes)).toBe('MAP_NODE_MALFORMED');
    }
    // One branch child and nothing else is a chain link: valid.
    expect(
      decodeNode(encodeNode({ depth: 0, children: children([[3, { kind: 'branch', hash: value(1) }]]) })),
    ).toBeTruthy();
  });
});
