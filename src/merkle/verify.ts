/**
 * Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2)
 * proofs.
 *
 * Everything here faces untrusted input (proofs and tree heads arrive from
 * whoever hands us an evidence bundle), so no function in this module ever
 * throws: malformed input of any kind yields `false` / `undefined`. Inputs are
 * checked explicitly, and a try/catch backs that up against hostile objects
 * (proxies, throwing getters) that merely claim to be arrays or byte arrays.
 *
 * What a proof binds: the leaf (or old root) and the new root. It does not by
 * itself pin the tree size: the verifier only sees the left/right pattern that
 * (index, size) implies, and some other sizes imply the same pattern (e.g. the
 * proof for leaf 0 of 3 leaves also verifies, with the same root, for size 4).
 * That is inherent to RFC 9162; the size is bound by the signed tree head that
 * carries (size, root) together, so always verify against a signed pair.
 *
 * Tree sizes and indices are JS numbers. Only safe non-negative integers are
 * accepted, and all "bit" operations below are done with arithmetic (`% 2`,
 * halving) rather than JS bitwise operators, which truncate to 32 bits and
 * would silently break trees of 2^31 leaves or more.
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { HASH_SIZE, hashChildren } from './hash.js';

// A private MTH({}) so that a caller mutating the exported EMPTY_ROOT can never
// change what this module accepts as the root of the empty tree.
const EMPTY_TREE_ROOT = sha256(new Uint8Array(0));

// A tree of at most 2^53 - 1 leaves has depth <= 53, so an inclusion proof has
// at most 53 nodes and a consistency proof at most 54 (RFC 9162 §2.1.4.1 bounds
// it by ceil(log2(n)) + 1). Anything longer is rejected before any hashing,
// which also bounds the work an attacker can make us do.
const MAX_PROOF_LENGTH = 64;

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

// The %TypedArray%.prototype.length getter, which reads the array's internal
// length. Calling it directly means an object that only pretends to be a
// Uint8Array (an own `length` property, a swapped prototype) cannot misreport
// how many bytes it holds; on a non-typed-array it throws, which is caught.
const typedArrayLength = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  'length',
)?.get as (this: unknown) => number;

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && typedArrayLength.call(h) === HASH_SIZE && h.length === HASH_SIZE;
}

/**
 * A validated snapshot of a proof: a fresh array of HASH_SIZE-byte hashes, or
 * undefined. Copying first means later reads cannot observe a different value
 * than the one validated (e.g. from a getter or proxy).
 */
function readProof(proof: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(proof)) return undefined;
  const n: unknown = proof.length;
  if (typeof n !== 'number' || n > MAX_PROOF_LENGTH) return undefined;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const h: unknown = proof[i];
    if (!isHash(h)) return undefined;
    out.push(h);
  }
  return out;
}

const half = (n: number): number => Math.floor(n / 2);
const isOdd = (n: number): boolean => n % 2 === 1;
const isPowerOfTwo = (n: number): boolean => {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
};

/**
 * Recomputes the root implied by an inclusion proof for the leaf hash
 * `leafHash` at `index` in a tree of `size` leaves (RFC 9162 §2.1.3.2 steps
 * 1-4 and the `sn == 0` half of step 5). Returns undefined if the input is
 * malformed or the proof has the wrong shape for (index, size); the caller
 * still has to compare the result against a trusted root (see verifyInclusion).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  try {
    if (!isSize(index) || !isSize(size) || !isHash(leafHash)) return undefined;
    const path = readProof(proof);
    if (path === undefined) return undefined;
    // Step 1: a leaf index at or beyond the tree size cannot be in the tree.
    if (index >= size) return undefined;
    // Step 2: fn tracks our node's index within its level, sn the index of the
    // last node of that level; they move up the tree together.
    let fn = index;
    let sn = size - 1;
    // Step 3.
    let r = leafHash;
    // Step 4.
    for (const p of path) {
      // 4a: we already reached the root, so the proof is too long.
      if (sn === 0) return undefined;
      if (isOdd(fn) || fn === sn) {
        // 4b: our node is a right child, or the last node of its level. A last
        // node with no right sibling is carried up unchanged until it becomes a
        // right child, so either way p is its left sibling. 4b.i:
        r = hashChildren(p, r);
        // 4b.ii: skip the levels it was carried up through unchanged.
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      } else {
        // Otherwise (4b "Otherwise" i): our node is a left child; p on the right.
        r = hashChildren(r, p);
      }
      // 4c.
      fn = half(fn);
      sn = half(sn);
    }
    // Step 5 (first half): a proof that stops below the root is too short.
    if (sn !== 0) return undefined;
    // Never hand back the caller's own array (a size-1 tree has an empty proof).
    return r === leafHash ? Uint8Array.from(leafHash) : r;
  } catch {
    return undefined;
  }
}

/**
 * True iff `proof` proves that `leafHash` is the leaf at `index` of the tree
 * of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2, including the
 * root comparison of step 5).
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    if (!isHash(root)) return false;
    const computed = rootFromInclusionProof(index, size, leafHash, proof);
    return computed !== undefined && equalBytes(computed, root);
  } catch {
    return false;
  }
}

/**
 * True iff `proof` proves that the tree of `size1` leaves with root `root1` is
 * a prefix of the tree of `size2` leaves with root `root2` (RFC 9162 §2.1.4.2).
 *
 * §2.1.4.2 only covers 0 < size1 < size2. For the remaining cases we chose:
 * - size1 > size2: false (a log never shrinks).
 * - size1 == size2: true iff the proof is empty and root1 == root2 (and, for
 *   size 0, both are MTH({})). There is nothing to prove, and a non-empty proof
 *   is rejected rather than ignored so that every accepted (sizes, proof) pair
 *   is the canonical one that generation produces.
 * - size1 == 0 < size2: true iff the proof is empty and root1 is MTH({}) =
 *   HASH(). The empty tree is a prefix of every tree, so there is nothing to
 *   prove, but a "size 0" tree head whose root is not HASH() is malformed and
 *   is not consistent with anything. root2 cannot be checked here (only its
 *   length is); the caller must trust it by other means, e.g. a signature.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  try {
    if (!isSize(size1) || !isSize(size2) || !isHash(root1) || !isHash(root2)) return false;
    const path = readProof(proof);
    if (path === undefined) return false;
    if (size1 > size2) return false;
    if (size1 === size2) {
      return (
        path.length === 0 && equalBytes(root1, root2) && (size1 > 0 || equalBytes(root1, EMPTY_TREE_ROOT))
      );
    }
    if (size1 === 0) return path.length === 0 && equalBytes(root1, EMPTY_TREE_ROOT);

    // 0 < size1 < size2 from here: the algorithm of §2.1.4.2.
    // Step 1.
    if (path.length === 0) return false;
    // Step 2: when size1 is a power of two the old tree is a complete subtree
    // of the new one, so the proof omits its root (SUBPROOF(m, D[m], true) = {}
    // in §2.1.4.1) and the verifier supplies root1 itself.
    if (isPowerOfTwo(size1)) path.unshift(root1);
    // Step 3: fn/sn index the last leaf of the old/new tree.
    let fn = size1 - 1;
    let sn = size2 - 1;
    // Step 4: skip the levels where the old tree's last node is a right child
    // inside a complete subtree shared by both trees (the proof starts above).
    while (isOdd(fn)) {
      fn = half(fn);
      sn = half(sn);
    }
    // Step 5: fr rebuilds the old root, sr the new root.
    let fr = path[0]!;
    let sr = fr;
    // Step 6.
    for (let i = 1; i < path.length; i++) {
      const c = path[i]!;
      // 6a: already at the root of the new tree, so the proof is too long.
      if (sn === 0) return false;
      if (isOdd(fn) || fn === sn) {
        // 6b: c is a left sibling, part of both trees. i, ii:
        fr = hashChildren(c, fr);
        sr = hashChildren(c, sr);
        // 6b.iii: promote past levels with no right sibling (as in §2.1.3.2).
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      } else {
        // 6b "Otherwise" i: c is a right sibling that only the new tree has.
        sr = hashChildren(sr, c);
      }
      // 6c.
      fn = half(fn);
      sn = half(sn);
    }
    // Step 7.
    return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
  } catch {
    return false;
  }
}
