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

type NodeCryptoHashLatin1 = (algorithm: string, data: Uint8Array, outputEncoding: 'latin1') => string;
const nodeHashLatin1 = nodeHash as unknown as NodeCryptoHashLatin1 | undefined;

function nodeSha256(data: Uint8Array): Uint8Array {
  // The digest is taken as a latin1 string (one char per byte, 0..255) and
  // written into a plain Uint8Array: a short string lives on V8's heap, while
  // a Buffer result costs an off-heap ArrayBuffer allocation, about twice the
  // time of the hash itself on entry-sized inputs. A plain 32-byte array also
  // lives on V8's heap (hashes are kept by the million in Merkle frontiers,
  // exhibit links and verifier state), and callers compare like with like.
  const s = nodeHashLatin1!('sha256', data, 'latin1');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** SHA-256 of `data`; 32 bytes. */
export const sha256: (data: Uint8Array) => Uint8Array = nodeHash ? nodeSha256 : (d) => nobleSha256(d);

/** The portable implementation, exported so tests can cross-check the fast path. */
export const sha256Portable = (data: Uint8Array): Uint8Array => nobleSha256(data);

/**
 * SHA-256 of `data`, written to out[offset .. offset + 32). Keeps no result
 * array: for hot paths that store hashes inside larger buffers, such as the
 * state map, which writes each node's hash straight into its parent's hash
 * input (src/map/map.ts).
 *
 * The digest is taken from node:crypto as a latin1 string (one char per byte,
 * 0..255): a short string lives on V8's heap, while a Buffer result costs an
 * ArrayBuffer allocation that makes a 513-byte hash about twice as slow.
 */
export const sha256Into: (data: Uint8Array, out: Uint8Array, offset: number) => void = nodeHashLatin1
  ? (d, out, o) => {
      const s = nodeHashLatin1('sha256', d, 'latin1');
      for (let i = 0; i < 32; i++) out[o + i] = s.charCodeAt(i);
    }
  : (d, out, o) => out.set(nobleSha256(d), o);
