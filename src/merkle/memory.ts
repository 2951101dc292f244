/**
 * An in-memory NodeReader backed by a Map, for tests and the in-memory ledger
 * store. Pure (no storage or Node imports), like the rest of src/merkle.
 */
import type { NewNode, NodeReader } from './proofs.js';

const key = (level: number, index: number): string => `${level}:${index}`;

export class MemoryNodeStore implements NodeReader {
  readonly #nodes = new Map<string, Uint8Array>();

  /** Stores the nodes (e.g. the result of MerkleFrontier.append); a node already present is overwritten. */
  put(nodes: readonly NewNode[]): void {
    for (const n of nodes) this.#nodes.set(key(n.level, n.index), n.hash);
  }

  /** Number of nodes stored. */
  get count(): number {
    return this.#nodes.size;
  }

  async node(level: number, index: number): Promise<Uint8Array> {
    const h = this.#nodes.get(key(level, index));
    if (h === undefined) throw new RangeError(`merkle: no stored node ${key(level, index)}`);
    return h;
  }
}
