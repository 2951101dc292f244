/** MerkleFrontier (incremental appends) and MemoryNodeStore. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryNodeStore,
  MerkleFrontier,
  type NewNode,
  type NodeReader,
  rootAt,
} from '../../src/merkle/index.js';
import { CheckedReader, refReader } from './helpers.js';
import { hex, RefTree, refLeafHash, testLeaves } from './reference.js';

const SEED = 0x66726f6e;
const N = 1100;
const leaves = testLeaves(N);
const ref = new RefTree(leaves);

const keyed = (nodes: readonly NewNode[]) => nodes.map((n) => `${n.level}:${n.index}=${hex(n.hash)}`);

/** Number of trailing one bits of n: how many parents appending leaf n completes. */
function trailingOnes(n: number): number {
  let c = 0;
  while (n % 2 === 1) {
    c++;
    n = Math.floor(n / 2);
  }
  return c;
}

describe('MerkleFrontier.append', () => {
  it('gives the reference root at every size 0..1100', () => {
    const f = MerkleFrontier.empty();
    expect(f.size).toBe(0);
    expect(hex(f.root())).toBe(hex(EMPTY_ROOT));
    for (let n = 1; n <= N; n++) {
      f.append(leaves[n - 1]!);
      expect(f.size).toBe(n);
      const r = f.root();
      if (hex(r) !== hex(ref.root(n))) expect.fail(`root at size ${n}`);
      expect(f.root()).toBe(r); // cached until the next append
    }
  });

  it('returns exactly the complete subtrees each append completes, leaf first, in level order', () => {
    const f = MerkleFrontier.empty();
    const all = new Map<string, string>();
    for (let n = 0; n < 600; n++) {
      const nodes = f.append(leaves[n]!);
      expect(nodes.length).toBe(1 + trailingOnes(n));
      nodes.forEach((node, i) => {
        expect(node.level).toBe(i);
        // A node at `level` completed by leaf n ends at leaf n.
        expect((node.index + 1) * 2 ** node.level).toBe(n + 1);
        const range = [node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level] as const;
        if (hex(node.hash) !== hex(ref.mth(...range))) expect.fail(`node ${node.level}:${node.index}`);
        all.set(`${node.level}:${node.index}`, hex(node.hash));
      });
      expect(nodes[0]!.hash).toBe(leaves[n]);
    }
    // Together: every complete subtree of the 600-leaf tree, each exactly once.
    expect(all).toEqual(new Map([...ref.completeNodes(600)].map(([k, h]) => [k, hex(h)])));
  });

  it('rejects leaf hashes that are not 32-byte Uint8Arrays', () => {
    const f = MerkleFrontier.empty();
    const bad: unknown[] = [
      new Uint8Array(31),
      new Uint8Array(33),
      new Uint8Array(0),
      [...leaves[0]!],
      'x',
      undefined,
    ];
    for (const b of bad) expect(() => f.append(b as Uint8Array)).toThrow(TypeError);
    expect(f.size).toBe(0);
  });
});

describe('MerkleFrontier.load', () => {
  const store = new MemoryNodeStore();
  const built: MerkleFrontier[] = [];
  {
    const f = MerkleFrontier.empty();
    built.push(f.clone());
    for (let n = 0; n < 300; n++) {
      store.put(f.append(leaves[n]!));
      built.push(f.clone());
    }
  }
  // Only nodes of the first `size` leaves may be read.
  const reader = (size: number) => new CheckedReader((l, i) => ref.mth(i * 2 ** l, (i + 1) * 2 ** l), size);

  it('reproduces the appended frontier at every size 0..300: root and subsequent appends', async () => {
    for (let size = 0; size <= 300; size++) {
      const r = reader(size);
      const loaded = await MerkleFrontier.load(r, size);
      // One read per complete subtree on the right edge: popcount(size).
      expect(r.reads).toBe([...size.toString(2)].filter((b) => b === '1').length);
      expect(loaded.size).toBe(size);
      expect(hex(loaded.root())).toBe(hex(built[size]!.root()));
      const appended = built[size]!.clone();
      for (let j = size; j < Math.min(size + 9, N); j++) {
        expect(keyed(loaded.append(leaves[j]!))).toEqual(keyed(appended.append(leaves[j]!)));
        expect(hex(loaded.root())).toBe(hex(ref.root(j + 1)));
      }
    }
  });

  it('loads from a MemoryNodeStore filled by appends (random sizes up to 4096, fast-check)', async () => {
    const big = testLeaves(4096);
    const bigRef = new RefTree(big);
    const s = new MemoryNodeStore();
    const f = MerkleFrontier.empty();
    for (const l of big) s.put(f.append(l));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4096 }), async (size) => {
        const loaded = await MerkleFrontier.load(s, size);
        expect(hex(loaded.root())).toBe(hex(size === 0 ? EMPTY_ROOT : bigRef.root(size)));
        expect(hex(await rootAt(s, size))).toBe(hex(loaded.root()));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('works beyond 2^32 leaves (uniform tree), including the carry of 32 levels', async () => {
    const leaf = refLeafHash(new TextEncoder().encode('uniform'));
    const uref = RefTree.uniform(leaf);
    const uniform = (size: number) => new CheckedReader((level) => uref.mth(0, 2 ** level), size);
    for (const size of [2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER - 1]) {
      const f = await MerkleFrontier.load(uniform(size), size);
      expect(hex(f.root())).toBe(hex(uref.root(size)));
      const nodes = f.append(leaf);
      expect(hex(f.root())).toBe(hex(uref.root(size + 1)));
      expect(nodes.length).toBe(1 + trailingOnes(size));
      for (const node of nodes) {
        expect((node.index + 1) * 2 ** node.level).toBe(size + 1);
        expect(hex(node.hash)).toBe(hex(uref.mth(0, 2 ** node.level)));
      }
    }
    const full = await MerkleFrontier.load(uniform(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
    expect(() => full.append(leaf)).toThrow(RangeError);
  });

  it('rejects invalid sizes, missing nodes and corrupt nodes', async () => {
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      await expect(MerkleFrontier.load(store, bad)).rejects.toThrow(RangeError);
    }
    await expect(MerkleFrontier.load(store, 301)).rejects.toThrow();
    const corrupt: NodeReader = { node: async () => new Uint8Array(31) };
    await expect(MerkleFrontier.load(corrupt, 3)).rejects.toThrow(/32-byte/);
  });
});

describe('MerkleFrontier.clone', () => {
  it('is isolated in both directions', () => {
    const a = MerkleFrontier.empty();
    for (let i = 0; i < 11; i++) a.append(leaves[i]!);
    const rootA = hex(a.root());
    const b = a.clone();
    expect(hex(b.root())).toBe(rootA);

    // A failed group commit: the clone takes the batch and is thrown away.
    for (let i = 11; i < 20; i++) b.append(leaves[i]!);
    expect(b.size).toBe(20);
    expect(hex(b.root())).toBe(hex(ref.root(20)));
    expect(a.size).toBe(11);
    expect(hex(a.root())).toBe(rootA);

    // And the original moving on does not disturb an existing clone.
    const c = a.clone();
    a.append(leaves[11]!);
    expect(hex(a.root())).toBe(hex(ref.root(12)));
    expect(c.size).toBe(11);
    expect(hex(c.root())).toBe(rootA);
    c.append(leaves[11]!);
    expect(hex(c.root())).toBe(hex(a.root()));
  });

  it('random interleavings of appends and clones match the reference (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('append'), fc.constant('clone'), fc.nat(5)), { maxLength: 200 }),
        (ops) => {
          const live: MerkleFrontier[] = [MerkleFrontier.empty()];
          for (const op of ops) {
            if (op === 'clone') live.push(live[live.length - 1]!.clone());
            else {
              const f = op === 'append' ? live[live.length - 1]! : live[op % live.length]!;
              if (f.size < N) f.append(leaves[f.size]!);
            }
          }
          for (const f of live) expect(hex(f.root())).toBe(hex(ref.root(f.size)));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('MemoryNodeStore', () => {
  it('serves what was put and counts it', async () => {
    const s = new MemoryNodeStore();
    const f = MerkleFrontier.empty();
    for (let i = 0; i < 8; i++) s.put(f.append(leaves[i]!));
    expect(s.count).toBe(15); // 8 + 4 + 2 + 1 complete subtrees
    expect(hex(await s.node(3, 0))).toBe(hex(ref.root(8)));
    expect(hex(await s.node(0, 5))).toBe(hex(leaves[5]!));
    expect(hex(await rootAt(s, 8))).toBe(hex(f.root()));
    // It satisfies the same read discipline as any other store.
    expect(hex(await rootAt(refReader(ref, 8), 8))).toBe(hex(await rootAt(s, 8)));
  });

  it('a missing node rejects with a RangeError', async () => {
    const s = new MemoryNodeStore();
    await expect(s.node(0, 0)).rejects.toThrow(RangeError);
    s.put([{ level: 0, index: 0, hash: leaves[0]! }]);
    await expect(s.node(0, 1)).rejects.toThrow(RangeError);
    await expect(s.node(1, 0)).rejects.toThrow(RangeError);
  });
});
