/**
 * The noble backend of Ed25519 (./ed25519.ts): @noble/ed25519, pure JS, with strict
 * (cofactorless, canonical-S, admitted-key) verification so that it reaches OpenSSL's decision
 * on every input. In a module of its own, without top-level await, so that the court page's
 * classic (non-module) signature workers can load it: Chromium refuses blob: module workers
 * from file://.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, equalBytes } from '../bytes.js';
import { isAdmissibleKey } from './admission.js';

ed.hashes.sha512 = sha512;

export interface Ed25519Backend {
  readonly name: 'node' | 'noble';
  /** Public key (32 bytes) of a 32-byte secret seed. */
  publicKey(seed: Uint8Array): Uint8Array;
  /** Deterministic RFC 8032 signature (64 bytes). */
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
  /** Strict verification; false (never an exception) for anything invalid. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

// Group order L (RFC 8032 §5.1); S must be < L, read little-endian.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
function canonicalS(sig: Uint8Array): boolean {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
  return s < L;
}

/** The checks both backends make before the curve equation (see ./ed25519.ts). */
export function preconditions(sig: Uint8Array, pk: Uint8Array): boolean {
  return sig.length === 64 && pk.length === 32 && canonicalS(sig) && isAdmissibleKey(pk);
}

const leBigInt = (b: Uint8Array) => {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
};

/**
 * Cofactorless strict verification (RFC 8032 §5.1.7 with the "[S]B = R + [k]A"
 * check done without multiplying by 8, and R compared as bytes): exactly what
 * OpenSSL computes. noble's own verify is cofactored even with zip215:false, so
 * a signer could craft R = [r]B + T (T of small order) that noble accepts and
 * OpenSSL rejects; the two backends would then disagree on a real entry.
 */
function nobleStrictVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const r = signature.subarray(0, 32);
  const s = leBigInt(signature.subarray(32, 64));
  const k = leBigInt(sha512(concat(r, publicKey, message))) % L;
  const A = ed.Point.fromBytes(publicKey, false);
  const check = ed.Point.BASE.multiply(s, false).subtract(A.multiply(k, false));
  return equalBytes(check.toBytes(), r);
}

export const nobleEd25519: Ed25519Backend = {
  name: 'noble',
  publicKey: (seed) => ed.getPublicKey(seed),
  sign: (message, seed) => ed.sign(message, seed),
  verify(signature, message, publicKey) {
    try {
      return preconditions(signature, publicKey) && nobleStrictVerify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
};
