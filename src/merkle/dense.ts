/**
 * The complete-subtree nodes of a tree built by appending (RFC 9162 §2.1.1),
 * kept level by level in flat buffers: node (level, index) is 32 bytes at
 * offset 32 × index of its level's buffer. A replay keeps every node so that
 * it can compute the root at any earlier size (a statement's `seen`, an
 * archived checkpoint) without reading a store.
 *
 * Why not MemoryNodeStore: a Map of string keys to 32-byte arrays costs about
 * 200 bytes of heap a node and a garbage-collected object each, some 400 MB
 * for the two million nodes of a million-entry replay; this costs 64 MB in
 * a handful of buffers the collector never walks.
 *
 * Pure (no storage or Node imports), like the rest of src/merkle.
 */
import { HASH_SIZE } from './hash.js';
import type { NewNode, NodeReader } from './proofs.js';

/** A growable array of 32-byte values in one buffer (undefined is pushed as zero bytes). */
export class Slab32 {
  #buf = new Uint8Array(HASH_SIZE * 256);
  length = 0;
  push(v: Uint8Array | undefined): void {
    if ((this.length + 1) * HASH_SIZE > this.#buf.length) {
      const grown = new Uint8Array(this.#buf.length * 2);
      grown.set(this.#buf);
      this.#buf = grown;
    }
    if (v) this.#buf.set(v, this.length * HASH_SIZE);
    this.length++;
  }
  /** A view (valid until the next push that grows the buffer). */
  at(i: number): Uint8Array {
    return this.#buf.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}

export class DenseNodeStore implements NodeReader {
  readonly #levels: Slab32[] = [];

  /**
   * Stores the nodes MerkleFrontier.append returns. Each level only grows by
   * its next node (appending produces them in that order); anything else is a
   * caller's bug and throws.
   */
  put(nodes: readonly NewNode[]): void {
    for (const n of nodes) {
      let l = this.#levels[n.level];
      if (!l) {
        l = new Slab32();
        this.#levels[n.level] = l;
      }
      if (n.index !== l.length || n.hash.length !== HASH_SIZE)
        throw new RangeError(`merkle: node ${n.level}:${n.index} is not the next of its level`);
      l.push(n.hash);
    }
  }

  /** Nodes stored at `level`. */
  count(level: number): number {
    return this.#levels[level]?.length ?? 0;
  }

  /** A view of the stored hash (valid until the next put that grows its level: callers copy to keep it). */
  at(level: number, index: number): Uint8Array {
    const l = this.#levels[level];
    if (!l || !Number.isSafeInteger(index) || index < 0 || index >= l.length)
      throw new RangeError(`merkle: no stored node ${level}:${index}`);
    return l.at(index);
  }

  async node(level: number, index: number): Promise<Uint8Array> {
    return this.at(level, index).slice();
  }
}
