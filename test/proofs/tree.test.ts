/**
 * The ledger's Merkle tree against a naive RFC 9162 recompute from the stored
 * records: roots at every size, inclusion proofs (checked by src/merkle/verify
 * and by an independent verifier), consistency proofs between all pairs of
 * sizes, the same after reopening from LevelDB, and PROOF_RANGE refusals.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { EMPTY_ROOT } from '../../src/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { LevelStore } from '../../src/store/level.js';
import { makeWorld, type World } from '../helpers/world.js';
import { codeOf, growTo, leavesOf, removeTempDirs, tempDir } from './helpers.js';
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

let w: World;
let leaves: Buffer[];

beforeAll(async () => {
  w = await makeWorld();
  await growTo(w, N);
  leaves = await leavesOf(w.ledger);
});

afterAll(removeTempDirs);

describe('roots', () => {
  it('the stored leaf hashes are SHA-256(0x00 || record) of the stored records', async () => {
    expect(leaves).toHaveLength(N);
    for (let i = 0; i < N; i++) {
      expect(hexOf(await w.store.node(0, i))).toBe(hexOf(leaves[i]!));
      expect(await w.ledger.leafHashIs(i, leaves[i]!)).toBe(true);
    }
  });

  it('rootAt(size) equals the naive MTH of the first size records, for every size', async () => {
    for (let size = 1; size <= N; size++)
      expect(hexOf(await w.ledger.rootAt(size)), `size ${size}`).toBe(hexOf(mth(leaves.slice(0, size))));
    expect(hexOf(w.ledger.root())).toBe(hexOf(mth(leaves)));
    expect(hexOf(await w.ledger.rootAt(0))).toBe(hexOf(EMPTY));
    expect(hexOf(EMPTY_ROOT)).toBe(hexOf(EMPTY));
  });

  it('the root after every append (maintained incrementally) equals the naive recompute', async () => {
    const v = await makeWorld();
    const seen: string[] = [hexOf(v.ledger.root())];
    for (let size = v.ledger.size + 1; size <= 20; size++) {
      await growTo(v, size);
      seen.push(hexOf(v.ledger.root()));
    }
    const l = await leavesOf(v.ledger);
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
      const root = await w.ledger.rootAt(size);
      for (let i = 0; i < size; i++) {
        const proof = await w.ledger.inclusionProof(i, size);
        const ctx = `entry ${i} of ${size}`;
        expect(proof.map(hexOf), ctx).toEqual(path(i, leaves.slice(0, size)).map(hexOf));
        expect(verifyInclusion(i, size, leaves[i]!, proof, root), ctx).toBe(true);
        expect(verifyInclusionIndependently(i, size, leaves[i]!, proof, root), ctx).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(SIZES.reduce((a, b) => a + b, 0));
  });

  it('the default size is the current size', async () => {
    expect((await w.ledger.inclusionProof(5)).map(hexOf)).toEqual(
      (await w.ledger.inclusionProof(5, N)).map(hexOf),
    );
  });

  it('a proof does not verify for another leaf, index, root or with a hash changed (both verifiers)', async () => {
    const size = 33;
    const root = await w.ledger.rootAt(size);
    const proof = await w.ledger.inclusionProof(12, size);
    const both = (i: number, leaf: Uint8Array, p: readonly Uint8Array[], r: Uint8Array) => [
      verifyInclusion(i, size, leaf, p, r),
      verifyInclusionIndependently(i, size, leaf, p, r),
    ];
    expect(both(12, leaves[12]!, proof, root)).toEqual([true, true]);
    expect(both(12, leaves[13]!, proof, root)).toEqual([false, false]);
    expect(both(13, leaves[12]!, proof, root)).toEqual([false, false]);
    expect(both(12, leaves[12]!, proof, await w.ledger.rootAt(34))).toEqual([false, false]);
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
    for (let s = 1; s <= N; s++) roots.push(await w.ledger.rootAt(s));
    let checked = 0;
    for (let m = 1; m <= N; m++) {
      for (let n = m; n <= N; n++) {
        const proof = await w.ledger.consistencyProof(m, n);
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
    const r = (s: number) => w.ledger.rootAt(s);
    const proof = await w.ledger.consistencyProof(13, 40);
    const both = async (m: number, n: number, r1: Uint8Array, r2: Uint8Array) => [
      verifyConsistency(m, n, r1, r2, proof),
      verifyConsistencyIndependently(m, n, r1, r2, proof),
    ];
    expect(await both(13, 40, await r(13), await r(40))).toEqual([true, true]);
    expect(await both(13, 40, await r(12), await r(40))).toEqual([false, false]);
    expect(await both(13, 40, await r(13), await r(41))).toEqual([false, false]);
    expect(await both(14, 40, await r(14), await r(40))).toEqual([false, false]);
  });

  it('the default second size is the current size', async () => {
    expect((await w.ledger.consistencyProof(9)).map(hexOf)).toEqual(
      (await w.ledger.consistencyProof(9, N)).map(hexOf),
    );
  });
});

describe('a ledger reopened from LevelDB', () => {
  it('gives identical roots and proofs to the one that wrote it, and to the naive tree', async () => {
    const dir = join(tempDir(), 'ledger');
    const a = await makeWorld(await LevelStore.open(dir, 'create'));
    await growTo(a, 40);
    const before = {
      roots: [] as string[],
      incl: [] as string[][],
      cons: [] as string[][],
    };
    for (let s = 1; s <= 40; s++) {
      before.roots.push(hexOf(await a.ledger.rootAt(s)));
      before.incl.push((await a.ledger.inclusionProof(s - 1, 40)).map(hexOf));
      before.cons.push((await a.ledger.consistencyProof(s, 40)).map(hexOf));
    }
    const memLeaves = (await leavesOf(a.ledger)).slice(0, 40);
    await a.ledger.close();

    const b = await Ledger.open(await LevelStore.open(dir, 'open'));
    try {
      expect(b.size).toBe(40);
      expect(hexOf(b.root())).toBe(before.roots[39]);
      expect((await leavesOf(b)).map(hexOf)).toEqual(memLeaves.map(hexOf));
      for (let s = 1; s <= 40; s++) {
        expect(hexOf(await b.rootAt(s))).toBe(before.roots[s - 1]);
        expect(hexOf(await b.rootAt(s))).toBe(hexOf(mth(memLeaves.slice(0, s))));
        expect((await b.inclusionProof(s - 1, 40)).map(hexOf)).toEqual(before.incl[s - 1]);
        expect((await b.consistencyProof(s, 40)).map(hexOf)).toEqual(before.cons[s - 1]);
      }
      // The same deterministic world in memory has the same tree.
      expect(before.roots[39]).toBe(hexOf(await w.ledger.rootAt(40)));
      // Appending after reopening continues the same tree (frontier loaded from the stored nodes).
      const again = { ...a, ledger: b, store: b.store };
      await growTo(again, 45);
      const l = await leavesOf(b);
      expect(hexOf(b.root())).toBe(hexOf(mth(l)));
      const p = await b.consistencyProof(40, 45);
      expect(verifyConsistencyIndependently(40, 45, fromHex(before.roots[39]!), b.root(), p)).toBe(true);
    } finally {
      await b.close();
    }
  });
});

const fromHex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('invalid ranges are PROOF_RANGE', () => {
  const bad: [string, () => unknown][] = [
    ['inclusion: negative index', () => w.ledger.inclusionProof(-1)],
    ['inclusion: index = size', () => w.ledger.inclusionProof(N)],
    ['inclusion: index beyond the given size', () => w.ledger.inclusionProof(5, 5)],
    ['inclusion: size 0', () => w.ledger.inclusionProof(0, 0)],
    ['inclusion: size beyond the log', () => w.ledger.inclusionProof(0, N + 1)],
    ['inclusion: fractional index', () => w.ledger.inclusionProof(1.5, 4)],
    ['inclusion: NaN size', () => w.ledger.inclusionProof(0, Number.NaN)],
    ['consistency: first 0', () => w.ledger.consistencyProof(0, 5)],
    ['consistency: first > second', () => w.ledger.consistencyProof(6, 5)],
    ['consistency: second beyond the log', () => w.ledger.consistencyProof(1, N + 1)],
    ['consistency: first beyond the log', () => w.ledger.consistencyProof(N + 1)],
    ['consistency: negative', () => w.ledger.consistencyProof(-3, 5)],
    ['rootAt: beyond the log', () => w.ledger.rootAt(N + 1)],
    ['rootAt: negative', () => w.ledger.rootAt(-1)],
    ['rootAt: fractional', () => w.ledger.rootAt(2.5)],
  ];
  for (const [name, fn] of bad) it(name, async () => expect(await codeOf(fn)).toBe('PROOF_RANGE'));
});
