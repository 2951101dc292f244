/**
 * Small-order and mixed-order points. The raw libraries disagree on these (see
 * docs in src/crypto/admission.ts); our backends must refuse them identically:
 *  - keys: every small-order encoding (8 canonical + 6 non-canonical), the
 *    identity forgery (A = I, R = I, S = 0) and mixed-order keys (A + T) are
 *    not admissible and never verify, even where a raw verifier accepts;
 *  - nonces: a signature whose R has a small-order component, made by the
 *    holder of an admitted key, must get the SAME decision from both backends.
 */
import { createPublicKey, verify as nodeRawVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, toHex } from '../../src/bytes.js';
import { isAdmissibleKey } from '../../src/crypto/admission.js';
import { nobleEd25519 } from '../../src/crypto/ed25519.js';
import {
  bigIntToLe,
  decisions,
  hex,
  L,
  nodeBackend,
  SEED_A,
  SMALL_ORDER_CANONICAL,
  SMALL_ORDER_NON_CANONICAL,
  signWithNonce,
} from './util.js';

const node = nodeBackend();
const SPKI_PREFIX = hex('302a300506032b6570032100');

/** node:crypto's verifier without our preconditions. */
function rawNode(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(concat(SPKI_PREFIX, pk)), format: 'der', type: 'spki' });
    return nodeRawVerify(null, msg, key, sig);
  } catch {
    return false;
  }
}

/** noble's verifier without our preconditions (default: ZIP-215). */
function rawNoble(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, zip215 = true): boolean {
  try {
    return ed.verify(sig, msg, pk, { zip215 });
  } catch {
    return false;
  }
}

const MESSAGES = Array.from({ length: 32 }, (_, i) => new TextEncoder().encode(`custody event #${i}`));
const IDENTITY = hex('0100000000000000000000000000000000000000000000000000000000000000');
const ZERO32 = new Uint8Array(32);

function orderOf(p: ed.Point): number {
  for (const n of [1, 2, 4, 8]) if (p.multiply(BigInt(n), false).is0()) return n;
  return 0;
}

const ALL_SMALL_ORDER = [
  ...SMALL_ORDER_CANONICAL.map((s) => ({ hex: s.hex, what: `order ${s.order}` })),
  ...SMALL_ORDER_NON_CANONICAL,
];

describe('the small-order encodings in the test data are what they claim', () => {
  it('8 canonical encodings: strict decoding, the stated order, distinct points covering the 8-torsion', () => {
    const orders = new Map<number, number>();
    for (const { hex: h, order } of SMALL_ORDER_CANONICAL) {
      const p = ed.Point.fromBytes(hex(h), false);
      expect(orderOf(p), h).toBe(order);
      expect(toHex(p.toBytes())).toBe(h);
      orders.set(order, (orders.get(order) ?? 0) + 1);
    }
    expect(new Set(SMALL_ORDER_CANONICAL.map((s) => s.hex)).size).toBe(8);
    expect([...orders.entries()].sort()).toEqual([
      [1, 1],
      [2, 1],
      [4, 2],
      [8, 4],
    ]);
  });

  it('6 non-canonical encodings: strict decoding refuses them, ZIP-215 decodes them to small-order points', () => {
    for (const { hex: h } of SMALL_ORDER_NON_CANONICAL) {
      expect(() => ed.Point.fromBytes(hex(h), false), h).toThrow();
      const p = ed.Point.fromBytes(hex(h), true);
      expect(p.isSmallOrder(), h).toBe(true);
      expect(toHex(p.toBytes())).not.toBe(h);
      expect(SMALL_ORDER_CANONICAL.map((s) => s.hex)).toContain(toHex(p.toBytes()));
    }
  });
});

describe('small-order public keys', () => {
  for (const { hex: h, what } of ALL_SMALL_ORDER) {
    it(`${h} (${what}): not admissible; R = I, S = 0 "signs" nothing in either backend`, () => {
      const pk = hex(h);
      expect(isAdmissibleKey(pk)).toBe(false);
      const forged = concat(IDENTITY, ZERO32);
      let rawAccepted = 0;
      for (const m of MESSAGES) {
        if (rawNoble(forged, m, pk)) rawAccepted++;
        expect(decisions(forged, m, pk)).toEqual([false, false]);
        // R = A itself, S = 0, and R = A, S = 1: other cheap "signatures" for torsion keys.
        expect(decisions(concat(pk, ZERO32), m, pk)).toEqual([false, false]);
        expect(decisions(concat(pk, bigIntToLe(1n)), m, pk)).toEqual([false, false]);
      }
      // The raw ZIP-215 verifier accepts the forgery for every message: the precondition matters.
      expect(rawAccepted).toBe(MESSAGES.length);
    });
  }

  it('identity forgery (A = I, R = I, S = 0): raw node:crypto accepts every message, both backends none', () => {
    const forged = concat(IDENTITY, ZERO32);
    for (const m of MESSAGES) {
      expect(rawNode(forged, m, IDENTITY)).toBe(true);
      expect(decisions(forged, m, IDENTITY)).toEqual([false, false]);
    }
  });

  it('order-8 key with R = I, S = 0: raw node:crypto accepts some messages, both backends none', () => {
    const pk = hex(SMALL_ORDER_CANONICAL[1]!.hex);
    const forged = concat(IDENTITY, ZERO32);
    let rawAccepted = 0;
    for (let i = 0; i < 64; i++) {
      const m = new TextEncoder().encode(`message ${i}`);
      if (rawNode(forged, m, pk)) rawAccepted++;
      expect(decisions(forged, m, pk)).toEqual([false, false]);
    }
    expect(rawAccepted).toBeGreaterThan(0);
  });
});

describe('mixed-order public keys (a real key plus a torsion point)', () => {
  const realPk = nobleEd25519.publicKey(SEED_A);
  const A = ed.Point.fromBytes(realPk);

  it('control: the real key is admissible and signs normally', () => {
    expect(isAdmissibleKey(realPk)).toBe(true);
    expect(decisions(nobleEd25519.sign(MESSAGES[0]!, SEED_A), MESSAGES[0]!, realPk)).toEqual([true, true]);
  });

  for (const { hex: h, order } of SMALL_ORDER_CANONICAL.filter((s) => s.order > 1)) {
    it(`A + T (T of order ${order}, ${h.slice(0, 8)}…): not admissible, never verifies, though raw noble strict accepts`, () => {
      const mixed = A.add(ed.Point.fromBytes(hex(h))).toBytes();
      expect(ed.Point.fromBytes(mixed, false).isTorsionFree()).toBe(false);
      expect(ed.Point.fromBytes(mixed, false).isSmallOrder()).toBe(false);
      expect(isAdmissibleKey(mixed)).toBe(false);
      let rawNobleStrict = 0;
      let rawNodeAccepted = 0;
      MESSAGES.forEach((m, i) => {
        // A real signature by the holder of a, with the challenge computed over the mixed key.
        const sig = signWithNonce(SEED_A, m, { r: 1000n + BigInt(i), aBytes: mixed });
        if (rawNoble(sig, m, mixed, false)) rawNobleStrict++;
        if (rawNode(sig, m, mixed)) rawNodeAccepted++;
        expect(decisions(sig, m, mixed)).toEqual([false, false]);
      });
      // Cofactored (noble) accepts all; cofactorless (OpenSSL) only when [k]T = I.
      expect(rawNobleStrict).toBe(MESSAGES.length);
      expect(rawNodeAccepted).toBeLessThan(MESSAGES.length);
    });
  }
});

/**
 * SECURITY: the backends must agree on signatures whose R has a small-order
 * component, made by the holder of an ADMITTED key with canonical S. noble
 * verifies with the cofactored equation [8][S]B = [8]R + [8][k]A; OpenSSL with
 * the cofactorless one, encode([S]B - [k]A) == R. With R = [r]B + T (T a
 * nonzero torsion point) and S = r + k·a, the first holds and the second does
 * not. These tests FAIL while src/crypto/ed25519.ts lets that through.
 */
describe('R with a small-order component under an admitted key: both backends must decide the same', () => {
  const pk = nobleEd25519.publicKey(SEED_A);
  const msg = new TextEncoder().encode('custody');

  for (const { hex: h, order } of SMALL_ORDER_CANONICAL.filter((s) => s.order > 1)) {
    it(`R = [r]B + T, T of order ${order} (${h.slice(0, 8)}…)`, () => {
      const sig = signWithNonce(SEED_A, msg, { r: 1234567n, extra: ed.Point.fromBytes(hex(h)) });
      expect(isAdmissibleKey(pk)).toBe(true);
      const [noble, nodeDecision] = decisions(sig, msg, pk);
      expect(
        nodeDecision,
        `backends disagree (noble ${noble}, node ${nodeDecision}) on sig=${toHex(sig)} msg=${toHex(msg)} pk=${toHex(pk)}`,
      ).toBe(noble);
    });

    it(`R = T itself (r = 0), T of order ${order}, S = k·a`, () => {
      const sig = signWithNonce(SEED_A, msg, { r: 0n, extra: ed.Point.fromBytes(hex(h)) });
      expect(toHex(sig.subarray(0, 32))).toBe(h);
      const [noble, nodeDecision] = decisions(sig, msg, pk);
      expect(nodeDecision, `sig=${toHex(sig)}`).toBe(noble);
    });
  }

  it('property: random seed, message, nonce and torsion point (100 runs)', () => {
    const torsion = SMALL_ORDER_CANONICAL.map((s) => ed.Point.fromBytes(hex(s.hex)));
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 256 }),
        fc.bigInt({ min: 1n, max: L - 1n }),
        fc.nat(7),
        (seed, m, r, t) => {
          const sig = signWithNonce(seed, m, { r, extra: torsion[t]! });
          const key = nobleEd25519.publicKey(seed);
          expect(node.verify(sig, m, key)).toBe(nobleEd25519.verify(sig, m, key));
        },
      ),
      { seed: 0x7025_1011, numRuns: 100 },
    );
  });
});
