/**
 * SHA-256 (FIPS 180-4). Hot path: Node's OpenSSL-backed `crypto.hash` (SHA-NI,
 * about 3x faster than pure JS on entry-sized inputs). Portable path:
 * @noble/hashes, used when `node:crypto` cannot be loaded (a browser or a
 * bundle that leaves it out). Both compute the same function; only speed differs.
 *
 * The dynamic import keeps this module (and so the verifier) free of a static
 * dependency on Node built-ins.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

type NodeCryptoHash = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Uint8Array;

const nodeHash: NodeCryptoHash | undefined = await import('node:crypto').then(
  (m) => (typeof m.hash === 'function' ? (m.hash as unknown as NodeCryptoHash) : undefined),
  () => undefined,
);

function nodeSha256(data: Uint8Array): Uint8Array {
  // Copied into a plain Uint8Array: callers compare like with like, and a
  // 32-byte array lives on V8's heap, while the Buffer Node returns has its own
  // off-heap allocation (hashes are kept by the million in Merkle frontiers,
  // exhibit links and verifier state).
  const out = new Uint8Array(32);
  out.set(nodeHash!('sha256', data, 'buffer'));
  return out;
}

/** SHA-256 of `data`; 32 bytes. */
export const sha256: (data: Uint8Array) => Uint8Array = nodeHash ? nodeSha256 : (d) => nobleSha256(d);

/** The portable implementation, exported so tests can cross-check the fast path. */
export const sha256Portable = (data: Uint8Array): Uint8Array => nobleSha256(data);
