/**
 * A lazily opened map and proveFromSource() do not trust the store: a node
 * that is missing, damaged, stored for another hash or at another depth is
 * refused (MAP_NODE_MISSING, MAP_NODE_MALFORMED, category 'unavailable'),
 * never spliced in, and never turned into a wrong root or a wrong proof; a
 * key whose path is not loaded is refused (MAP_PATH_NOT_LOADED, 'internal')
 * before anything changes; a root record that contradicts itself does not
 * open.
 */
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import {
  decodeNode,
  encodeNode,
  mapPath,
  proveFromSource,
  StateMap,
  verifyMapProof,
} from '../../src/map/index.js';
import { hex, refLeafHash, refPath } from './reference.js';
import { categoryOf, codeOf, MemSource } from './source.js';

const NS = 'exhibit';
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n);

function fixture(n = 600) {
  const full = new StateMap();
  for (let i = 0; i < n; i++) full.set(NS, `e${i}`, value(i & 255));
  const store = new MemSource();
  const r = store.put(full.takeDirty());
  const open = () => StateMap.open(r.root, r.size, r.rootLeaf, store);
  /** The hashes (hex) of the branches on a key's path, root first. */
  const pathNodes = (k: string): string[] => {
    const path = mapPath(NS, k);
    const out: string[] = [];
    let h = hex(r.root);
    for (let depth = 0; ; depth++) {
      out.push(h);
      const node = decodeNode(store.nodes.get(h)!);
      const c = node.children[(depth & 1) === 0 ? path[depth >> 1]! >> 4 : path[depth >> 1]! & 15]!;
      if (c.kind !== 'branch') return out;
      h = hex(c.hash);
    }
  };
  return { full, store, r, open, pathNodes };
}

describe('a lazily opened map refuses what it cannot trust', () => {
  it('a node missing from the store: MAP_NODE_MISSING, and the path stays unloaded', async () => {
    const { full, store, r, open, pathNodes } = fixture();
    const nodes = pathNodes('e1');
    for (const [depth, h] of nodes.entries()) {
      const saved = store.nodes.get(h)!;
      store.nodes.delete(h);
      const m = open();
      const e = await m.load(NS, 'e1').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CustodyError);
      expect(e).toMatchObject({
        code: 'MAP_NODE_MISSING',
        category: 'unavailable',
        details: { hash: h, depth },
      });
      expect(await codeOf(() => m.set(NS, 'e1', value(9)))).toBe('MAP_PATH_NOT_LOADED');
      expect(await codeOf(() => proveFromSource(r.root, NS, 'e1', store))).toBe('MAP_NODE_MISSING');
      expect(hex(m.root)).toBe(hex(full.root));
      store.nodes.set(h, saved);
      // Once the store has it again, the same map goes on correctly.
      expect(await m.load(NS, 'e1')).toBe(nodes.length - depth);
      m.set(NS, 'e1', value(9));
      expect(hex(m.root)).not.toBe(hex(full.root));
      m.set(NS, 'e1', full.get(NS, 'e1')!);
      expect(hex(m.root)).toBe(hex(full.root));
    }
  });

  it('a damaged node (any byte changed, truncated, extended): MAP_NODE_MALFORMED', async () => {
    const { full, store, r, open, pathNodes } = fixture();
    const nodes = pathNodes('e2');
    // The root (branch children only) and the last branch (leaves inline).
    for (const h of [nodes[0]!, nodes[nodes.length - 1]!]) {
      const good = store.nodes.get(h)!;
      const variants: Uint8Array[] = [good.subarray(0, good.length - 1), Uint8Array.of(...good, 0)];
      for (let i = 0; i < good.length; i++)
        for (const bit of [0x01, 0x80]) {
          const bad = Uint8Array.from(good);
          bad[i]! ^= bit;
          variants.push(bad);
        }
      for (const bad of variants) {
        store.tamper = (x, bytes) => (x === h ? bad : bytes);
        const m = open();
        expect(await codeOf(() => m.load(NS, 'e2'))).toBe('MAP_NODE_MALFORMED');
        expect(await codeOf(() => m.get(NS, 'e2'))).toBe('MAP_PATH_NOT_LOADED');
        expect(await codeOf(() => proveFromSource(r.root, NS, 'e2', store))).toBe('MAP_NODE_MALFORMED');
        expect(hex(m.root)).toBe(hex(full.root));
      }
    }
    store.tamper = undefined;
    expect(await categoryOf(() => decodeNode(new Uint8Array(1)))).toBe('unavailable');
  });

  it('a valid node stored under another hash, or at another depth: MAP_NODE_MALFORMED', async () => {
    const { store, r, open, pathNodes } = fixture();
    const [root, child] = pathNodes('e3') as [string, string];
    // The root's child answered with another real node at the same depth (a
    // sibling): only its hash tells them apart.
    const other = decodeNode(store.nodes.get(root)!)
      .children.map((c) => (c.kind === 'branch' ? hex(c.hash) : ''))
      .find((h) => h !== '' && h !== child)!;
    store.tamper = (x, bytes) => (x === child ? store.nodes.get(other) : bytes);
    expect(await codeOf(() => open().load(NS, 'e3'))).toBe('MAP_NODE_MALFORMED');
    expect(await codeOf(() => proveFromSource(r.root, NS, 'e3', store))).toBe('MAP_NODE_MALFORMED');
    // The root re-encoded for depth 1: same children, so the same hash (the
    // depth is not hashed), and it decodes (all its children are branches).
    const node = decodeNode(store.nodes.get(root)!);
    expect(node.children.every((c) => c.kind === 'branch')).toBe(true);
    const moved = encodeNode({ depth: 1, children: node.children });
    store.tamper = (x, bytes) => (x === root ? moved : bytes);
    const m = open();
    const e = await m.load(NS, 'e3').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'MAP_NODE_MALFORMED', category: 'unavailable' });
    expect((e as Error).message).toMatch(/depth/);
    expect(await codeOf(() => proveFromSource(r.root, NS, 'e3', store))).toBe('MAP_NODE_MALFORMED');
    // Something other than bytes.
    store.tamper = (x, bytes) => (x === root ? ('not bytes' as unknown as Uint8Array) : bytes);
    expect(await codeOf(() => open().load(NS, 'e3'))).toBe('MAP_NODE_MALFORMED');
    store.tamper = undefined;
  });

  it('passes the source’s own errors through unchanged', async () => {
    const { store, open } = fixture(50);
    const boom = new Error('disk on fire');
    store.tamper = () => {
      throw boom;
    };
    await expect(open().load(NS, 'e1')).rejects.toBe(boom);
  });

  it('refuses every use of a path that is not loaded, changing nothing', async () => {
    const { full, open } = fixture(200);
    const m = open();
    const path = mapPath(NS, 'e5');
    const uses: (() => unknown)[] = [
      () => m.get(NS, 'e5'),
      () => m.has(NS, 'e5'),
      () => m.set(NS, 'e5', value(1)),
      () => m.delete(NS, 'e5'),
      () => m.prove(NS, 'e5'),
      () => m.getAtPath(path),
      () => m.setAtPath(path, value(1)),
      () => m.deleteAtPath(path),
      () => m.proveAtPath(path),
      () => m.delete(NS, 'never-set'),
      () => m.set(NS, 'brand-new', value(1)),
    ];
    const snap = m.snapshot();
    uses.push(
      () => snap.get(NS, 'e5'),
      () => snap.prove(NS, 'e5'),
    );
    for (const use of uses) {
      const e = await (async () => use())().catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'MAP_PATH_NOT_LOADED', category: 'internal' });
    }
    expect(hex(m.root)).toBe(hex(full.root));
    expect(m.size).toBe(full.size);
    expect(m.takeDirty().nodes).toEqual([]);
    snap.release();
    // Loading one key loads nothing but its path: a neighbour whose path
    // leaves it is still refused.
    await m.load(NS, 'e5');
    expect(m.get(NS, 'e5')).toEqual(full.get(NS, 'e5'));
    let refused = 0;
    for (let i = 0; i < 200; i++)
      try {
        expect(m.get(NS, `e${i}`)).toEqual(full.get(NS, `e${i}`));
      } catch (e) {
        expect((e as CustodyError).code).toBe('MAP_PATH_NOT_LOADED');
        refused++;
      }
    expect(refused).toBeGreaterThan(150);
    // A bad key is a rejection, not a synchronous throw.
    await expect(m.load('', 'x')).rejects.toMatchObject({ code: 'MAP_KEY_INVALID' });
    await expect(m.loadAtPath(new Uint8Array(31))).rejects.toMatchObject({ code: 'MAP_KEY_INVALID' });
  });

  it('does not open from a root record that contradicts itself', async () => {
    const { r, store } = fixture(20);
    const path = refPath(NS, 'solo');
    const leaf = { path, value: value(4) };
    const leafRoot = refLeafHash(path, value(4));
    expect(await codeOf(() => StateMap.open(r.root.subarray(1), r.size, null, store))).toBe(
      'MAP_ROOT_INVALID',
    );
    const bad: [Uint8Array, number, typeof leaf | null][] = [
      [r.root, 1, null], // a branch root holds two keys or more
      [r.root, 0, null],
      [r.root, 2.5, null],
      [new Uint8Array(32), 3, null], // the empty root with keys
      [leafRoot, 2, leaf], // a leaf root is one key
      [r.root, 1, leaf], // a root leaf that is not the root
      [leafRoot, 1, { path: path.subarray(1), value: value(4) }],
    ];
    for (const [root, size, rootLeaf] of bad)
      expect(await codeOf(() => StateMap.open(root, size, rootLeaf, store))).toBe('MAP_NODE_MALFORMED');
    const one = StateMap.open(leafRoot, 1, leaf, store);
    expect(one.get(NS, 'solo')).toEqual(value(4));
    expect(verifyMapProof(leafRoot, NS, 'solo', one.prove(NS, 'solo'))).toMatchObject({ present: true });
    expect(await codeOf(() => proveFromSource(leafRoot, NS, 'solo', store, { path, value: value(5) }))).toBe(
      'MAP_NODE_MALFORMED',
    );
    expect(await codeOf(() => proveFromSource(new Uint8Array(3), NS, 'solo', store))).toBe(
      'MAP_ROOT_INVALID',
    );
  });
});
