/**
 * RFC 9162 §2.1.1 hashing with HASH = SHA-256.
 *
 * Leaves and interior nodes are hashed with different one-byte prefixes
 * (0x00 and 0x01). §2.1.1 requires this domain separation for second-preimage
 * resistance: without it an interior node (64 bytes of child hashes) could be
 * presented as a leaf record and "proven" included.
 *
 * Every hash this module and its siblings produce or accept is treated as an
 * immutable value: none of them is ever written to after creation, and callers
 * must not write to them either (they may be shared, e.g. between a frontier
 * and the nodes it hands out for storage).
 */
import { sha256 } from '../crypto/sha256.js';

/** Output size of HASH (SHA-256) in bytes: the length of every node hash. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) = HASH() (RFC 9162 §2.1.1): the root of the tree with 0 leaves. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

const leafScratch = new Uint8Array(4096);

/** MTH({d}) = HASH(0x00 || d) (RFC 9162 §2.1.1): the leaf hash of one record. */
export function hashLeaf(record: Uint8Array): Uint8Array {
  // Typical records fit the shared scratch buffer (same reasoning as for
  // hashChildren below); larger ones get their own.
  const buf = record.length < leafScratch.length ? leafScratch : new Uint8Array(1 + record.length);
  buf[0] = LEAF_PREFIX;
  buf.set(record, 1);
  return sha256(buf.subarray(0, 1 + record.length));
}

// One scratch buffer shared by every hashChildren call: this is the hot path of
// appends, proof generation and verification, and sha256 is synchronous and
// keeps no reference to its input, so reuse is safe and saves an allocation
// per node (only the 32-byte digest is allocated).
const scratch = new Uint8Array(1 + 2 * HASH_SIZE);
scratch[0] = NODE_PREFIX;

/**
 * HASH(0x01 || left || right) (RFC 9162 §2.1.1): an interior node.
 * Throws a RangeError unless both children are exactly HASH_SIZE bytes, since
 * a shorter child would silently hash stale scratch bytes.
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new RangeError(`merkle: child hashes must be ${HASH_SIZE} bytes`);
  }
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return sha256(scratch);
}
