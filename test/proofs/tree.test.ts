/**
 * The v2 ledger's Merkle tree (LogLedger over a LogStore) against a naive
 * RFC 9162 recompute from the stored entries: roots at every size, inclusion
 * proofs (checked by src/merkle/verify and by an independent verifier),
 * consistency proofs between all pairs of sizes, the same after reopening
 * from LevelDB, and refusals of invalid ranges.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ROOT } from '../../src/merkle/hash.js';
import { consistencyProof, inclusionProof, rootAt } from '../../src/merkle/proofs.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import type { LogStore } from '../../src/store/log-store.js';
import {
  growTo,
  leavesOf,
  makeWorld,
  type ProofWorld,
  removeTempDirs,
  reopened,
  tempDir,
} from './helpers.js';
import {
  consistency,
  EMPTY,
  hexOf,
  mth,
  path,
  verifyConsistencyIndependently,
  verifyInclusionIndependently,
} from './independent.js';

const N = 61;
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 60, 61];

let w: ProofWorld;
let leaves: Buffer[];

/** What the ledger's proofs are: src/merkle/proofs.ts over the store's tree nodes. */
const tree = (store: LogStore) => ({
  rootAt: (size: number) => rootAt(store, size),
  inclusionProof: (i: number, size: number) => inclusionProof(store, i, size),
  consistencyProof: (m: number, n: number) => consistencyProof(store, m, n),
});
let t: ReturnType<typeof tree>;

beforeAll(async () => {
  w = await makeWorld();
  await growTo(w, N);
  leaves = await leavesOf(w.store);
  t = tree(w.store);
});

afterAll(removeTempDirs);

describe('roots', () => {
  it('the stored leaf hashes are SHA-256(0x00 || entry) of the stored entries', async () => {
    expect(leaves).toHaveLength(N);
    for (let i = 0; i < N; i++) expect(hexOf(await w.store.node(0, i))).toBe(hexOf(leaves[i]!));
  });

  it('rootAt(size) equals the naive MTH of the first size records, for every size', async () => {
    for (let size = 1; size <= N; size++)
      expect(hexOf(await t.rootAt(size)), `size ${size}`).toBe(hexOf(mth(leaves.slice(0, size))));
    expect(hexOf(w.ledger.root())).toBe(hexOf(mth(leaves)));
    expect(hexOf(await t.rootAt(0))).toBe(hexOf(EMPTY));
    expect(hexOf(EMPTY_ROOT)).toBe(hexOf(EMPTY));
  });

  it('the root after every append (maintained incrementally) equals the naive recompute', async () => {
    const v = await makeWorld();
    const seen: string[] = [hexOf(v.ledger.root())];
    for (let size = v.ledger.size + 1; size <= 20; size++) {
      await growTo(v, size);
      seen.push(hexOf(v.ledger.root()));
    }
    const l = await leavesOf(v.store);
    const first = 20 - seen.length + 1;
    seen.forEach((r, i) => {
      expect(r, `size ${first + i}`).toBe(hexOf(mth(l.slice(0, first + i))));
    });
  });
});

describe('inclusion proofs', () => {
  it('every entry at several sizes: same bytes as the naive PATH, verified by src and independently', async () => {
    let checked = 0;
    for (const size of SIZES) {
      const root = await t.rootAt(size);
      for (let i = 0; i < size; i++) {
        const proof = await t.inclusionProof(i, size);
        const ctx = `entry ${i} of ${size}`;
        expect(proof.map(hexOf), ctx).toEqual(path(i, leaves.slice(0, size)).map(hexOf));
        expect(verifyInclusion(i, size, leaves[i]!, proof, root), ctx).toBe(true);
        expect(verifyInclusionIndependently(i, size, leaves[i]!, proof, root), ctx).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(SIZES.reduce((a, b) => a + b, 0));
  });

  it('a proof does not verify for another leaf, index, root or with a hash changed (both verifiers)', async () => {
    const size = 33;
    const root = await t.rootAt(size);
    const proof = await t.inclusionProof(12, size);
    const both = (i: number, leaf: Uint8Array, p: readonly Uint8Array[], r: Uint8Array) => [
      verifyInclusion(i, size, leaf, p, r),
      verifyInclusionIndependently(i, size, leaf, p, r),
    ];
    expect(both(12, leaves[12]!, proof, root)).toEqual([true, true]);
    expect(both(12, leaves[13]!, proof, root)).toEqual([false, false]);
    expect(both(13, leaves[12]!, proof, root)).toEqual([false, false]);
    expect(both(12, leaves[12]!, proof, await t.rootAt(34))).toEqual([false, false]);
    const bent = proof.map((p) => Uint8Array.from(p));
    bent[2]![0]! ^= 1;
    expect(both(12, leaves[12]!, bent, root)).toEqual([false, false]);
    expect(both(12, leaves[12]!, proof.slice(1), root)).toEqual([false, false]);
    expect(both(12, leaves[12]!, [...proof, proof[0]!], root)).toEqual([false, false]);
  });
});

describe('consistency proofs', () => {
  it('between all pairs of sizes: same bytes as the naive PROOF, verified by src and independently', async () => {
    const roots = [EMPTY_ROOT];
    for (let s = 1; s <= N; s++) roots.push(await t.rootAt(s));
    let checked = 0;
    for (let m = 1; m <= N; m++) {
      for (let n = m; n <= N; n++) {
        const proof = await t.consistencyProof(m, n);
        const ctx = `${m} -> ${n}`;
        expect(proof.map(hexOf), ctx).toEqual(m === n ? [] : consistency(m, leaves.slice(0, n)).map(hexOf));
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof), ctx).toBe(true);
        expect(verifyConsistencyIndependently(m, n, roots[m]!, roots[n]!, proof), ctx).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it('a proof does not verify with a wrong old root, new root or size (both verifiers)', async () => {
    const r = (s: number) => t.rootAt(s);
    const proof = await t.consistencyProof(13, 40);
    const both = async (m: number, n: number, r1: Uint8Array, r2: Uint8Array) => [
      verifyConsistency(m, n, r1, r2, proof),
      verifyConsistencyIndependently(m, n, r1, r2, proof),
    ];
    expect(await both(13, 40, await r(13), await r(40))).toEqual([true, true]);
    expect(await both(13, 40, await r(12), await r(40))).toEqual([false, false]);
    expect(await both(13, 40, await r(13), await r(41))).toEqual([false, false]);
    expect(await both(14, 40, await r(14), await r(40))).toEqual([false, false]);
  });
});

describe('a ledger reopened from LevelDB', () => {
  it('gives identical roots and proofs to the one that wrote it, and to the naive tree', async () => {
    const dir = join(tempDir(), 'ledger');
    const a = await makeWorld(await LevelLogStore.open(dir, 'create'));
    await growTo(a, 40);
    const ta = tree(a.store);
    const before = {
      roots: [] as string[],
      incl: [] as string[][],
      cons: [] as string[][],
    };
    for (let s = 1; s <= 40; s++) {
      before.roots.push(hexOf(await ta.rootAt(s)));
      before.incl.push((await ta.inclusionProof(s - 1, 40)).map(hexOf));
      before.cons.push((await ta.consistencyProof(s, 40)).map(hexOf));
    }
    const memLeaves = (await leavesOf(a.store)).slice(0, 40);
    await a.ledger.close();

    const b = await reopened(a, await LevelLogStore.open(dir, 'open'));
    const tb = tree(b.store);
    try {
      expect(b.ledger.size).toBe(40);
      expect(hexOf(b.ledger.root())).toBe(before.roots[39]);
      expect((await leavesOf(b.store)).map(hexOf)).toEqual(memLeaves.map(hexOf));
      for (let s = 1; s <= 40; s++) {
        expect(hexOf(await tb.rootAt(s))).toBe(before.roots[s - 1]);
        expect(hexOf(await tb.rootAt(s))).toBe(hexOf(mth(memLeaves.slice(0, s))));
        expect((await tb.inclusionProof(s - 1, 40)).map(hexOf)).toEqual(before.incl[s - 1]);
        expect((await tb.consistencyProof(s, 40)).map(hexOf)).toEqual(before.cons[s - 1]);
      }
      // The same deterministic world in memory has the same tree.
      expect(before.roots[39]).toBe(hexOf(await t.rootAt(40)));
      // Appending after reopening continues the same tree (frontier loaded from the stored nodes).
      await growTo(b, 45);
      const l = await leavesOf(b.store);
      expect(hexOf(b.ledger.root())).toBe(hexOf(mth(l)));
      const p = await tb.consistencyProof(40, 45);
      expect(verifyConsistencyIndependently(40, 45, fromHex(before.roots[39]!), b.ledger.root(), p)).toBe(
        true,
      );
    } finally {
      await b.ledger.close();
    }
  });
});

const fromHex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

/**
 * v2 has no PROOF_RANGE: src/merkle/proofs.ts is called with checked
 * arguments (the CLI refuses a bad range with USAGE first) and throws a
 * RangeError on any other, never a wrong proof.
 */
describe('invalid ranges are refused (RangeError)', () => {
  const bad: [string, () => unknown][] = [
    ['inclusion: negative index', () => t.inclusionProof(-1, N)],
    ['inclusion: index = size', () => t.inclusionProof(N, N)],
    ['inclusion: index beyond the given size', () => t.inclusionProof(5, 5)],
    ['inclusion: size 0', () => t.inclusionProof(0, 0)],
    ['inclusion: fractional index', () => t.inclusionProof(1.5, 4)],
    ['inclusion: NaN size', () => t.inclusionProof(0, Number.NaN)],
    ['consistency: first > second', () => t.consistencyProof(6, 5)],
    ['consistency: negative', () => t.consistencyProof(-3, 5)],
    ['rootAt: negative', () => t.rootAt(-1)],
    ['rootAt: fractional', () => t.rootAt(2.5)],
  ];
  for (const [name, fn] of bad)
    it(name, async () => {
      await expect((async () => fn())()).rejects.toBeInstanceOf(RangeError);
    });

  it('from size 0 the consistency proof is empty (nothing to prove: §2.1.4.1 defines 0 < m)', async () => {
    expect(await t.consistencyProof(0, 5)).toEqual([]);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, await t.rootAt(5), [])).toBe(true);
  });

  it('sizes beyond the log fail on the missing nodes (LevelDB: STORE_CORRUPT), never give a proof', async () => {
    for (const fn of [
      () => t.inclusionProof(0, N + 1),
      () => t.consistencyProof(1, N + 1),
      () => t.consistencyProof(N + 1, N + 2),
      () => t.rootAt(N + 1),
    ])
      await expect((async () => fn())()).rejects.toThrow();
  });
});
