/**
 * The incremental Merkle tree used on append.
 *
 * A tree of n leaves (RFC 9162 §2.1.1) is, left to right, a sequence of
 * complete subtrees whose sizes are the powers of two in the binary expansion
 * of n, largest first (the MTH split always peels off the largest power of two
 * below the length). That "right edge" is all the state an append needs: adding
 * a leaf works like a binary increment, where each carry merges two equal
 * complete subtrees into their parent. So an append costs O(log n) hashes, the
 * root costs O(log n) hashes, and nothing is ever recomputed from the leaves.
 */
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hash.js';
import type { NewNode, NodeReader } from './proofs.js';

// Declared in proofs.ts next to NodeReader (the store imports both from there)
// and re-exported here, where append produces it.
export type { NewNode } from './proofs.js';

const pow2 = (level: number): number => 2 ** level;

export class MerkleFrontier {
  #size: number;
  // #edge[level] is the hash of the complete subtree of 2^level leaves on the
  // right edge, present exactly when bit `level` of #size is set. At most 53
  // entries for any safe-integer size, so copying it is cheap.
  #edge: (Uint8Array | undefined)[];
  #root: Uint8Array | undefined;

  private constructor(size: number, edge: (Uint8Array | undefined)[], root: Uint8Array | undefined) {
    this.#size = size;
    this.#edge = edge;
    this.#root = root;
  }

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, [], undefined);
  }

  /** Rebuild the right edge for a tree of `size` leaves by reading the O(log n) complete subtrees on it. */
  static async load(reader: NodeReader, size: number): Promise<MerkleFrontier> {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`merkle: size must be a safe integer >= 0, got ${String(size)}`);
    }
    const levels: number[] = [];
    for (let s = size, level = 0; s > 0; s = Math.floor(s / 2), level++) {
      if (s % 2 === 1) levels.push(level);
    }
    // The subtree at `level` starts after all larger ones, i.e. at leaf
    // floor(size / 2^(level+1)) * 2^(level+1), so its index within its level is
    // floor(size / 2^level) - 1 (an odd number minus one).
    const hashes = await Promise.all(
      levels.map(async (level) => {
        const index = Math.floor(size / pow2(level)) - 1;
        const h = await reader.node(level, index);
        if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
          throw new Error(`merkle: stored node ${level}:${index} is not a ${HASH_SIZE}-byte hash`);
        }
        return h;
      }),
    );
    const edge: (Uint8Array | undefined)[] = [];
    levels.forEach((level, i) => {
      edge[level] = hashes[i];
    });
    return new MerkleFrontier(size, edge, undefined);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds a leaf; returns every complete-subtree node that this append completes (the leaf itself at level 0 first, then the parents it completes), so the caller can store them in the same batch. */
  append(leafHash: Uint8Array): NewNode[] {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw new TypeError(`merkle: a leaf hash must be a ${HASH_SIZE}-byte Uint8Array`);
    }
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('merkle: tree is full');
    const newSize = this.#size + 1;
    const nodes: NewNode[] = [{ level: 0, index: this.#size, hash: leafHash }];
    let h = leafHash;
    let level = 0;
    // Binary increment: while bit `level` of the old size is set, the edge
    // already holds a complete left sibling of the same size; merge into their
    // parent (§2.1.1 MTH of a power-of-two range) and carry one level up.
    for (let s = this.#size; s % 2 === 1; s = Math.floor(s / 2)) {
      h = hashChildren(this.#edge[level]!, h);
      this.#edge[level] = undefined;
      level++;
      nodes.push({ level, index: newSize / pow2(level) - 1, hash: h });
    }
    this.#edge[level] = h;
    this.#size = newSize;
    this.#root = undefined;
    return nodes;
  }

  /** Root hash of the current tree (EMPTY_ROOT when size is 0). */
  root(): Uint8Array {
    if (this.#size === 0) return EMPTY_ROOT;
    if (this.#root === undefined) {
      // MTH = HASH(0x01 || largest subtree || MTH(rest)) (§2.1.1), so fold the
      // edge from the smallest (rightmost) subtree up to the largest.
      let r: Uint8Array | undefined;
      for (const h of this.#edge) {
        if (h !== undefined) r = r === undefined ? h : hashChildren(h, r);
      }
      this.#root = r!;
    }
    return this.#root;
  }

  /** An independent copy: appends to either side never affect the other. O(log n). */
  clone(): MerkleFrontier {
    return new MerkleFrontier(this.#size, this.#edge.slice(), this.#root);
  }
}
