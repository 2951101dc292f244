/**
 * Proof generation (RFC 9162 §2.1.3.1, §2.1.4.1) and rootAt against the naive
 * reference, exhaustively for small trees, randomly for larger ones, and on
 * "uniform" trees of up to 2^53 - 1 leaves to catch 32-bit arithmetic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  MemoryNodeStore,
  MerkleFrontier,
  type NodeReader,
  rootAt,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle/index.js';
import { CheckedReader, ceilLog2, nodeTable, refReader, sameHashes } from './helpers.js';
import { hex, RefTree, refLeafHash, testLeaves } from './reference.js';

const SEED = 0x6d65726b; // fixed so failures reproduce; fast-check prints the path on failure

const MAX_INCLUSION = 300;
const MAX_CONSISTENCY = 130;
const ref = new RefTree(testLeaves(MAX_INCLUSION));
// The reference's complete subtrees, served by a bounds-checking reader.
const table = nodeTable(ref, MAX_INCLUSION);
const tableReader = (size: number) => new CheckedReader((level, index) => table[level]?.[index], size);

// One read per proof element for complete siblings, plus the tiles of at most
// one incomplete range (the right edge): both at most ceil(log2 n) + 1.
const readBound = (n: number): number => 2 * ceilLog2(n) + 2;

describe('rootAt', () => {
  it('equals the reference MTH for every size 0..300, in O(log n) reads', async () => {
    for (let n = 0; n <= MAX_INCLUSION; n++) {
      const reader = refReader(ref, n);
      expect(hex(await rootAt(reader, n)), `size ${n}`).toBe(hex(ref.root(n)));
      expect(reader.reads).toBeLessThanOrEqual(ceilLog2(n) + 1);
    }
  });

  it('size 0 is EMPTY_ROOT without reading anything', async () => {
    const reader = refReader(ref, 0);
    expect(hex(await rootAt(reader, 0))).toBe(hex(EMPTY_ROOT));
    expect(reader.reads).toBe(0);
  });
});

describe('inclusionProof', () => {
  it('equals PATH(m, D[n]) and verifies, for every index of every size 1..300', async () => {
    let checked = 0;
    for (let n = 1; n <= MAX_INCLUSION; n++) {
      const root = ref.root(n);
      for (let m = 0; m < n; m++) {
        const reader = tableReader(n);
        const proof = await inclusionProof(reader, m, n);
        const expected = ref.path(m, n);
        if (!sameHashes(proof, expected)) {
          expect(proof.map(hex), `PATH(${m}, D[${n}])`).toEqual(expected.map(hex));
        }
        if (reader.reads > readBound(n)) expect.fail(`${reader.reads} reads for PATH(${m}, D[${n}])`);
        const leaf = ref.mth(m, m + 1);
        if (!verifyInclusion(m, n, leaf, proof, root)) expect.fail(`PATH(${m}, D[${n}]) does not verify`);
        checked++;
      }
    }
    expect(checked).toBe((MAX_INCLUSION * (MAX_INCLUSION + 1)) / 2);
  });

  it('rootFromInclusionProof returns the root, as a fresh array even for a 1-leaf tree', async () => {
    const leaf = ref.mth(0, 1);
    const r = rootFromInclusionProof(0, 1, leaf, []);
    expect(r).toBeDefined();
    expect(r).not.toBe(leaf);
    expect(hex(r!)).toBe(hex(leaf));
    const proof = await inclusionProof(refReader(ref, 77), 40, 77);
    expect(hex(rootFromInclusionProof(40, 77, ref.mth(40, 41), proof)!)).toBe(hex(ref.root(77)));
  });

  it('throws RangeError on invalid arguments', async () => {
    const reader = refReader(ref, 10);
    for (const [index, size] of [
      [0, 0],
      [10, 10],
      [11, 10],
      [-1, 10],
      [0.5, 10],
      [0, 10.5],
      [Number.NaN, 10],
      [0, Number.POSITIVE_INFINITY],
      [0, 2 ** 53],
    ] as const) {
      await expect(inclusionProof(reader, index, size), `${index}, ${size}`).rejects.toThrow(RangeError);
    }
  });
});

describe('consistencyProof', () => {
  it('equals PROOF(m, D[n]) and verifies, for every 1 <= m <= n <= 130', async () => {
    let checked = 0;
    for (let n = 1; n <= MAX_CONSISTENCY; n++) {
      const root2 = ref.root(n);
      for (let m = 1; m <= n; m++) {
        const reader = tableReader(n);
        const proof = await consistencyProof(reader, m, n);
        const expected = m < n ? ref.proof(m, n) : [];
        if (!sameHashes(proof, expected)) {
          expect(proof.map(hex), `PROOF(${m}, D[${n}])`).toEqual(expected.map(hex));
        }
        if (reader.reads > readBound(n)) expect.fail(`${reader.reads} reads for PROOF(${m}, D[${n}])`);
        if (!verifyConsistency(m, n, ref.root(m), root2, proof))
          expect.fail(`PROOF(${m}, D[${n}]) does not verify`);
        checked++;
      }
    }
    expect(checked).toBe((MAX_CONSISTENCY * (MAX_CONSISTENCY + 1)) / 2);
  });

  it('is empty from size 0, which verifies against EMPTY_ROOT', async () => {
    for (const n of [0, 1, 2, 5, 130]) {
      const reader = refReader(ref, n);
      expect(await consistencyProof(reader, 0, n)).toEqual([]);
      expect(reader.reads).toBe(0);
      expect(verifyConsistency(0, n, EMPTY_ROOT, n === 0 ? EMPTY_ROOT : ref.root(n), [])).toBe(true);
    }
  });

  it('throws RangeError on invalid arguments', async () => {
    const reader = refReader(ref, 10);
    for (const [size1, size2] of [
      [2, 1],
      [11, 10],
      [-1, 10],
      [1, -1],
      [1.5, 10],
      [1, 9.5],
      [Number.NaN, 10],
      [1, Number.NaN],
      [1, 2 ** 53],
    ] as const) {
      await expect(consistencyProof(reader, size1, size2), `${size1}, ${size2}`).rejects.toThrow(RangeError);
    }
  });
});

describe('store failures surface as errors', () => {
  it('a missing node rejects', async () => {
    const store = new MemoryNodeStore();
    const f = MerkleFrontier.empty();
    for (const leaf of testLeaves(5)) store.put(f.append(leaf));
    await expect(rootAt(store, 6)).rejects.toThrow();
    await expect(inclusionProof(store, 0, 6)).rejects.toThrow();
    await expect(consistencyProof(store, 3, 6)).rejects.toThrow();
  });

  it('a stored node of the wrong length rejects instead of leaking into a proof', async () => {
    const bad: NodeReader = { node: async () => new Uint8Array(31) };
    await expect(rootAt(bad, 1)).rejects.toThrow(/32-byte/);
    await expect(inclusionProof(bad, 0, 2)).rejects.toThrow(/32-byte/);
    await expect(consistencyProof(bad, 1, 2)).rejects.toThrow(/32-byte/);
  });
});

describe('random larger trees from a frontier-built store (fast-check)', () => {
  const N = 4096;
  const bigRef = new RefTree(testLeaves(N));
  const store = new MemoryNodeStore();
  const frontier = MerkleFrontier.empty();
  for (let i = 0; i < N; i++) store.put(frontier.append(bigRef.mth(i, i + 1)));
  // Restricts the shared store to the first `size` leaves, so a read beyond the
  // tree being proven fails the test even though the store could answer it.
  class Prefix implements NodeReader {
    reads = 0;
    constructor(readonly size: number) {}
    node(level: number, index: number): Promise<Uint8Array> {
      this.reads++;
      if ((index + 1) * 2 ** level > this.size) throw new Error(`read ${level}:${index} beyond ${this.size}`);
      return store.node(level, index);
    }
  }

  it('inclusion proofs and roots match the reference', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: N })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        async ([n, m]) => {
          const reader = new Prefix(n);
          expect(hex(await rootAt(reader, n))).toBe(hex(bigRef.root(n)));
          const proof = await inclusionProof(reader, m, n);
          expect(proof.map(hex)).toEqual(bigRef.path(m, n).map(hex));
          expect(verifyInclusion(m, n, bigRef.mth(m, m + 1), proof, bigRef.root(n))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('consistency proofs match the reference', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: N }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))),
        async ([m, n]) => {
          const reader = new Prefix(n);
          const proof = await consistencyProof(reader, m, n);
          expect(proof.map(hex)).toEqual((m < n ? bigRef.proof(m, n) : []).map(hex));
          expect(reader.reads).toBeLessThanOrEqual(readBound(n));
          expect(verifyConsistency(m, n, bigRef.root(m), bigRef.root(n), proof)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('huge trees (uniform leaves, sizes up to 2^53 - 1)', () => {
  // Every leaf has the same hash, so any complete subtree's hash depends only on
  // its level and the reference can evaluate any size. Index and size
  // arithmetic above 2^32 is exercised; 32-bit bitwise operators would fail.
  const leaf = refLeafHash(new TextEncoder().encode('uniform'));
  const uref = RefTree.uniform(leaf);
  const levelHash: Uint8Array[] = [leaf];
  for (let l = 1; l <= 53; l++) levelHash.push(uref.mth(0, 2 ** l));
  const uniformReader = (size: number) => new CheckedReader((level) => levelHash[level], size);

  const special = [
    2 ** 31 - 1,
    2 ** 31,
    2 ** 31 + 1,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 32 + 1,
    2 ** 40 + 2 ** 35 + 3,
    2 ** 52,
    2 ** 53 - 2,
    Number.MAX_SAFE_INTEGER,
  ];
  const hugeSize = fc.oneof(
    fc.constantFrom(...special),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  );

  it('roots, inclusion proofs and frontier loads at special sizes', async () => {
    for (const n of special) {
      const root = uref.root(n);
      expect(hex(await rootAt(uniformReader(n), n))).toBe(hex(root));
      for (const m of [0, 1, Math.floor(n / 2), n - 2, n - 1].filter((x) => x >= 0)) {
        const proof = await inclusionProof(uniformReader(n), m, n);
        expect(proof.map(hex), `PATH(${m}, D[${n}])`).toEqual(uref.path(m, n).map(hex));
        expect(verifyInclusion(m, n, leaf, proof, root)).toBe(true);
      }
      const f = await MerkleFrontier.load(uniformReader(n), n);
      expect(hex(f.root())).toBe(hex(root));
    }
  });

  it('random huge inclusion proofs', async () => {
    await fc.assert(
      fc.asyncProperty(
        hugeSize.chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))),
        async ([n, m]) => {
          const reader = uniformReader(n);
          const proof = await inclusionProof(reader, m, n);
          expect(proof.map(hex)).toEqual(uref.path(m, n).map(hex));
          expect(reader.reads).toBeLessThanOrEqual(readBound(n));
          expect(verifyInclusion(m, n, leaf, proof, uref.root(n))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('random huge consistency proofs', async () => {
    await fc.assert(
      fc.asyncProperty(
        hugeSize.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))),
        async ([m, n]) => {
          const reader = uniformReader(n);
          const proof = await consistencyProof(reader, m, n);
          expect(proof.map(hex)).toEqual((m < n ? uref.proof(m, n) : []).map(hex));
          expect(reader.reads).toBeLessThanOrEqual(readBound(n));
          expect(verifyConsistency(m, n, uref.root(m), uref.root(n), proof)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});
