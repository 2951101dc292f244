/**
 * Malleability and junk: both backends reject S + kL, non-canonical R,
 * every single-bit flip of signature, message and key, wrong lengths and
 * arbitrary junk, and never throw.
 */
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { concat } from '../../src/bytes.js';
import { nobleEd25519, signerFromSeed } from '../../src/crypto/ed25519.js';
import {
  bigIntToLe,
  challenge,
  decisions,
  hex,
  L,
  leToBigInt,
  nodeBackend,
  P,
  SEED_A,
  SMALL_ORDER_NON_CANONICAL,
  secretScalar,
  signWithNonce,
} from './util.js';

const node = nodeBackend();
const signer = signerFromSeed(SEED_A);
const pk = signer.publicKey;
const msg = new TextEncoder().encode('custody transfer: exhibit EX-00001 from A to B');
const sig = signer.sign(msg);

describe('signature malleability', () => {
  it('the untouched signature verifies in both (control)', () => {
    expect(decisions(sig, msg, pk)).toEqual([true, true]);
  });

  it('S + L, S + 2L, ... (every multiple that fits in 32 bytes) is rejected by both', () => {
    const s = leToBigInt(sig.subarray(32));
    let tried = 0;
    for (let k = 1n; s + k * L < 2n ** 256n; k++) {
      const malleated = concat(sig.subarray(0, 32), bigIntToLe(s + k * L));
      expect(decisions(malleated, msg, pk), `S + ${k}L`).toEqual([false, false]);
      tried++;
    }
    expect(tried).toBeGreaterThanOrEqual(14);
  });

  it('S = L and S = 2^256 - 1 are rejected by both; S = L - 1 is merely wrong', () => {
    for (const s of [L, 2n ** 256n - 1n, L - 1n, 0n]) {
      const forged = concat(sig.subarray(0, 32), bigIntToLe(s));
      expect(decisions(forged, msg, pk)).toEqual([false, false]);
    }
  });

  it('S + L where the raw noble verifier is also asked: the precondition, not luck, rejects it', () => {
    const malleated = concat(sig.subarray(0, 32), bigIntToLe(leToBigInt(sig.subarray(32)) + L));
    // Both raw libraries also refuse S >= L today; the backends must not depend on it.
    expect(ed.verify(malleated, msg, pk, { zip215: true })).toBe(false);
    expect(decisions(malleated, msg, pk)).toEqual([false, false]);
  });

  it('the negated signature (R, L - S) with -R is rejected by both', () => {
    const R = ed.Point.fromBytes(sig.subarray(0, 32));
    const s = leToBigInt(sig.subarray(32));
    const neg = concat(R.negate().toBytes(), bigIntToLe((L - s) % L));
    expect(decisions(neg, msg, pk)).toEqual([false, false]);
  });
});

describe('non-canonical R encodings', () => {
  it('R encoded as y + p (for every small y that decodes) is rejected by both, as is the canonical form', () => {
    // Points with y < 19 have a second 255-bit encoding y + p. Their discrete logs are unknown, so no
    // valid signature can use them; what matters is that neither encoding is accepted and nothing throws.
    let found = 0;
    for (let y = 0n; y < 19n; y++) {
      for (const sign of [0, 0x80]) {
        const canon = bigIntToLe(y);
        canon[31]! |= sign;
        const alt = bigIntToLe(y + P);
        alt[31]! |= sign;
        let decodes = true;
        try {
          ed.Point.fromBytes(alt, true);
        } catch {
          decodes = false;
        }
        if (!decodes) continue;
        for (const r of [canon, alt])
          expect(decisions(concat(r, sig.subarray(32)), msg, pk)).toEqual([false, false]);
        // For the small-order ones (y = 0, 1), S = k·a satisfies the cofactored equation; the
        // non-canonical encoding must still be refused. (The canonical one: ed25519-small-order.test.ts.)
        const withKa = concat(alt, bigIntToLe((challenge(alt, pk, msg) * secretScalar(SEED_A)) % L));
        expect(decisions(withKa, msg, pk)).toEqual([false, false]);
        found++;
      }
    }
    expect(found).toBeGreaterThanOrEqual(4);
  });

  it('R = each non-canonical small-order encoding, S = k·a: raw ZIP-215 noble accepts, both backends reject', () => {
    // [S]B - [k]A = I, and R is a small-order point written non-canonically, so the cofactored
    // equation [8]R = [8]([S]B - [k]A) holds: a permissive verifier accepts these.
    const a = secretScalar(SEED_A);
    for (const { hex: rHex } of SMALL_ORDER_NON_CANONICAL) {
      const rBytes = hex(rHex);
      const k = challenge(rBytes, pk, msg);
      const forged = concat(rBytes, bigIntToLe((k * a) % L));
      expect(ed.verify(forged, msg, pk, { zip215: true }), rHex).toBe(true);
      expect(decisions(forged, msg, pk), rHex).toEqual([false, false]);
    }
  });

  it('R = canonical identity with S = k·a (a legal RFC 8032 signature with nonce r = 0): both accept', () => {
    const forged = signWithNonce(SEED_A, msg, { r: 0n });
    expect(forged.subarray(0, 32)).toEqual(hex('01'.padEnd(64, '0')));
    expect(decisions(forged, msg, pk)).toEqual([true, true]);
  });

  it('R with the x sign bit flipped (the point -R or no point) is rejected by both', () => {
    const flipped = sig.slice();
    flipped[31]! ^= 0x80;
    expect(decisions(flipped, msg, pk)).toEqual([false, false]);
  });
});

describe('single-bit flips anywhere', () => {
  it('every bit of the signature', () => {
    for (let i = 0; i < 64 * 8; i++) {
      const s = sig.slice();
      s[i >> 3]! ^= 1 << (i & 7);
      expect(decisions(s, msg, pk), `sig bit ${i}`).toEqual([false, false]);
    }
  });

  it('every bit of the message', () => {
    for (let i = 0; i < msg.length * 8; i++) {
      const m = msg.slice();
      m[i >> 3]! ^= 1 << (i & 7);
      expect(decisions(sig, m, pk), `msg bit ${i}`).toEqual([false, false]);
    }
  });

  it('every bit of the public key', () => {
    for (let i = 0; i < 32 * 8; i++) {
      const k = pk.slice();
      k[i >> 3]! ^= 1 << (i & 7);
      expect(decisions(sig, msg, k), `key bit ${i}`).toEqual([false, false]);
    }
  });

  it('an appended or dropped message byte', () => {
    expect(decisions(sig, concat(msg, new Uint8Array([0])), pk)).toEqual([false, false]);
    expect(decisions(sig, msg.subarray(0, msg.length - 1), pk)).toEqual([false, false]);
  });
});

describe('wrong lengths and junk never throw', () => {
  const sigLengths = [0, 1, 31, 32, 33, 63, 65, 96, 128, 1000];
  const keyLengths = [0, 1, 31, 33, 63, 64, 65];

  it('wrong signature lengths (prefixes and extensions of a valid one, and zeros)', () => {
    for (const n of sigLengths) {
      const cut = n <= 64 ? sig.slice(0, n) : concat(sig, new Uint8Array(n - 64));
      for (const s of [cut, new Uint8Array(n), new Uint8Array(n).fill(0xff)]) {
        for (const b of [nobleEd25519, node]) {
          expect(() => b.verify(s, msg, pk)).not.toThrow();
          expect(b.verify(s, msg, pk), `${b.name} sig length ${n}`).toBe(false);
        }
      }
    }
  });

  it('wrong key lengths (prefixes and extensions of a valid one, and zeros)', () => {
    for (const n of keyLengths) {
      const cut = n <= 32 ? pk.slice(0, n) : concat(pk, new Uint8Array(n - 32));
      for (const k of [cut, new Uint8Array(n), new Uint8Array(n).fill(0xff)]) {
        for (const b of [nobleEd25519, node]) {
          expect(() => b.verify(sig, msg, k)).not.toThrow();
          expect(b.verify(sig, msg, k), `${b.name} key length ${n}`).toBe(false);
        }
      }
    }
  });

  it('keys that are not curve points, and y >= p', () => {
    const junkKeys = [
      new Uint8Array(32).fill(0xff),
      hex('02'.padEnd(64, '0')),
      bigIntToLe(P),
      bigIntToLe(P + 1n),
      bigIntToLe(2n ** 255n - 1n),
    ];
    for (const k of junkKeys) expect(decisions(sig, msg, k)).toEqual([false, false]);
  });

  it('values that are not byte arrays at all', () => {
    const junk: unknown[] = [
      undefined,
      null,
      0,
      42n,
      '',
      'a'.repeat(64),
      '0'.repeat(64),
      {},
      { length: 64 },
      [],
      new Array(64).fill(0),
      new Uint16Array(32),
      new ArrayBuffer(64),
    ];
    for (const j of junk) {
      const x = j as Uint8Array;
      for (const b of [nobleEd25519, node]) {
        expect(() => b.verify(x, msg, pk)).not.toThrow();
        expect(() => b.verify(sig, x, pk)).not.toThrow();
        expect(() => b.verify(sig, msg, x)).not.toThrow();
        expect(b.verify(x, msg, pk)).toBe(false);
        expect(b.verify(sig, msg, x)).toBe(false);
      }
      expect(nobleEd25519.verify(sig, x, pk)).toBe(node.verify(sig, x, pk));
    }
  });
});
