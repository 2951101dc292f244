/**
 * DenseNodeStore (src/merkle/dense.ts): the replay's flat node store must
 * answer rootAt for every earlier size exactly as the reference tree does,
 * and must refuse a node that is not the next of its level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DenseNodeStore, Slab32 } from '../../src/merkle/dense.js';
import { MerkleFrontier, rootAt } from '../../src/merkle/index.js';
import { hex, RefTree, testLeaves } from './reference.js';

const LEAVES = 700; // past several buffer doublings (256 nodes a level at first)
const data = testLeaves(LEAVES);
const ref = new RefTree(data);

function build(n: number) {
  const f = MerkleFrontier.empty();
  const dense = new DenseNodeStore();
  for (let i = 0; i < n; i++) dense.put(f.append(data[i]!));
  return { f, dense };
}

describe('DenseNodeStore', () => {
  it('gives the reference root at every earlier size', async () => {
    const { f, dense } = build(LEAVES);
    expect(hex(f.root())).toBe(hex(ref.root(LEAVES)));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: LEAVES }), async (size) => {
        expect(hex(await rootAt(dense, size))).toBe(hex(ref.root(size)));
      }),
      { seed: 0x64656e73, numRuns: 200 },
    );
    expect(dense.count(0)).toBe(LEAVES);
    expect(dense.count(1)).toBe(Math.floor(LEAVES / 2));
  });

  it('hands out copies, and refuses nodes out of order or beyond what it holds', async () => {
    const { dense } = build(4);
    const copy = await dense.node(0, 1);
    copy.fill(0);
    expect(hex(await dense.node(0, 1))).toBe(hex(data[1]!));
    expect(() => dense.put([{ level: 0, index: 6, hash: new Uint8Array(32) }])).toThrow(RangeError);
    expect(() => dense.put([{ level: 0, index: 4, hash: new Uint8Array(31) }])).toThrow(RangeError);
    await expect(dense.node(0, 4)).rejects.toThrow(RangeError);
    await expect(dense.node(5, 0)).rejects.toThrow(RangeError);
  });
});

describe('Slab32', () => {
  it('keeps every value across its first chunk doubling and past later 1 MiB chunks', () => {
    const slab = new Slab32();
    const n = 2 * 32_768 + 1_000; // two full chunks and part of a third
    const value = (i: number) => {
      const v = new Uint8Array(32);
      new DataView(v.buffer).setUint32(0, i * 2_654_435_761);
      v[31] = i & 0xff;
      return v;
    };
    for (let i = 0; i < n; i++) slab.push(i % 7 === 3 ? undefined : value(i));
    expect(slab.length).toBe(n);
    for (let i = 0; i < n; i++) {
      const want = i % 7 === 3 ? new Uint8Array(32) : value(i);
      if (hex(slab.at(i)) !== hex(want)) expect.fail(`value ${i} differs`);
    }
  });
});
