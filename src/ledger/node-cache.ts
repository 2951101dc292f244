/**
 * Tree nodes kept in memory for a host's receipts: complete-subtree nodes
 * never change once stored, and the upper ones are in every inclusion proof,
 * so a host that answers each append with a receipt reads most of them once.
 * Bounded: cleared when full (simpler than an LRU, and the hot upper nodes
 * come back at once).
 */
import type { NodeReader } from '../merkle/proofs.js';

/** Nodes kept at most (about 100 bytes each in memory). */
const MAX_NODES = 200_000;

export class NodeCache implements NodeReader {
  readonly #levels = new Map<number, Map<number, Uint8Array>>();
  #count = 0;

  constructor(private readonly source: NodeReader) {}

  async node(level: number, index: number): Promise<Uint8Array> {
    const hit = this.#levels.get(level)?.get(index);
    if (hit) return hit;
    const h = await this.source.node(level, index);
    if (this.#count >= MAX_NODES) {
      this.#levels.clear();
      this.#count = 0;
    }
    let m = this.#levels.get(level);
    if (!m) {
      m = new Map();
      this.#levels.set(level, m);
    }
    m.set(index, h);
    this.#count++;
    return h;
  }
}
