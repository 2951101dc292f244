/**
 * The two Ed25519 backends are the same function: byte-identical signatures
 * for random seeds and messages, each verifying the other's, and the same
 * verify decision on random and mutated inputs (without ever throwing).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, toHex } from '../../src/bytes.js';
import { nobleEd25519 } from '../../src/crypto/ed25519.js';
import { bigIntToLe, decisions, L, leToBigInt, nodeBackend } from './util.js';

const node = nodeBackend();
const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const msgArb = fc.uint8Array({ minLength: 0, maxLength: 2048 });

describe('noble and node:crypto agree on signing', () => {
  it('byte-identical public keys and signatures; each verifies the other (200 runs)', () => {
    fc.assert(
      fc.property(seedArb, msgArb, (seed, msg) => {
        const pkNoble = nobleEd25519.publicKey(seed);
        const pkNode = node.publicKey(seed);
        expect(toHex(pkNode)).toBe(toHex(pkNoble));
        const sigNoble = nobleEd25519.sign(msg, seed);
        const sigNode = node.sign(msg, seed);
        expect(toHex(sigNode)).toBe(toHex(sigNoble));
        expect(nobleEd25519.verify(sigNode, msg, pkNoble)).toBe(true);
        expect(node.verify(sigNoble, msg, pkNoble)).toBe(true);
      }),
      { seed: 0x5eed_2551, numRuns: 200 },
    );
  });

  it('accepts Uint8Array views at an offset and Buffers alike', () => {
    const seed = new Uint8Array(32).fill(9);
    const msg = new TextEncoder().encode('exhibit 42 handed to lab');
    const sig = node.sign(msg, seed);
    const pk = node.publicKey(seed);
    const big = new Uint8Array(200);
    big.set(sig, 7);
    big.set(pk, 100);
    big.set(msg, 150);
    const sigView = big.subarray(7, 71);
    const pkView = big.subarray(100, 132);
    const msgView = big.subarray(150, 150 + msg.length);
    expect(decisions(sigView, msgView, pkView)).toEqual([true, true]);
    expect(decisions(Buffer.from(sig), Buffer.from(msg), Buffer.from(pk))).toEqual([true, true]);
    expect(toHex(nobleEd25519.sign(msgView, seed))).toBe(toHex(sig));
  });
});

/** One way of damaging a valid (sig, msg, pk) triple. */
type Mutation =
  | { kind: 'flip'; target: 'sig' | 'msg' | 'pk'; index: number; bit: number }
  | { kind: 'set'; target: 'sig' | 'msg' | 'pk'; index: number; value: number }
  | { kind: 'truncate'; target: 'sig' | 'msg' | 'pk'; by: number }
  | { kind: 'extend'; target: 'sig' | 'msg' | 'pk'; bytes: Uint8Array }
  | { kind: 'addL'; times: number }
  | { kind: 'swapHalves' }
  | { kind: 'randomR'; r: Uint8Array }
  | { kind: 'randomS'; s: Uint8Array }
  | { kind: 'otherKey'; pk: Uint8Array }
  | { kind: 'none' };

const target = fc.constantFrom('sig' as const, 'msg' as const, 'pk' as const);
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), target, index: fc.nat(4095), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), target, index: fc.nat(4095), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('truncate' as const), target, by: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('extend' as const),
    target,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('addL' as const), times: fc.integer({ min: 1, max: 15 }) }),
  fc.record({ kind: fc.constant('swapHalves' as const) }),
  fc.record({ kind: fc.constant('randomR' as const), r: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('randomS' as const), s: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('otherKey' as const), pk: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('none' as const) }),
);

interface Triple {
  sig: Uint8Array;
  msg: Uint8Array;
  pk: Uint8Array;
}

function mutate(t: Triple, m: Mutation): Triple {
  const out: Triple = { sig: t.sig.slice(), msg: t.msg.slice(), pk: t.pk.slice() };
  switch (m.kind) {
    case 'flip': {
      const b = out[m.target];
      if (b.length > 0) b[m.index % b.length]! ^= 1 << m.bit;
      else out[m.target] = new Uint8Array([1 << m.bit]);
      break;
    }
    case 'set': {
      const b = out[m.target];
      if (b.length > 0) b[m.index % b.length] = m.value;
      break;
    }
    case 'truncate':
      out[m.target] = out[m.target].slice(0, Math.max(0, out[m.target].length - m.by));
      break;
    case 'extend':
      out[m.target] = concat(out[m.target], m.bytes);
      break;
    case 'addL': {
      const s = leToBigInt(out.sig.subarray(32)) + BigInt(m.times) * L;
      if (s < 2n ** 256n) out.sig = concat(out.sig.subarray(0, 32), bigIntToLe(s));
      break;
    }
    case 'swapHalves':
      out.sig = concat(out.sig.subarray(32), out.sig.subarray(0, 32));
      break;
    case 'randomR':
      out.sig = concat(m.r, out.sig.subarray(32));
      break;
    case 'randomS':
      out.sig = concat(out.sig.subarray(0, 32), m.s);
      break;
    case 'otherKey':
      out.pk = m.pk;
      break;
    case 'none':
      break;
  }
  return out;
}

describe('noble and node:crypto agree on verification', () => {
  it('random (sig, msg, pk) byte strings of any length: same decision, never throws (300 runs)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.uint8Array({ minLength: 0, maxLength: 64 }),
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        (sig, msg, pk) => {
          const [a, b] = decisions(sig, msg, pk);
          expect(b).toBe(a);
          expect(a).toBe(false);
        },
      ),
      { seed: 0x0d15_ea5e, numRuns: 300 },
    );
  });

  it('random 64-byte signatures under real keys: same decision (200 runs)', () => {
    fc.assert(
      fc.property(seedArb, fc.uint8Array({ minLength: 64, maxLength: 64 }), msgArb, (seed, sig, msg) => {
        const pk = nobleEd25519.publicKey(seed);
        const [a, b] = decisions(sig, msg, pk);
        expect(b).toBe(a);
        expect(a).toBe(false);
      }),
      { seed: 0xface_b00c, numRuns: 200 },
    );
  });

  it('mutated valid triples: same decision, never throws (400 runs)', () => {
    fc.assert(
      fc.property(seedArb, msgArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (seed, msg, ms) => {
        const valid = { sig: node.sign(msg, seed), msg, pk: node.publicKey(seed) };
        let t: Triple = valid;
        for (const m of ms) t = mutate(t, m);
        const [a, b] = decisions(t.sig, t.msg, t.pk);
        expect(b).toBe(a);
        const unchanged =
          toHex(t.sig) === toHex(valid.sig) &&
          toHex(t.msg) === toHex(valid.msg) &&
          toHex(t.pk) === toHex(valid.pk);
        expect(a).toBe(unchanged);
      }),
      { seed: 0xc0ffee, numRuns: 400 },
    );
  });
});
