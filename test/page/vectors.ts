/**
 * The vectors the page's backends are run on (test/page/page-suite.ts): the RFC 8032 test
 * vectors, each also with a flipped bit and with a non-canonical S (S + L); every small-order
 * public key (canonical and non-canonical encodings) with a trivial forgery; a signature whose R
 * has a small-order component; and the Wycheproof ML-DSA-44 verify vectors from
 * ../shared/vectors/ (their licence is there).
 */
import { readFileSync } from 'node:fs';
import * as ed from '@noble/ed25519';
import { concat } from '../../src/bytes.js';
import {
  bigIntToLe,
  hex,
  L,
  leToBigInt,
  SEED_A,
  SMALL_ORDER_CANONICAL,
  SMALL_ORDER_NON_CANONICAL,
  signWithNonce,
} from '../crypto/util.js';

interface Rfc8032 {
  vectors: { publicKey: string[]; message: string[]; signature: string[] }[];
}

export interface Ed25519Case {
  s: Uint8Array;
  m: Uint8Array;
  k: Uint8Array;
}

export function ed25519Cases(): Ed25519Case[] {
  const rfc = JSON.parse(
    readFileSync(new URL('../crypto/rfc8032-vectors.json', import.meta.url), 'utf8'),
  ) as Rfc8032;
  const out: Ed25519Case[] = [];
  for (const v of rfc.vectors) {
    const c = { s: hex(v.signature.join('')), m: hex(v.message.join('')), k: hex(v.publicKey.join('')) };
    out.push(c);
    const flipped = c.s.slice();
    flipped[5] = flipped[5]! ^ 0x10;
    out.push({ ...c, s: flipped });
    const sPlusL = leToBigInt(c.s.subarray(32)) + L;
    if (sPlusL < 2n ** 256n) out.push({ ...c, s: concat(c.s.subarray(0, 32), bigIntToLe(sPlusL)) });
  }
  const msg = new TextEncoder().encode('custody page vectors');
  // R = A, S = 0 satisfies the cofactored equation for a small-order A: a strict verifier refuses it.
  for (const k of [...SMALL_ORDER_CANONICAL, ...SMALL_ORDER_NON_CANONICAL])
    out.push({ s: concat(hex(k.hex), new Uint8Array(32)), m: msg, k: hex(k.hex) });
  const torsion = ed.Point.fromBytes(hex(SMALL_ORDER_CANONICAL[1]!.hex), true);
  out.push({
    s: signWithNonce(SEED_A, msg, { r: 123456789n, extra: torsion }),
    m: msg,
    k: ed.getPublicKey(SEED_A),
  });
  return out;
}

interface WycheproofFile {
  testGroups: {
    publicKey: string;
    tests: { tcId: number; msg: string; sig: string; ctx?: string; result: string }[];
  }[];
}

export const WYCHEPROOF = (
  JSON.parse(
    readFileSync(
      new URL('../../../shared/vectors/ml-dsa-44/wycheproof-mldsa_44_verify_test.json', import.meta.url),
      'utf8',
    ),
  ) as WycheproofFile
).testGroups.flatMap((g) =>
  g.tests.map((t) => ({
    tcId: t.tcId,
    msg: t.msg,
    sig: t.sig,
    ctx: t.ctx ?? '',
    publicKey: g.publicKey,
    result: t.result,
  })),
);
