/**
 * An independent RFC 9162 §2.1 Merkle tree for the proof tests, written from
 * the RFC and importing nothing from src/: node:crypto does SHA-256.
 *
 * Generation is the naive recursion of §2.1.1 (MTH), §2.1.3.1 (PATH) and
 * §2.1.4.1 (PROOF/SUBPROOF) over an array of leaf hashes. Verification is a
 * recursive re-derivation of the same split, consuming the proof from its
 * root end, so it shares no structure with src/merkle/verify.ts (which uses
 * the iterative bit-walking algorithms of §2.1.3.2 and §2.1.4.2).
 */
import { createHash } from 'node:crypto';

export const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** MTH({d}) = SHA-256(0x00 || d). */
export const leafHashOf = (record: Uint8Array): Buffer => sha256(Buffer.from([0x00]), record);
/** SHA-256(0x01 || left || right). */
export const nodeHashOf = (left: Uint8Array, right: Uint8Array): Buffer =>
  sha256(Buffer.from([0x01]), left, right);
/** MTH({}) = SHA-256(). */
export const EMPTY = sha256();

/** The k of §2.1.1: the largest power of two strictly smaller than n (n >= 2). */
export function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes (§2.1.1), naively. */
export function mth(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return EMPTY;
  if (leaves.length === 1) return Buffer.from(leaves[0]!);
  const k = split(leaves.length);
  return nodeHashOf(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** PATH(m, D[n]) (§2.1.3.1), naively. */
export function path(m: number, leaves: readonly Uint8Array[]): Buffer[] {
  const n = leaves.length;
  if (n <= 1) return [];
  const k = split(n);
  if (m < k) return [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))];
  return [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (§2.1.4.1), naively. */
export function consistency(m: number, leaves: readonly Uint8Array[]): Buffer[] {
  const sub = (m: number, d: readonly Uint8Array[], b: boolean): Buffer[] => {
    const n = d.length;
    if (m === n) return b ? [] : [mth(d)];
    const k = split(n);
    if (m <= k) return [...sub(m, d.slice(0, k), b), mth(d.slice(k))];
    return [...sub(m - k, d.slice(k), false), mth(d.slice(0, k))];
  };
  return sub(m, leaves, true);
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Verifies an inclusion proof by re-deriving the §2.1.1 split top-down: the
 * LAST proof element is the sibling at the root, so recurse on the rest.
 */
export function verifyInclusionIndependently(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (proof.some((p) => p.length !== 32) || leaf.length !== 32 || root.length !== 32) return false;
  // Returns the subtree root, or undefined when the proof has the wrong length.
  const up = (m: number, n: number, rest: readonly Uint8Array[]): Buffer | undefined => {
    if (n === 1) return rest.length === 0 ? Buffer.from(leaf) : undefined;
    if (rest.length === 0) return undefined;
    const k = split(n);
    const sibling = rest[rest.length - 1]!;
    const before = rest.slice(0, -1);
    if (m < k) {
      const l = up(m, k, before);
      return l && nodeHashOf(l, sibling);
    }
    const r = up(m - k, n - k, before);
    return r && nodeHashOf(sibling, r);
  };
  const r = up(index, size, proof);
  return r !== undefined && eq(r, root);
}

/**
 * Verifies a consistency proof (0 < m < n, or m == n with an empty proof) by
 * re-deriving SUBPROOF top-down: each step's node is the last element, and
 * the recursion yields (old subtree root, new subtree root).
 */
export function verifyConsistencyIndependently(
  m: number,
  n: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && eq(root1, root2);
  const sub = (
    m: number,
    n: number,
    rest: readonly Uint8Array[],
    b: boolean,
  ): [Buffer, Buffer] | undefined => {
    if (m === n) {
      if (b) return rest.length === 0 ? [Buffer.from(root1), Buffer.from(root1)] : undefined;
      return rest.length === 1 ? [Buffer.from(rest[0]!), Buffer.from(rest[0]!)] : undefined;
    }
    if (rest.length === 0) return undefined;
    const k = split(n);
    const last = rest[rest.length - 1]!;
    const before = rest.slice(0, -1);
    if (m <= k) {
      const r = sub(m, k, before, b);
      return r && [r[0], nodeHashOf(r[1], last)];
    }
    const r = sub(m - k, n - k, before, false);
    return r && [nodeHashOf(last, r[0]), nodeHashOf(last, r[1])];
  };
  const r = sub(m, n, proof, true);
  return r !== undefined && eq(r[0], root1) && eq(r[1], root2);
}

export const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromHexString = (s: string): Buffer => Buffer.from(s, 'hex');
