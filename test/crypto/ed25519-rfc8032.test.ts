/**
 * RFC 8032 §7.1 known answers (TEST 1, 2, 3, 1024, SHA(abc)), data in
 * ./rfc8032-vectors.json: both backends derive the exact public keys, produce
 * the exact signatures (Ed25519 is deterministic) and verify them; both reject
 * each vector's signature under another vector's key or message.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { isAdmissibleKey } from '../../src/crypto/admission.js';
import { ed25519, nobleEd25519, randomSeed, signerFromSeed } from '../../src/crypto/ed25519.js';
import { backends, decisions, hex } from './util.js';

interface Vector {
  name: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

function loadVectors(): Vector[] {
  const raw: unknown = JSON.parse(readFileSync(new URL('./rfc8032-vectors.json', import.meta.url), 'utf8'));
  const vectors = (raw as { vectors?: unknown }).vectors;
  if (!Array.isArray(vectors)) throw new Error('rfc8032-vectors.json: no vectors array');
  const field = (v: Record<string, unknown>, k: string): Uint8Array => {
    const lines = v[k];
    if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) throw new Error(`bad ${k}`);
    return hex(lines.join(''));
  };
  return vectors.map((item: unknown) => {
    const v = item as Record<string, unknown>;
    const message = field(v, 'message');
    if (v['messageLength'] !== message.length) throw new Error(`${String(v['name'])}: message length`);
    return {
      name: String(v['name']),
      secretKey: field(v, 'secretKey'),
      publicKey: field(v, 'publicKey'),
      message,
      signature: field(v, 'signature'),
    };
  });
}

const VECTORS = loadVectors();

describe('RFC 8032 §7.1 test vectors', () => {
  it('has the five Ed25519 vectors with the RFC message lengths', () => {
    expect(VECTORS.map((v) => [v.name, v.message.length])).toEqual([
      ['TEST 1', 0],
      ['TEST 2', 1],
      ['TEST 3', 2],
      ['TEST 1024', 1023],
      ['TEST SHA(abc)', 64],
    ]);
    for (const v of VECTORS) {
      expect(v.secretKey.length).toBe(32);
      expect(v.publicKey.length).toBe(32);
      expect(v.signature.length).toBe(64);
    }
  });

  for (const v of VECTORS) {
    describe(v.name, () => {
      for (const b of backends()) {
        it(`${b.name}: derives the public key`, () => {
          expect(toHex(b.publicKey(v.secretKey))).toBe(toHex(v.publicKey));
        });
        it(`${b.name}: produces the exact signature`, () => {
          expect(toHex(b.sign(v.message, v.secretKey))).toBe(toHex(v.signature));
        });
        it(`${b.name}: verifies the signature`, () => {
          expect(b.verify(v.signature, v.message, v.publicKey)).toBe(true);
        });
      }
      it('the public key is admissible', () => {
        expect(isAdmissibleKey(v.publicKey)).toBe(true);
      });
      it('signerFromSeed (default backend) signs identically', () => {
        const s = signerFromSeed(v.secretKey);
        expect(toHex(s.publicKey)).toBe(toHex(v.publicKey));
        expect(toHex(s.sign(v.message))).toBe(toHex(v.signature));
      });
    });
  }

  it('each signature is rejected by both backends under every other key and message', () => {
    for (const v of VECTORS) {
      for (const w of VECTORS) {
        if (v === w) continue;
        expect(decisions(v.signature, v.message, w.publicKey)).toEqual([false, false]);
        expect(decisions(v.signature, w.message, v.publicKey)).toEqual([false, false]);
      }
    }
  });

  it('default backend is node:crypto on Node', () => {
    expect(ed25519.name).toBe('node');
    expect(nobleEd25519.name).toBe('noble');
  });

  it('randomSeed gives 32 fresh bytes', () => {
    const a = randomSeed();
    const b = randomSeed();
    expect(a.length).toBe(32);
    expect(toHex(a)).not.toBe(toHex(b));
  });
});
