/**
 * Reading a tree held in the slabs from a given root reference: lookups and
 * proofs. Shared by the live map and its snapshots (a snapshot is just an
 * older root reference whose nodes the map no longer changes, ./epochs.ts).
 * A descent that stops at a stub (a branch not loaded, ./lazy.ts) throws
 * MAP_PATH_NOT_LOADED rather than answer for a subtree it cannot see.
 */
import { HASH_SIZE, LEAF_INPUT_SIZE, NODE_INPUT_SIZE } from './constants.js';
import { pathNotLoaded } from './errors.js';
import { nibble } from './path.js';
import type { MapProof, MapProofLevel, MapProofTerminal } from './proof.js';
import {
  BRANCH_MASK,
  BRANCH_SHIFT,
  LEAF_MASK,
  LEAF_SHIFT,
  META_STRIDE,
  type Slabs,
  STUB_REF,
} from './slabs.js';

/** Follows path from rootRef; returns the reference where it ends (EMPTY or a leaf) and its depth. */
function descend(slabs: Slabs, rootRef: number, path: Uint8Array): { ref: number; depth: number } {
  let ref = rootRef;
  let depth = 0;
  while (ref > 0) {
    const b = ref - 1;
    ref = slabs.meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + nibble(path, 0, depth)]!;
    depth++;
  }
  return { ref, depth };
}

/** Offset of leaf l's path in its slab chunk (its value follows). */
export const leafPathAt = (l: number): number => (l & LEAF_MASK) * LEAF_INPUT_SIZE + 1;
export const leafChunk = (slabs: Slabs, l: number): Uint8Array => slabs.leaves[l >>> LEAF_SHIFT]!;

export function leafPathEquals(slabs: Slabs, l: number, path: Uint8Array): boolean {
  const buf = leafChunk(slabs, l);
  const at = leafPathAt(l);
  for (let i = 0; i < HASH_SIZE; i++) if (buf[at + i] !== path[i]) return false;
  return true;
}

/** The value stored for path, a copy, or undefined. */
export function lookup(slabs: Slabs, rootRef: number, path: Uint8Array): Uint8Array | undefined {
  const { ref, depth } = descend(slabs, rootRef, path);
  if (ref === 0) return undefined;
  if (ref === STUB_REF) throw pathNotLoaded(depth);
  const l = ~ref;
  if (!leafPathEquals(slabs, l, path)) return undefined;
  const at = leafPathAt(l) + HASH_SIZE;
  return leafChunk(slabs, l).slice(at, at + HASH_SIZE);
}

/** The proof for path in the tree at rootRef (./proof.ts). */
export function proveIn(slabs: Slabs, rootRef: number, path: Uint8Array): MapProof {
  const levels: MapProofLevel[] = [];
  let ref = rootRef;
  let depth = 0;
  while (ref > 0) {
    const b = ref - 1;
    const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    const input = slabs.inputs[b >>> BRANCH_SHIFT]!;
    const at = (b & BRANCH_MASK) * NODE_INPUT_SIZE + 1;
    const own = nibble(path, 0, depth);
    let bitmap = 0;
    let n = 0;
    for (let i = 0; i < 16; i++)
      if (i !== own && meta[mb + i] !== 0) {
        bitmap |= 1 << i;
        n++;
      }
    const siblings = new Uint8Array(n * HASH_SIZE);
    for (let i = 0, j = 0; i < 16; i++)
      if ((bitmap >>> i) & 1)
        siblings.set(input.subarray(at + i * HASH_SIZE, at + (i + 1) * HASH_SIZE), HASH_SIZE * j++);
    levels.push({ bitmap, siblings });
    ref = meta[mb + own]!;
    depth++;
  }
  if (ref === STUB_REF) throw pathNotLoaded(depth);
  let terminal: MapProofTerminal;
  if (ref === 0) terminal = { kind: 'absent-empty' };
  else {
    const l = ~ref;
    const buf = leafChunk(slabs, l);
    const at = leafPathAt(l);
    const value = buf.slice(at + HASH_SIZE, at + 2 * HASH_SIZE);
    terminal = leafPathEquals(slabs, l, path)
      ? { kind: 'member', value }
      : { kind: 'absent-leaf', path: buf.slice(at, at + HASH_SIZE), value };
  }
  return { levels, terminal };
}
