/**
 * SHA-256: the node:crypto fast path and the portable @noble/hashes path are
 * the same function; FIPS 180-4 known answers (NIST "Examples with
 * Intermediate Values" for SHA-256: one-block "abc", two-block 448-bit message)
 * and the well-known digest of the empty string.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import { sha256, sha256Portable } from '../../src/crypto/sha256.js';

const KNOWN: readonly [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
];

describe('sha256', () => {
  for (const [input, digest] of KNOWN) {
    it(`FIPS 180-4 known answer for ${JSON.stringify(input)}`, () => {
      expect(toHex(sha256(utf8(input)))).toBe(digest);
      expect(toHex(sha256Portable(utf8(input)))).toBe(digest);
    });
  }

  it('one million "a" (FIPS 180-4 long message)', () => {
    const million = new Uint8Array(1_000_000).fill(0x61);
    const want = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';
    expect(toHex(sha256(million))).toBe(want);
    expect(toHex(sha256Portable(million))).toBe(want);
  });

  it('returns a plain 32-byte Uint8Array (not a Buffer) from both paths', () => {
    for (const f of [sha256, sha256Portable]) {
      const d = f(utf8('x'));
      expect(d.length).toBe(32);
      expect(Object.getPrototypeOf(d)).toBe(Uint8Array.prototype);
      // Its own 32 bytes: a digest kept for long (exhibit links, frontiers) pins nothing else.
      expect(d.buffer.byteLength).toBe(32);
    }
  });

  it('does not alias or modify its input; results are independent', () => {
    const input = utf8('exhibit');
    const copy = input.slice();
    const a = sha256(input);
    const b = sha256(utf8('other'));
    expect(input).toEqual(copy);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(toHex(a)).toBe(toHex(sha256Portable(copy)));
  });

  it('block-boundary lengths agree (0..130 bytes)', () => {
    for (let n = 0; n <= 130; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 255);
      expect(toHex(sha256(data)), `length ${n}`).toBe(toHex(sha256Portable(data)));
    }
  });

  it('node and portable paths agree on random inputs, including views at an offset (500 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat(16), (data, off) => {
        expect(toHex(sha256(data))).toBe(toHex(sha256Portable(data)));
        const view = data.subarray(Math.min(off, data.length));
        expect(toHex(sha256(view))).toBe(toHex(sha256Portable(view)));
      }),
      { seed: 0x2560, numRuns: 500 },
    );
  });
});
