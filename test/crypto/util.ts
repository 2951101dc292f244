/**
 * Helpers shared by the Ed25519 cross-backend tests. Test-only: they build
 * signatures by hand (with a chosen nonce point R) so the tests can reach the
 * edge cases that an honest signer never produces.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { concat, fromHex } from '../../src/bytes.js';
import { type Ed25519Backend, nobleEd25519, nodeEd25519 } from '../../src/crypto/ed25519.js';

/** Group order L (RFC 8032 §5.1). */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** Field prime p = 2^255 - 19. */
export const P = 2n ** 255n - 19n;

export function hex(s: string): Uint8Array {
  const b = fromHex(s);
  if (b === undefined) throw new Error(`bad hex in test data: ${s}`);
  return b;
}

export function leToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** n as `len` little-endian bytes; throws if it does not fit. */
export function bigIntToLe(n: bigint, len = 32): Uint8Array {
  if (n < 0n || n >= 1n << BigInt(8 * len)) throw new RangeError('does not fit');
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    out[i] = Number(n & 255n);
    n >>= 8n;
  }
  return out;
}

/** The node backend; the tests are meaningless without it, so fail loudly. */
export function nodeBackend(): Ed25519Backend {
  if (!nodeEd25519) throw new Error('node:crypto Ed25519 backend is unavailable');
  return nodeEd25519;
}

export const backends = (): readonly Ed25519Backend[] => [nobleEd25519, nodeBackend()];

/** Both backends' decisions, as a pair, for one input. */
export function decisions(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): [boolean, boolean] {
  return [nobleEd25519.verify(sig, msg, pk), nodeBackend().verify(sig, msg, pk)];
}

/** k = SHA-512(R ‖ A ‖ M) mod L, over the exact bytes given (RFC 8032 §5.1.7 step 2). */
export function challenge(rBytes: Uint8Array, aBytes: Uint8Array, msg: Uint8Array): bigint {
  return leToBigInt(sha512(concat(rBytes, aBytes, msg))) % L;
}

/**
 * A signature with a caller-chosen nonce point: R = [r]B + extra, S = r + k·a mod L,
 * where a is the secret scalar of `seed` and k is computed over `aBytes` (the
 * public key as it will be presented to the verifier, possibly not [a]B).
 */
export function signWithNonce(
  seed: Uint8Array,
  msg: Uint8Array,
  opts: { r: bigint; extra?: ed.Point; rBytes?: Uint8Array; aBytes?: Uint8Array },
): Uint8Array {
  const { scalar, pointBytes } = ed.utils.getExtendedPublicKey(seed);
  let rPoint = ed.Point.BASE.multiply(opts.r, false);
  if (opts.extra) rPoint = rPoint.add(opts.extra);
  const rBytes = opts.rBytes ?? rPoint.toBytes();
  const aBytes = opts.aBytes ?? pointBytes;
  const k = challenge(rBytes, aBytes, msg);
  const s = (opts.r + k * scalar) % L;
  return concat(rBytes, bigIntToLe(s));
}

/** Secret scalar a of a seed (clamped, RFC 8032 §5.1.5). */
export const secretScalar = (seed: Uint8Array): bigint => ed.utils.getExtendedPublicKey(seed).scalar;

/**
 * The eight points of the 8-torsion subgroup (canonical encodings) and the six
 * non-canonical encodings of some of them, as listed in
 * novifinancial/ed25519-speccheck src/main.rs (EIGHT_TORSION and
 * EIGHT_TORSION_NON_CANONICAL; "Taming the many EdDSAs", Chalkias et al., 2020),
 * also in C2SP/CCTV ed25519/README.md ("eight plus six alternative encodings").
 */
export const SMALL_ORDER_CANONICAL: readonly { hex: string; order: number }[] = [
  { hex: '0100000000000000000000000000000000000000000000000000000000000000', order: 1 },
  { hex: 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', order: 8 },
  { hex: '0000000000000000000000000000000000000000000000000000000000000080', order: 4 },
  { hex: '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', order: 8 },
  { hex: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', order: 2 },
  { hex: '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', order: 8 },
  { hex: '0000000000000000000000000000000000000000000000000000000000000000', order: 4 },
  { hex: 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', order: 8 },
];

export const SMALL_ORDER_NON_CANONICAL: readonly { hex: string; what: string }[] = [
  {
    hex: '0100000000000000000000000000000000000000000000000000000000000080',
    what: 'identity, x sign bit set (-0, 1)',
  },
  {
    hex: 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    what: 'identity, y = p + 1, x sign bit set',
  },
  {
    hex: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    what: 'order 2, x sign bit set (-0, -1)',
  },
  { hex: 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', what: 'identity, y = p + 1' },
  {
    hex: 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    what: 'order 4, y = p, x sign bit set',
  },
  { hex: 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', what: 'order 4, y = p' },
];

/** A fixed, arbitrary seed for deterministic tests. */
export const SEED_A = hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
