/**
 * Changed branches, for a store to persist (docs/STATE-MAP.md §Persistence
 * hook). Every update rehashes the branches on its path and marks them dirty
 * (./map.ts), so the dirty branches of the live tree form a subtree hanging
 * from the root: collecting them is a walk that enters dirty branches only,
 * and it takes each branch's hash from its parent's hash input, where the map
 * already keeps it. No list of changes is kept between calls.
 *
 * In a map opened from a store (./lazy.ts), branches loaded from it are clean
 * and stubs (branches not loaded) are never dirty: a stub child is encoded by
 * the hash its parent holds, and the walk never enters it.
 */
import { binHeadSize, uintSize, writeBinHead, writeUint } from '../format/canonical-fixed.js';
import { HASH_SIZE, NODE_INPUT_SIZE } from './constants.js';
import { leafChunk, leafPathAt } from './read.js';
import { BRANCH_MASK, BRANCH_SHIFT, FLAG_DIRTY, FLAGS, META_STRIDE, type Slabs, STUB_REF } from './slabs.js';

export interface EncodedMapNode {
  /** nodeHash of the branch: the key a content-addressed store files it under. */
  readonly hash: Uint8Array;
  /** encodeNode() of the branch (./node-codec.ts). */
  readonly bytes: Uint8Array;
}

export interface MapChanges {
  readonly root: Uint8Array;
  readonly size: number;
  /** The root itself when it is a single leaf (a map of one key): no branch holds it. */
  readonly rootLeaf: { readonly path: Uint8Array; readonly value: Uint8Array } | null;
  /** Branches of the live tree changed since the previous call, children before parents. */
  readonly nodes: readonly EncodedMapNode[];
}

/**
 * encodeNode() of branch b at `depth` (./node-codec.ts, byte for byte),
 * written straight from the slabs into `out` at `o` (`s`: its shapeOf());
 * returns the offset after it. Every batch of appends persists a few hundred branches, and building
 * the decoded form first (16 child objects, a copy of every hash and leaf, a
 * buffer per branch) cost more than the hashing that changed them. The wire
 * form is canonical MessagePack with each length in its shortest form:
 * fixarray 5, depth as a positive fixint (< 64), each bitmap as the shortest
 * uint, each byte string as bin 8 or bin 16 (at most 16 × 64 bytes).
 */
function writeBranch(slabs: Slabs, b: number, depth: number, s: Shape, out: Uint8Array, o: number): number {
  const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
  const mb = (b & BRANCH_MASK) * META_STRIDE;
  const input = slabs.inputs[b >>> BRANCH_SHIFT]!;
  const at = (b & BRANCH_MASK) * NODE_INPUT_SIZE + 1;
  out[o++] = 0x95;
  out[o++] = depth;
  o = writeUint(out, o, s.branchBitmap);
  o = writeBinHead(out, o, s.hashBytes);
  for (let i = 0; i < 16; i++) {
    if ((s.branchBitmap & (1 << i)) === 0) continue;
    o = copy(out, o, input, at + i * HASH_SIZE, HASH_SIZE);
  }
  o = writeUint(out, o, s.leafBitmap);
  o = writeBinHead(out, o, s.leafBytes);
  for (let i = 0; i < 16; i++) {
    if ((s.leafBitmap & (1 << i)) === 0) continue;
    const l = ~meta[mb + i]!;
    o = copy(out, o, leafChunk(slabs, l), leafPathAt(l), 2 * HASH_SIZE);
  }
  return o;
}

interface Shape {
  /** Bit i: child i is a branch (a stub is a branch not loaded). */
  branchBitmap: number;
  /** Bit i: child i is a leaf. */
  leafBitmap: number;
  hashBytes: number;
  leafBytes: number;
  /** The length of writeBranch()'s output. */
  size: number;
}

function shapeOf(slabs: Slabs, b: number): Shape {
  const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
  const mb = (b & BRANCH_MASK) * META_STRIDE;
  let branchBitmap = 0;
  let leafBitmap = 0;
  let branches = 0;
  let leaves = 0;
  for (let i = 0; i < 16; i++) {
    const ref = meta[mb + i]!;
    if (ref > 0 || ref === STUB_REF) {
      branchBitmap |= 1 << i;
      branches++;
    } else if (ref < 0) {
      leafBitmap |= 1 << i;
      leaves++;
    }
  }
  const hashBytes = branches * HASH_SIZE;
  const leafBytes = leaves * 2 * HASH_SIZE;
  const size =
    2 +
    uintSize(branchBitmap) +
    binHeadSize(hashBytes) +
    hashBytes +
    uintSize(leafBitmap) +
    binHeadSize(leafBytes) +
    leafBytes;
  return { branchBitmap, leafBitmap, hashBytes, leafBytes, size };
}

/** Copies n bytes without the view object a subarray() would allocate. */
function copy(out: Uint8Array, o: number, src: Uint8Array, from: number, n: number): number {
  for (let i = 0; i < n; i++) out[o + i] = src[from + i]!;
  return o + n;
}

export function leafOf(slabs: Slabs, l: number): { kind: 'leaf'; path: Uint8Array; value: Uint8Array } {
  const buf = leafChunk(slabs, l);
  const at = leafPathAt(l);
  return {
    kind: 'leaf',
    path: buf.slice(at, at + HASH_SIZE),
    value: buf.slice(at + HASH_SIZE, at + 2 * HASH_SIZE),
  };
}

/**
 * Encodes and clears the dirty branches below rootRef (a branch reference).
 * Their encodings are views of one new buffer (one allocation a batch, not
 * one a branch), which nothing else writes to.
 */
export function collectDirty(slabs: Slabs, rootRef: number, rootHash: Uint8Array): EncodedMapNode[] {
  const found: { b: number; depth: number; hash: Uint8Array; shape: Shape }[] = [];
  let total = 0;
  const visit = (b: number, depth: number, hash: Uint8Array) => {
    const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    if ((meta[mb + FLAGS]! & FLAG_DIRTY) === 0) return;
    meta[mb + FLAGS] = meta[mb + FLAGS]! & ~FLAG_DIRTY;
    const input = slabs.inputs[b >>> BRANCH_SHIFT]!;
    const at = (b & BRANCH_MASK) * NODE_INPUT_SIZE + 1;
    for (let i = 0; i < 16; i++) {
      const ref = meta[mb + i]!;
      if (ref > 0) visit(ref - 1, depth + 1, input.slice(at + i * HASH_SIZE, at + (i + 1) * HASH_SIZE));
    }
    const shape = shapeOf(slabs, b);
    total += shape.size;
    found.push({ b, depth, hash, shape });
  };
  if (rootRef > 0) visit(rootRef - 1, 0, Uint8Array.from(rootHash));
  const buf = new Uint8Array(total);
  let o = 0;
  return found.map(({ b, depth, hash, shape }) => {
    const start = o;
    o = writeBranch(slabs, b, depth, shape, buf, o);
    return { hash, bytes: buf.subarray(start, o) };
  });
}
