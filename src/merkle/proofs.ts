/**
 * Proof generation (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF) and
 * root computation from stored complete-subtree nodes.
 *
 * Only complete subtrees (2^level leaves starting at a multiple of 2^level)
 * are ever stored, because they never change once written. The hash of any
 * other range that the RFC recursions ask for (always the right edge of some
 * tree) is computed from the O(log n) complete subtrees that tile it, using the
 * same split as MTH (§2.1.1). So every root or proof costs O(log n) reads.
 *
 * These functions are called by our own code with checked arguments: invalid
 * sizes or indices are programming errors and throw a RangeError.
 */
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hash.js';

/** Hash of the complete subtree at `level` covering leaves [index*2^level, (index+1)*2^level). Level 0 = leaf hashes. */
export interface NodeReader {
  node(level: number, index: number): Promise<Uint8Array>;
}

/** A complete-subtree node, addressed as in NodeReader.node(level, index); MerkleFrontier.append returns these for storage. */
export interface NewNode {
  level: number;
  index: number;
  hash: Uint8Array;
}

function checkSize(name: string, n: number, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`merkle: ${name} must be a safe integer >= ${min}, got ${String(n)}`);
  }
}

/** The k of RFC 9162 §2.1.1: the largest power of two smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Largest power of two <= n (n >= 1), with its exponent. */
function largestPowerOfTwoAtMost(n: number): { size: number; level: number } {
  let size = 1;
  let level = 0;
  while (size * 2 <= n) {
    size *= 2;
    level++;
  }
  return { size, level };
}

async function readNode(reader: NodeReader, level: number, index: number): Promise<Uint8Array> {
  const h = await reader.node(level, index);
  // A wrong-length node would otherwise end up verbatim in a proof or root.
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new Error(`merkle: stored node ${level}:${index} is not a ${HASH_SIZE}-byte hash`);
  }
  return h;
}

/**
 * MTH(D[lo:hi]) for a range produced by the §2.1.1 recursion (so `lo` is a
 * multiple of the smallest power of two >= hi - lo). By §2.1.1 its left child
 * is the complete subtree of the largest power of two below its length and its
 * right child is the rest, recursively; so the range is tiled, left to right,
 * by complete subtrees of strictly decreasing size, and its hash is those
 * subtree hashes folded together from the right.
 */
async function rangeHash(reader: NodeReader, lo: number, hi: number): Promise<Uint8Array> {
  const reads: Promise<Uint8Array>[] = [];
  let start = lo;
  while (start < hi) {
    const { size, level } = largestPowerOfTwoAtMost(hi - start);
    if (start % size !== 0) throw new Error(`merkle: range [${lo}, ${hi}) is not a subtree range`);
    reads.push(readNode(reader, level, start / size));
    start += size;
  }
  const nodes = await Promise.all(reads);
  let h = nodes[nodes.length - 1]!;
  for (let i = nodes.length - 2; i >= 0; i--) h = hashChildren(nodes[i]!, h);
  return h;
}

/** MTH of the first `size` leaves (RFC 9162 §2.1.1); EMPTY_ROOT for size 0. */
export async function rootAt(reader: NodeReader, size: number): Promise<Uint8Array> {
  checkSize('size', size, 0);
  if (size === 0) return EMPTY_ROOT;
  return rangeHash(reader, 0, size);
}

/**
 * PATH(index, D[size]) (RFC 9162 §2.1.3.1): the inclusion proof of the leaf at
 * `index` in the tree of the first `size` leaves, ordered from the leaf's
 * sibling up to the child of the root, as §2.1.3.2 consumes it.
 */
export async function inclusionProof(reader: NodeReader, index: number, size: number): Promise<Uint8Array[]> {
  checkSize('size', size, 1);
  checkSize('index', index, 0);
  if (index >= size) throw new RangeError(`merkle: index ${index} is not below size ${size}`);
  // The recursion, unrolled top-down. Each step appends its sibling *after* the
  // recursive part (PATH(m, D[0:k]) : MTH(D[k:n])), so the ranges collected
  // here come out root-first and are reversed at the end.
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      // m < k: PATH(m, D[0:k]) : MTH(D[k:n])
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      // m >= k: PATH(m - k, D[k:n]) : MTH(D[0:k])
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  ranges.reverse();
  return Promise.all(ranges.map(([a, b]) => rangeHash(reader, a, b)));
}

/**
 * PROOF(size1, D[size2]) (RFC 9162 §2.1.4.1): the consistency proof that the
 * tree of the first `size1` leaves is a prefix of the tree of the first `size2`.
 *
 * §2.1.4.1 defines it for 0 < size1 < size2. For size1 == 0 and for
 * size1 == size2 there is nothing to prove and the proof is empty, which is
 * exactly what verifyConsistency accepts for those cases.
 */
export async function consistencyProof(
  reader: NodeReader,
  size1: number,
  size2: number,
): Promise<Uint8Array[]> {
  checkSize('size1', size1, 0);
  checkSize('size2', size2, 0);
  if (size1 > size2) throw new RangeError(`merkle: size1 ${size1} is larger than size2 ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  // SUBPROOF(m, D[lo:hi], b), unrolled top-down with m = size1 - lo; as in
  // inclusionProof each step's own node goes after the recursive part, so the
  // collected ranges are reversed at the end.
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size2;
  let known = true; // b: is MTH(D[0:m]) the root the verifier already has?
  while (hi !== size1) {
    const k = splitPoint(hi - lo);
    if (size1 - lo <= k) {
      // m <= k: SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      // m > k: SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      ranges.push([lo, lo + k]);
      lo += k;
      known = false;
    }
  }
  // m == n: SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}.
  if (!known) ranges.push([lo, hi]);
  ranges.reverse();
  return Promise.all(ranges.map(([a, b]) => rangeHash(reader, a, b)));
}
