/**
 * Ed25519 (RFC 8032 §5.1) behind one small interface with two backends:
 *  - node: OpenSSL through `node:crypto` (sign ~23 µs, verify ~62 µs here), the hot path;
 *  - noble: @noble/ed25519, pure JS (~10x slower), the portable path and the cross-check.
 *
 * Security assumption: both backends must reach the same accept/reject decision on
 * every input. Raw libraries disagree on small-order and mixed-order public keys
 * and on small-order components in R, so `verify` first requires the key to pass
 * admission (./admission.ts: decodes, not small order, torsion-free) and S to be
 * canonical (S < L), and both then run the cofactorless equation with R compared
 * byte for byte (OpenSSL's definition; see nobleStrictVerify).
 * `verify` never throws: wrong lengths and undecodable points are simply "false".
 */
import * as ed from '@noble/ed25519';
import { toHex } from '../bytes.js';
import { type Ed25519Backend, nobleEd25519, preconditions } from './ed25519-noble.js';

export { type Ed25519Backend, nobleEd25519 } from './ed25519-noble.js';

type NodeCrypto = typeof import('node:crypto');
const nodeCrypto: NodeCrypto | undefined = await import('node:crypto').catch(() => undefined);

// DER prefixes of PKCS#8 and SPKI wrappings for a raw Ed25519 key (RFC 8410).
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function makeNodeBackend(c: NodeCrypto): Ed25519Backend {
  // KeyObject creation costs more than a verification; actors are few, so cache them.
  const pubCache = new Map<string, import('node:crypto').KeyObject>();
  const pubKeyObject = (pk: Uint8Array) => {
    const id = toHex(pk);
    let k = pubCache.get(id);
    if (!k) {
      k = c.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' });
      if (pubCache.size > 10_000) pubCache.clear();
      pubCache.set(id, k);
    }
    return k;
  };
  const privKeyObject = (seed: Uint8Array) =>
    c.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return {
    name: 'node',
    publicKey(seed) {
      if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
      const der = c.createPublicKey(privKeyObject(seed)).export({ format: 'der', type: 'spki' });
      return new Uint8Array(der.subarray(12));
    },
    sign(message, seed) {
      if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
      return new Uint8Array(c.sign(null, message, privKeyObject(seed)));
    },
    verify(signature, message, publicKey) {
      try {
        return (
          preconditions(signature, publicKey) && c.verify(null, message, pubKeyObject(publicKey), signature)
        );
      } catch {
        return false;
      }
    },
  };
}

export const nodeEd25519: Ed25519Backend | undefined = nodeCrypto ? makeNodeBackend(nodeCrypto) : undefined;

/** The backend used by default: node when available, noble otherwise. */
export const ed25519: Ed25519Backend = nodeEd25519 ?? nobleEd25519;

/** A signing key held in memory. The seed never leaves this object except through key files. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Builds a Signer over a seed. For the node backend the PKCS#8 KeyObject is created once. */
export function signerFromSeed(seed: Uint8Array): Signer {
  if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
  const publicKey = ed25519.publicKey(seed);
  let signer: Signer;
  if (nodeCrypto) {
    const key = nodeCrypto.createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    signer = { publicKey, sign: (m) => new Uint8Array(nodeCrypto.sign(null, m, key)) };
  } else {
    const copy = seed.slice();
    signer = { publicKey, sign: (m) => nobleEd25519.sign(m, copy) };
  }
  inProcess.add(signer);
  return signer;
}

const inProcess = new WeakSet<Signer>();
/**
 * True for signers made by signerFromSeed: deterministic RFC 8032 signing in
 * this process with a public key derived from the same seed. Their signatures
 * need no re-verification on append (it would detect only a hardware fault and
 * cost more than the signing); any other Signer implementation is checked.
 */
export const isInProcessSigner = (s: Signer): boolean => inProcess.has(s);

/** A fresh random seed (32 bytes from the platform CSPRNG). */
export function randomSeed(): Uint8Array {
  return ed.utils.randomSecretKey();
}
