/**
 * The serialisable form of one branch, for a store to persist what takeDirty()
 * returns (docs/STATE-MAP.md §Node encoding). Canonical MessagePack:
 *
 *   node = [ depth, branchBitmap, branchHashes, leafBitmap, leaves ]
 *     depth         uint 0..63, the branch's depth (length of its path prefix)
 *     branchBitmap  uint16, bit i: child i is a branch
 *     branchHashes  bin, 32 × popcount(branchBitmap): their node hashes, increasing i
 *     leafBitmap    uint16, bit i: child i is a leaf (disjoint from branchBitmap)
 *     leaves        bin, 64 × popcount(leafBitmap): path ‖ value of each, increasing i
 *
 * Leaves are kept inline (a leaf is no bigger than the hash that would name
 * it), so the whole map is the set of its branches, each keyed by its node
 * hash, which hashNode() recomputes from the decoded form. A node that breaks
 * the construction (a leaf in the wrong slot or off the shared prefix, a
 * branch holding one leaf only, which would have been compacted) is refused.
 */

import { sha256 } from '../crypto/sha256.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { HASH_SIZE, PATH_NIBBLES } from './constants.js';
import { nodeMalformed } from './errors.js';
import { childOffset, leafHash, nodeInput } from './hash.js';
import { nibble } from './path.js';
import { popcount16 } from './proof.js';

export type MapNodeChild =
  | { readonly kind: 'empty' }
  | { readonly kind: 'branch'; readonly hash: Uint8Array }
  | { readonly kind: 'leaf'; readonly path: Uint8Array; readonly value: Uint8Array };

export interface MapNode {
  /** Length of the path prefix this branch stands for, 0..63. */
  readonly depth: number;
  /** Exactly 16. */
  readonly children: readonly MapNodeChild[];
}

export function encodeNode(node: MapNode): Uint8Array {
  let branchBitmap = 0;
  let leafBitmap = 0;
  const hashes: Uint8Array[] = [];
  const leaves: Uint8Array[] = [];
  node.children.forEach((c, i) => {
    if (c.kind === 'branch') {
      branchBitmap |= 1 << i;
      hashes.push(c.hash);
    } else if (c.kind === 'leaf') {
      leafBitmap |= 1 << i;
      leaves.push(c.path, c.value);
    }
  });
  const join = (parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.length * HASH_SIZE);
    for (let i = 0; i < parts.length; i++) out.set(parts[i]!, i * HASH_SIZE);
    return out;
  };
  const wire: Canonical = [node.depth, branchBitmap, join(hashes), leafBitmap, join(leaves)];
  return encodeCanonical(wire);
}

const isU16 = (x: unknown): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffff;

/** Decodes and checks one node. Throws MAP_NODE_MALFORMED. */
export function decodeNode(bytes: Uint8Array): MapNode {
  const d = decodeCanonical(bytes);
  if ('error' in d) throw nodeMalformed(`not canonical MessagePack (${d.error})`);
  const v = d.value;
  if (!Array.isArray(v) || v.length !== 5) throw nodeMalformed('not a 5-element array');
  const [depth, branchBitmap, hashes, leafBitmap, leaves] = v as unknown[];
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0 || depth >= PATH_NIBBLES)
    throw nodeMalformed('depth out of range');
  if (!isU16(branchBitmap) || !isU16(leafBitmap)) throw nodeMalformed('bitmap out of range');
  if ((branchBitmap & leafBitmap) !== 0) throw nodeMalformed('a child is both branch and leaf');
  if (!(hashes instanceof Uint8Array) || hashes.length !== popcount16(branchBitmap) * HASH_SIZE)
    throw nodeMalformed('branch hashes do not match the bitmap');
  if (!(leaves instanceof Uint8Array) || leaves.length !== popcount16(leafBitmap) * 2 * HASH_SIZE)
    throw nodeMalformed('leaves do not match the bitmap');
  // A branch at depth 63 has only leaves below it: a branch at depth 64 would
  // hold two leaves with one path.
  if (depth === PATH_NIBBLES - 1 && branchBitmap !== 0) throw nodeMalformed('branch below depth 63');
  const nb = popcount16(branchBitmap);
  const nl = popcount16(leafBitmap);
  if (nb + nl === 0 || (nb === 0 && nl === 1)) throw nodeMalformed('fewer than two leaves (not compacted)');

  const children: MapNodeChild[] = [];
  let first: Uint8Array | undefined;
  for (let i = 0, bi = 0, li = 0; i < 16; i++) {
    if ((branchBitmap >>> i) & 1) {
      const hash = hashes.slice(bi * HASH_SIZE, ++bi * HASH_SIZE);
      if (hash.every((x) => x === 0)) throw nodeMalformed('a branch child has the EMPTY hash');
      children.push({ kind: 'branch', hash });
    } else if ((leafBitmap >>> i) & 1) {
      const path = leaves.slice(li * 2 * HASH_SIZE, (li * 2 + 1) * HASH_SIZE);
      const value = leaves.slice((li * 2 + 1) * HASH_SIZE, (li * 2 + 2) * HASH_SIZE);
      li++;
      if (nibble(path, 0, depth) !== i) throw nodeMalformed('a leaf is in the wrong slot');
      first ??= path;
      for (let k = 0; k < depth; k++)
        if (nibble(path, 0, k) !== nibble(first, 0, k)) throw nodeMalformed('leaves do not share the prefix');
      children.push({ kind: 'leaf', path, value });
    } else children.push({ kind: 'empty' });
  }
  return { depth, children };
}

/** nodeHash of a node: SHA-256(0x01 ‖ c0 ‖ … ‖ c15), leaves hashed with leafHash. */
export function hashNode(node: MapNode): Uint8Array {
  const input = nodeInput();
  node.children.forEach((c, i) => {
    if (c.kind === 'branch') input.set(c.hash, childOffset(i));
    else if (c.kind === 'leaf') input.set(leafHash(c.path, c.value), childOffset(i));
  });
  return sha256(input);
}
