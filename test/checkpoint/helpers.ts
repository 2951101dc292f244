/** Shared fixtures for the checkpoint tests: deterministic keys and a small RFC 6962 tree. */
import { expect } from 'vitest';
import { concat, utf8 } from '../../src/bytes.js';
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';

export function seed(n: number): Uint8Array {
  return sha256(utf8(`custody checkpoint test seed ${n}`));
}

export const LOG_ORIGIN = 'custody.example/log';
export const logSigner: Signer = signerFromSeed(seed(1));
export const witnessSigners: Signer[] = [2, 3, 4, 5].map((n) => signerFromSeed(seed(n)));
export const witnessNames = [
  'w1.example/witness',
  'w2.example/witness',
  'w3.example/witness',
  'w4.example/witness',
];

/** RFC 6962 §2.1 leaf and node hashes, written out here for test trees. */
export const leafHash = (data: Uint8Array) => sha256(concat(new Uint8Array([0]), data));
const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(concat(new Uint8Array([1]), l, r));

function largestPow2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0]!;
  const k = largestPow2Below(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]). */
export function consistencyProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  const sub = (m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] => {
    const n = d.length;
    if (m === n) return b ? [] : [mth(d)];
    const k = largestPow2Below(n);
    if (m <= k) return [...sub(m, d.slice(0, k), b), mth(d.slice(k))];
    return [...sub(m - k, d.slice(k), false), mth(d.slice(0, k))];
  };
  return sub(m, leaves, true);
}

export const leaves = Array.from({ length: 20 }, (_, i) => leafHash(utf8(`entry ${i}`)));

/** Runs fn and returns the CustodyError it throws (failing the test otherwise). */
export function custodyError(fn: () => unknown): CustodyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return e as CustodyError;
  }
  throw new Error('expected a CustodyError, nothing was thrown');
}

export function expectCode(fn: () => unknown, code: string): CustodyError {
  const e = custodyError(fn);
  expect(e.code).toBe(code);
  return e;
}
