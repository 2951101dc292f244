/**
 * The two hashes of the state map (docs/STATE-MAP.md §Construction), in their
 * plain allocating form, for verifiers and the node codec. The live map
 * computes the same functions in place, over its slabs (./slabs.ts).
 *
 *   leafHash(path, value) = SHA-256(0x00 ‖ path ‖ value)        65 bytes in
 *   nodeHash(c0 … c15)    = SHA-256(0x01 ‖ c0 ‖ c1 ‖ … ‖ c15)    513 bytes in
 *
 * The prefixes separate leaves from nodes, and the two inputs differ in length
 * too, so a node can never be presented as a leaf or the reverse. A leaf binds
 * its whole path, so a leaf compacted high in the tree answers for exactly one
 * key.
 */
import { sha256 } from '../crypto/sha256.js';
import { HASH_SIZE, LEAF_INPUT_SIZE, LEAF_PREFIX, NODE_INPUT_SIZE, NODE_PREFIX } from './constants.js';

const leafInput = new Uint8Array(LEAF_INPUT_SIZE);
leafInput[0] = LEAF_PREFIX;

/** leafHash(path, value); both 32 bytes. */
export function leafHash(path: Uint8Array, value: Uint8Array): Uint8Array {
  leafInput.set(path, 1);
  leafInput.set(value, 1 + HASH_SIZE);
  return sha256(leafInput);
}

/** A fresh node hash input: 0x01 followed by 16 EMPTY children, to be filled in. */
export function nodeInput(): Uint8Array {
  const b = new Uint8Array(NODE_INPUT_SIZE);
  b[0] = NODE_PREFIX;
  return b;
}

/** Offset of child i's hash in a node hash input. */
export const childOffset = (i: number): number => 1 + i * HASH_SIZE;
