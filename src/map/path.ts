/**
 * Map keys and their paths (docs/STATE-MAP.md §Keys and paths):
 *
 *   path = SHA-256( utf8("custody/map/path/v2\n") ‖ u8(len(namespace)) ‖ namespace ‖ key )
 *
 * The key is hashed, so nobody who chooses labels can choose where a leaf
 * sits: paths are uniform, and the tree stays about log16(n) deep however
 * adversarial the keys. The length byte keeps (namespace, key) pairs apart
 * ("ab","c" vs "a","bc").
 */
import { sha256Into } from '../crypto/sha256.js';
import {
  HASH_SIZE,
  MAX_KEY_BYTES,
  MAX_NAMESPACE_BYTES,
  MAX_NAMESPACE_CHAR,
  MIN_NAMESPACE_CHAR,
  PATH_DOMAIN,
} from './constants.js';
import { keyInvalid } from './errors.js';

/** A key: raw bytes, or a string taken as its UTF-8 bytes. */
export type MapKey = Uint8Array | string;

// One scratch buffer for every path hash: hashing is synchronous and keeps no
// reference to its input, so reuse is safe, and a key update allocates nothing
// here (this runs once per map update).
const NS_AT = PATH_DOMAIN.length;
const scratch = new Uint8Array(NS_AT + 1 + MAX_NAMESPACE_BYTES + MAX_KEY_BYTES);
scratch.set(PATH_DOMAIN);
const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;

// %TypedArray%.prototype.length, read from the internal slot: an object that
// only claims to be a Uint8Array cannot misreport its length (see
// src/merkle/verify.ts). Throws on a non-typed-array.
const typedArrayLength = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  'length',
)?.get as (this: unknown) => number;

/** True for a real Uint8Array of exactly `n` bytes. Never throws. */
export function isBytes(b: unknown, n: number): b is Uint8Array {
  try {
    return b instanceof Uint8Array && typedArrayLength.call(b) === n && b.length === n;
  } catch {
    return false;
  }
}

/**
 * Writes the path hash input of (ns, key) into the scratch buffer and returns
 * its length, or a reason the key is invalid.
 */
function fill(ns: unknown, key: unknown): number | string {
  if (typeof ns !== 'string') return 'namespace must be a string';
  const n = ns.length;
  if (n < 1 || n > MAX_NAMESPACE_BYTES) return `namespace must be 1..${MAX_NAMESPACE_BYTES} bytes`;
  scratch[NS_AT] = n;
  for (let i = 0; i < n; i++) {
    const c = ns.charCodeAt(i);
    if (c < MIN_NAMESPACE_CHAR || c > MAX_NAMESPACE_CHAR) return 'namespace must be printable ASCII';
    scratch[NS_AT + 1 + i] = c;
  }
  const at = NS_AT + 1 + n;
  if (typeof key === 'string') {
    if (LONE_SURROGATE.test(key)) return 'key is not well-formed Unicode';
    const r = encoder.encodeInto(key, scratch.subarray(at, at + MAX_KEY_BYTES));
    if (r.read !== key.length) return `key must be at most ${MAX_KEY_BYTES} bytes`;
    return at + r.written;
  }
  if (!(key instanceof Uint8Array)) return 'key must be bytes or a string';
  const len = typedArrayLength.call(key);
  if (len > MAX_KEY_BYTES) return `key must be at most ${MAX_KEY_BYTES} bytes`;
  scratch.set(key, at);
  return at + len;
}

/**
 * Writes path(ns, key) to out[offset .. offset + 32). Throws MAP_KEY_INVALID
 * for a namespace or key outside the limits.
 */
export function pathInto(ns: string, key: MapKey, out: Uint8Array, offset: number): void {
  const n = fill(ns, key);
  if (typeof n === 'string') throw keyInvalid(n);
  sha256Into(scratch.subarray(0, n), out, offset);
}

/** path(ns, key), 32 bytes. Throws MAP_KEY_INVALID for an invalid key. */
export function mapPath(ns: string, key: MapKey): Uint8Array {
  const out = new Uint8Array(HASH_SIZE);
  pathInto(ns, key, out, 0);
  return out;
}

/** path(ns, key), or undefined for an invalid key. Never throws (for verifiers). */
export function tryMapPath(ns: unknown, key: unknown): Uint8Array | undefined {
  try {
    const n = fill(ns, key);
    if (typeof n === 'string') return undefined;
    const out = new Uint8Array(HASH_SIZE);
    sha256Into(scratch.subarray(0, n), out, 0);
    return out;
  } catch {
    return undefined;
  }
}

/** Nibble i (0..63) of the path stored at p[at .. at + 32): high nibble of each byte first. */
export const nibble = (p: Uint8Array, at: number, i: number): number =>
  (i & 1) === 0 ? p[at + (i >>> 1)]! >>> 4 : p[at + (i >>> 1)]! & 15;
