/** Test-only NodeReaders and proof mutators. */
import type { NodeReader } from '../../src/merkle/proofs.js';
import type { RefTree } from './reference.js';

/**
 * A NodeReader that serves nodes from `get`, counts reads, and fails any read of
 * a node that is not a complete subtree of the first `size` leaves: such a node
 * would not exist yet in a real store, so reading it is a bug even if `get`
 * could answer.
 */
export class CheckedReader implements NodeReader {
  reads = 0;
  constructor(
    private readonly get: (level: number, index: number) => Uint8Array | undefined,
    private readonly size: number,
  ) {}

  async node(level: number, index: number): Promise<Uint8Array> {
    this.reads++;
    if (!Number.isSafeInteger(level) || level < 0 || !Number.isSafeInteger(index) || index < 0) {
      throw new Error(`bad node address ${level}:${index}`);
    }
    if ((index + 1) * 2 ** level > this.size) {
      throw new Error(`read of node ${level}:${index} beyond size ${this.size}`);
    }
    const h = this.get(level, index);
    if (h === undefined) throw new Error(`no node ${level}:${index}`);
    return h;
  }
}

/** Serves the complete subtrees of the reference tree restricted to `size` leaves. */
export const refReader = (ref: RefTree, size: number): CheckedReader =>
  new CheckedReader((level, index) => ref.mth(index * 2 ** level, (index + 1) * 2 ** level), size);

/**
 * Every complete subtree hash of the reference's first `n` leaves, as
 * table[level][index], so hot test loops can serve reads by plain indexing.
 */
export function nodeTable(ref: RefTree, n: number): Uint8Array[][] {
  const table: Uint8Array[][] = [];
  for (let w = 1; w <= n; w *= 2) {
    const row: Uint8Array[] = [];
    for (let i = 0; (i + 1) * w <= n; i++) row.push(ref.mth(i * w, (i + 1) * w));
    table.push(row);
  }
  return table;
}

/** ceil(log2(n)) for n >= 1. */
export function ceilLog2(n: number): number {
  let d = 0;
  while (2 ** d < n) d++;
  return d;
}

export function flipBit(h: Uint8Array, bit: number): Uint8Array {
  const out = h.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** Every single-element mutation of a proof other than bit flips: truncations, extensions, swaps. */
export function structuralMutations(
  proof: readonly Uint8Array[],
  extras: Uint8Array[],
): [string, Uint8Array[]][] {
  const out: [string, Uint8Array[]][] = [];
  if (proof.length > 0) {
    out.push(['drop last', proof.slice(0, -1)]);
    out.push(['drop first', proof.slice(1)]);
    out.push(['empty', []]);
  }
  for (const x of extras) {
    out.push(['append extra', [...proof, x]]);
    out.push(['prepend extra', [x, ...proof]]);
    if (proof.length > 1) out.push(['insert extra', [proof[0]!, x, ...proof.slice(1)]]);
  }
  for (const p of proof) out.push(['duplicate element', [...proof, p]]);
  for (let i = 0; i < proof.length; i++) {
    for (let j = i + 1; j < proof.length; j++) {
      const s = proof.slice();
      [s[i], s[j]] = [s[j]!, s[i]!];
      out.push([`swap ${i},${j}`, s]);
    }
    const r = proof.slice();
    r[i] = extras[0] ?? new Uint8Array(32);
    out.push([`replace ${i}`, r]);
  }
  out.push(['reversed', proof.slice().reverse()]);
  return out.filter(([, p]) => p.length !== proof.length || p.some((h, i) => h !== proof[i]));
}

/** Element-wise byte equality of two hash lists (cheaper than comparing hex in hot test loops). */
export function sameHashes(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}
