/**
 * A naive reference implementation of the RFC 9162 Merkle tree, written
 * straight from the recursive definitions and sharing no code with src/merkle
 * (only SHA-256):
 * - §2.1.1 MTH (Merkle Tree Hash),
 * - §2.1.3.1 PATH (inclusion proofs),
 * - §2.1.4.1 PROOF / SUBPROOF (consistency proofs).
 *
 * It works on the list of leaf hashes (MTH of a one-entry list is its leaf
 * hash), and views D[lo:hi] as index pairs instead of copying slices. MTH
 * values are memoised per range: for a fixed list, MTH(D[lo:hi]) depends only on
 * (lo, hi), and the memo keeps the exhaustive tests (every index of every size)
 * fast without changing what is computed.
 */
import { sha256 } from '../../src/crypto/sha256.js';

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** HASH(0x00 || d). */
export const refLeafHash = (d: Uint8Array): Uint8Array => sha256(cat(Uint8Array.of(0), d));
/** HASH(0x01 || left || right). */
export const refNodeHash = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(cat(Uint8Array.of(1), l, r));
/** MTH({}) = HASH(). */
export const refEmptyRoot = (): Uint8Array => sha256(new Uint8Array(0));

/** "let k be the largest power of two smaller than n (i.e., k < n <= 2k)", n > 1. */
export function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH over data entries, with no memo at all: the literal §2.1.1 definition. */
export function refMthOfEntries(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return refEmptyRoot();
  if (d.length === 1) return refLeafHash(d[0]!);
  const s = k(d.length);
  return refNodeHash(refMthOfEntries(d.slice(0, s)), refMthOfEntries(d.slice(s)));
}

export class RefTree {
  readonly #memo = new Map<string, Uint8Array>();
  readonly #leaves: readonly Uint8Array[];
  readonly #uniformLeaf: Uint8Array | undefined;

  /** The tree over `leaves` (leaf hashes); see RefTree.uniform for the other form. */
  constructor(leaves: readonly Uint8Array[], uniformLeaf?: Uint8Array) {
    this.#leaves = leaves;
    this.#uniformLeaf = uniformLeaf;
  }

  /**
   * A tree of up to 2^53 - 1 leaves that all have the same hash. Its MTH over
   * a range depends only on the range's length, so the memo is keyed by length
   * and trees far beyond 2^32 leaves (where 32-bit arithmetic bugs show) can be
   * computed in O(log^2 n). The shape of every proof still depends on the exact
   * index and sizes, which is what such tests exercise.
   */
  static uniform(leaf: Uint8Array): RefTree {
    return new RefTree([], leaf);
  }

  /** MTH(D[lo:hi]) (§2.1.1). */
  mth(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 0) return refEmptyRoot();
    if (n === 1) return this.#uniformLeaf ?? this.#leaves[lo]!;
    const key = this.#uniformLeaf ? `${n}` : `${lo}:${hi}`;
    let h = this.#memo.get(key);
    if (h === undefined) {
      const s = k(n);
      h = refNodeHash(this.mth(lo, lo + s), this.mth(lo + s, hi));
      this.#memo.set(key, h);
    }
    return h;
  }

  root(n: number): Uint8Array {
    return this.mth(0, n);
  }

  /** PATH(m, D[n]) (§2.1.3.1), for 0 <= m < n. */
  path(m: number, n: number): Uint8Array[] {
    return this.#path(m, 0, n);
  }

  // PATH(m, D[lo:hi]) with m relative to lo.
  #path(m: number, lo: number, hi: number): Uint8Array[] {
    const n = hi - lo;
    if (n === 1) return []; // PATH(0, {d(0)}) = {}
    const s = k(n);
    if (m < s) return [...this.#path(m, lo, lo + s), this.mth(lo + s, hi)];
    return [...this.#path(m - s, lo + s, hi), this.mth(lo, lo + s)];
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (§2.1.4.1), for 0 < m < n. */
  proof(m: number, n: number): Uint8Array[] {
    return this.#subproof(m, 0, n, true);
  }

  // SUBPROOF(m, D[lo:hi], b) with m relative to lo.
  #subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const s = k(n);
    if (m <= s) return [...this.#subproof(m, lo, lo + s, b), this.mth(lo + s, hi)];
    return [...this.#subproof(m - s, lo + s, hi, false), this.mth(lo, lo + s)];
  }

  /** Every complete subtree node of the first n leaves, keyed `${level}:${index}`. */
  completeNodes(n: number): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (let level = 0, w = 1; w <= n; level++, w *= 2) {
      for (let i = 0; (i + 1) * w <= n; i++) out.set(`${level}:${i}`, this.mth(i * w, (i + 1) * w));
    }
    return out;
  }
}

/** Deterministic distinct leaf hashes for tests: HASH(0x00 || "leaf <i>"). */
export function testLeaves(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => refLeafHash(new TextEncoder().encode(`leaf ${i}`)));
}

/**
 * Which side each element of PATH(m, D[n]) sits on relative to the node built
 * so far, in proof order (§2.1.3.1: MTH(D[k:n]) is a right sibling, MTH(D[0:k])
 * a left one). A verifier sees nothing but this sequence, so an inclusion proof
 * for (m, n) verifies for (m', n') exactly when the two sequences are equal.
 */
export function pathShape(m: number, n: number): ('left' | 'right')[] {
  if (n === 1) return [];
  const s = k(n);
  return m < s ? [...pathShape(m, s), 'right'] : [...pathShape(m - s, n - s), 'left'];
}

/**
 * The same for PROOF(m, D[n]) (§2.1.4.1): whether the walk starts from the old
 * root itself (SUBPROOF(m, D[m], true) = {}) or from a proof element
 * (SUBPROOF(m, D[m], false)), then for each further element whether it is a
 * right sibling that only the new tree has (m <= k) or a left sibling shared
 * by both trees (m > k). Undefined where §2.1.4.1 defines no proof
 * (m = 0 or m >= n).
 */
export function proofShape(m: number, n: number): string | undefined {
  if (m <= 0 || m >= n) return undefined;
  const walk = (m: number, n: number, b: boolean): string[] => {
    if (m === n) return [b ? 'start=root1' : 'start=element'];
    const s = k(n);
    return m <= s ? [...walk(m, s, b), 'right-new-only'] : [...walk(m - s, n - s, false), 'left-both'];
  };
  return walk(m, n, true).join(',');
}
