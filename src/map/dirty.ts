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
import { HASH_SIZE, NODE_INPUT_SIZE } from './constants.js';
import { encodeNode, type MapNode, type MapNodeChild } from './node-codec.js';
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

/** The decoded form of branch b at `depth`. */
export function branchNode(slabs: Slabs, b: number, depth: number): MapNode {
  const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
  const mb = (b & BRANCH_MASK) * META_STRIDE;
  const input = slabs.inputs[b >>> BRANCH_SHIFT]!;
  const at = (b & BRANCH_MASK) * NODE_INPUT_SIZE + 1;
  const children: MapNodeChild[] = [];
  for (let i = 0; i < 16; i++) {
    const ref = meta[mb + i]!;
    if (ref === 0) children.push({ kind: 'empty' });
    else if (ref > 0 || ref === STUB_REF)
      children.push({ kind: 'branch', hash: input.slice(at + i * HASH_SIZE, at + (i + 1) * HASH_SIZE) });
    else children.push(leafOf(slabs, ~ref));
  }
  return { depth, children };
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

/** Encodes and clears the dirty branches below rootRef (a branch reference). */
export function collectDirty(slabs: Slabs, rootRef: number, rootHash: Uint8Array): EncodedMapNode[] {
  const out: EncodedMapNode[] = [];
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
    out.push({ hash, bytes: encodeNode(branchNode(slabs, b, depth)) });
  };
  if (rootRef > 0) visit(rootRef - 1, 0, Uint8Array.from(rootHash));
  return out;
}
