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

/** Values a chunk holds once the first has grown to full size (1 MiB). */
const CHUNK_SHIFT = 15;
const CHUNK = 1 << CHUNK_SHIFT;

/**
 * A growable array of 32-byte values (undefined is pushed as zero bytes).
 * The first chunk starts small and doubles up to 1 MiB, later chunks are
 * 1 MiB each: a single doubling buffer held up to twice what it stored, and
 * both copies while it grew (at a million entries the replay's nodes and the
 * store audit's identities are 96 MB).
 */
export class Slab32 {
  readonly #chunks: Uint8Array[] = [new Uint8Array(HASH_SIZE * 256)];
  length = 0;
  push(v: Uint8Array | undefined): void {
    const c = this.length >>> CHUNK_SHIFT;
    const at = (this.length & (CHUNK - 1)) * HASH_SIZE;
    let chunk = this.#chunks[c];
    if (!chunk) {
      chunk = new Uint8Array(HASH_SIZE * CHUNK);
      this.#chunks.push(chunk);
    } else if (at + HASH_SIZE > chunk.length) {
      chunk = new Uint8Array(chunk.length * 2);
      chunk.set(this.#chunks[c]!);
      this.#chunks[c] = chunk;
    }
    if (v) chunk.set(v, at);
    this.length++;
  }
  /** A view (valid until the next push that grows the buffer). */
  at(i: number): Uint8Array {
    const at = (i & (CHUNK - 1)) * HASH_SIZE;
    return this.#chunks[i >>> CHUNK_SHIFT]!.subarray(at, at + HASH_SIZE);
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
