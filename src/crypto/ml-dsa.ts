/**
 * ML-DSA-44 (FIPS 204, parameter set of §4 Table 1) behind a thin wrapper over
 * @noble/post-quantum: key generation from a 32-byte seed, signing
 * (deterministic or hedged) and verification with a context string.
 *
 * Why a library and not node:crypto: neither Node 20 nor Debian's OpenSSL 3.0
 * has ML-DSA (docs/ARCHITECTURE.md §Dependencies and why). @noble/post-quantum
 * is pure JS, so this file stays pure and runs in a browser too. It is not
 * constant-time; signing keys live with the witness or log operator, and
 * verification handles only public data.
 *
 * The wrapper checks every size itself before calling the library (FIPS 204
 * §4 Table 2: public key 1312, secret key 2560, signature 2420 bytes for
 * ML-DSA-44; §5.2 and §5.3: the context is at most 255 bytes), so callers get a
 * CustodyError (`ML_DSA_INPUT_INVALID`, input) on signing and a plain `false`
 * on verification instead of a library exception.
 */
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { CustodyError } from '../errors.js';

/** FIPS 204 §5.1 Algorithm 1: ML-DSA.KeyGen draws a 32-byte seed ξ. */
export const ML_DSA_44_SEED_LENGTH = 32;
/** FIPS 204 §4 Table 2 (ML-DSA-44). */
export const ML_DSA_44_PUBLIC_KEY_LENGTH = 1312;
export const ML_DSA_44_SECRET_KEY_LENGTH = 2560;
export const ML_DSA_44_SIGNATURE_LENGTH = 2420;
/** FIPS 204 §5.2 Algorithm 2 and §5.3 Algorithm 3: "if |ctx| > 255 then return ⊥". */
export const ML_DSA_MAX_CONTEXT_LENGTH = 255;
/** FIPS 204 §3.4: the hedged variant's fresh randomness rnd is 32 bytes. */
export const ML_DSA_RANDOMNESS_LENGTH = 32;

const invalid = (message: string) => new CustodyError('ML_DSA_INPUT_INVALID', message, 'input');

const isBytes = (b: unknown, length?: number): b is Uint8Array =>
  b instanceof Uint8Array && (length === undefined || b.length === length);

export interface MlDsa44KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/**
 * FIPS 204 §5.1 Algorithm 1 with the seed given (ML-DSA.KeyGen_internal,
 * §6.1 Algorithm 6): the same 32-byte seed always gives the same key pair, so
 * the seed is all a key file needs to keep.
 */
export function mlDsa44KeyPairFromSeed(seed: Uint8Array): MlDsa44KeyPair {
  if (!isBytes(seed, ML_DSA_44_SEED_LENGTH)) throw invalid('ML-DSA-44 seed must be 32 bytes');
  const { publicKey, secretKey } = ml_dsa44.keygen(seed);
  return { publicKey, secretKey };
}

export interface MlDsaSignOptions {
  /** FIPS 204 §5.2: the context string ctx, 0..255 bytes; empty when unset. */
  readonly context?: Uint8Array;
  /**
   * FIPS 204 §3.4: "deterministic" uses rnd = {0}^32 (the same message and key
   * give the same signature, which tests can compare byte for byte); "hedged"
   * (the default, which FIPS 204 recommends) draws rnd fresh, or takes the 32
   * bytes given in `randomness`.
   */
  readonly mode?: 'hedged' | 'deterministic';
  readonly randomness?: Uint8Array;
}

function checkContext(context: Uint8Array | undefined): Uint8Array {
  if (context === undefined) return new Uint8Array(0);
  if (!isBytes(context) || context.length > ML_DSA_MAX_CONTEXT_LENGTH) {
    throw invalid('ML-DSA context must be at most 255 bytes');
  }
  return context;
}

/** FIPS 204 §5.2 Algorithm 2, ML-DSA.Sign (pure ML-DSA, not HashML-DSA): a 2420-byte signature. */
export function mlDsa44Sign(
  message: Uint8Array,
  secretKey: Uint8Array,
  opts: MlDsaSignOptions = {},
): Uint8Array {
  if (!isBytes(message)) throw invalid('ML-DSA message must be bytes');
  if (!isBytes(secretKey, ML_DSA_44_SECRET_KEY_LENGTH))
    throw invalid('ML-DSA-44 secret key must be 2560 bytes');
  const context = checkContext(opts.context);
  let extraEntropy: Uint8Array | false | undefined;
  if (opts.mode === 'deterministic') {
    if (opts.randomness !== undefined) throw invalid('deterministic ML-DSA signing takes no randomness');
    extraEntropy = false;
  } else if (opts.randomness !== undefined) {
    if (!isBytes(opts.randomness, ML_DSA_RANDOMNESS_LENGTH))
      throw invalid('ML-DSA randomness must be 32 bytes');
    extraEntropy = opts.randomness;
  }
  const sig =
    extraEntropy === undefined
      ? ml_dsa44.sign(message, secretKey, { context })
      : ml_dsa44.sign(message, secretKey, { context, extraEntropy });
  // The library's contract; checked so a wrong-length signature never leaves this file.
  if (sig.length !== ML_DSA_44_SIGNATURE_LENGTH) {
    throw new CustodyError('INTERNAL', 'ML-DSA-44 signature of the wrong length', 'internal');
  }
  return sig;
}

/**
 * FIPS 204 §5.3 Algorithm 3, ML-DSA.Verify. False, never an exception, for
 * anything that is not a valid signature: a public key, signature or context
 * of the wrong size (Algorithm 3 returns false for |ctx| > 255), a malformed
 * hint encoding or a norm violation (§6.3 Algorithm 8).
 */
export function mlDsa44Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
  context: Uint8Array = new Uint8Array(0),
): boolean {
  if (!isBytes(signature, ML_DSA_44_SIGNATURE_LENGTH) || !isBytes(publicKey, ML_DSA_44_PUBLIC_KEY_LENGTH)) {
    return false;
  }
  if (!isBytes(message) || !isBytes(context) || context.length > ML_DSA_MAX_CONTEXT_LENGTH) return false;
  try {
    return ml_dsa44.verify(signature, message, publicKey, { context }) === true;
  } catch {
    return false;
  }
}

/** A signing key held in memory: its public key and a sign function (the seed stays inside). */
export interface MlDsa44Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array, opts?: MlDsaSignOptions): Uint8Array;
}

/** An ML-DSA-44 signer from its 32-byte seed (FIPS 204 §5.1). */
export function mlDsa44SignerFromSeed(seed: Uint8Array): MlDsa44Signer {
  const { publicKey, secretKey } = mlDsa44KeyPairFromSeed(seed);
  return {
    publicKey: publicKey.slice(),
    sign: (message, opts) => mlDsa44Sign(message, secretKey, opts),
  };
}
