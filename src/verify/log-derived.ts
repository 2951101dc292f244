/**
 * Audit of the derived data a v2 store keeps beside its entries
 * (docs/STORAGE.md §LevelDB key layout: `n`, `M`, `S`, `x`), against what the
 * replay computes. The ledger and the CLI read these, not the entries: a
 * damaged tree node is served in inclusion proofs and signed into the next
 * checkpoint, a damaged map branch makes the ledger refuse every statement,
 * a redirected statement-index row makes `show` print another exhibit's
 * registration, and an exhibit-event row decides what a bundle contains. So a
 * verdict on the store covers them too.
 *
 * Fed entry by entry during the replay (observe), then checked against the
 * store (finish) in ordered passes (iterators, not a read per entry): the
 * tree level by level against the replay's own nodes, the statement index
 * row by row against the replayed identities. Kept meanwhile: 32 bytes of
 * identity per entry, and one number per exhibit event.
 */
import { equalBytes, toHex } from '../bytes.js';
import { decodeNode, hashNode } from '../map/index.js';
import { type DenseNodeStore, Slab32 } from '../merkle/dense.js';
import type { ProblemCode } from '../problem-codes.js';
import type { LogStore } from '../store/log-store.js';
import type { ObservedEntry } from './log-verify.js';
import type { Problem } from './report.js';

const WINDOW = 64;

const problem = (code: ProblemCode, seq: number | null, message: string): Problem => ({
  code,
  severity: 'error',
  seq,
  exhibit: null,
  message,
});

const ZERO = new Uint8Array(32);

export class DerivedAudit {
  readonly problems: Problem[] = [];
  /** The identity of each entry's statement, or zero bytes when it did not decode. */
  readonly #ids = new Slab32();
  #statements = 0;
  readonly #events = new Map<string, { id: Uint8Array; at: number[] }>();
  constructor(private readonly store: LogStore) {}

  /** Records one replayed entry. */
  observe(e: ObservedEntry): void {
    for (const x of e.exhibits) {
      const k = toHex(x);
      const list = this.#events.get(k) ?? { id: x, at: [] };
      list.at.push(e.index);
      this.#events.set(k, list);
    }
    this.#ids.push(e.id);
    if (e.id) this.#statements++;
  }

  /**
   * Checks the tree against the replay's nodes (`tree`: those of every entry
   * observed), the statement index, each exhibit's events, and walks the
   * stored map from its root.
   */
  async finish(
    tree: DenseNodeStore,
    mapRoot: Uint8Array | undefined,
    mapIsBranch: boolean,
  ): Promise<Problem[]> {
    await this.#tree(tree);
    await this.#statementIndex();
    for (const { id, at } of this.#events.values()) {
      const stored = await this.store.exhibitEvents(id);
      if (stored.length !== at.length || stored.some((v, i) => v !== at[i]))
        this.problems.push(
          problem(
            'STORE_EVENTS_MISMATCH',
            null,
            `the stored history of exhibit ${toHex(id).slice(0, 16)}… lists entries ${stored.join(', ') || 'none'}, the entries give ${at.join(', ')}`,
          ),
        );
    }
    if (mapRoot && mapIsBranch) await this.#walkMap(mapRoot);
    return this.problems;
  }

  /**
   * Level by level: the complete-subtree nodes the replayed leaves give
   * (RFC 9162 §2.1.1) against the stored ones, in one ordered pass per level.
   * A node is reported at the last entry it covers.
   */
  async #tree(tree: DenseNodeStore): Promise<void> {
    for (let level = 0; tree.count(level) > 0; level++) {
      const count = tree.count(level);
      const seen = new Uint8Array(count);
      const lastEntry = (i: number) => (i + 1) * 2 ** level - 1;
      for await (const n of this.store.treeNodes(level)) {
        if (n.index >= count) {
          this.problems.push(
            problem(
              'STORE_TREE_MISMATCH',
              null,
              `the stored tree node ${level}/${n.index} is beyond the entries`,
            ),
          );
          continue;
        }
        seen[n.index] = 1;
        if (!equalBytes(n.hash, tree.at(level, n.index)))
          this.problems.push(
            problem(
              'STORE_TREE_MISMATCH',
              lastEntry(n.index),
              `the stored tree node ${level}/${n.index} is wrong`,
            ),
          );
      }
      for (let i = 0; i < count; i++)
        if (!seen[i])
          this.problems.push(
            problem('STORE_TREE_MISMATCH', lastEntry(i), `the stored tree node ${level}/${i} is missing`),
          );
    }
  }

  /** Every row names the position of its own statement, and every statement has its row. */
  async #statementIndex(): Promise<void> {
    const n = this.#ids.length;
    const found = new Uint8Array(n);
    let good = 0;
    for await (const r of this.store.statementRows()) {
      const ok = r.index < n && equalBytes(this.#ids.at(r.index), r.id) && !equalBytes(r.id, ZERO);
      if (ok && !found[r.index]) {
        found[r.index] = 1;
        good++;
        continue;
      }
      this.problems.push(
        problem(
          'STORE_INDEX_MISMATCH',
          r.index < n ? r.index : null,
          `the statement index sends ${toHex(r.id).slice(0, 16)}… to entry ${r.index}, whose statement is another`,
        ),
      );
    }
    if (good === this.#statements) return;
    for (let i = 0; i < n; i++)
      if (!found[i] && !equalBytes(this.#ids.at(i), ZERO))
        this.problems.push(
          problem(
            'STORE_INDEX_MISMATCH',
            i,
            `the statement index has no row for the statement of entry ${i}`,
          ),
        );
  }

  /**
   * Every branch reachable from the root must be stored under its own hash
   * (branches are content-addressed, docs/STATE-MAP.md §Persistence).
   */
  async #walkMap(root: Uint8Array): Promise<void> {
    let level = [root];
    while (level.length > 0) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += WINDOW) {
        await Promise.all(
          level.slice(i, i + WINDOW).map(async (h) => {
            const bytes = await this.store.mapNode(h).catch(() => undefined);
            let ok = false;
            if (bytes)
              try {
                const node = decodeNode(bytes);
                ok = equalBytes(hashNode(node), h);
                if (ok) for (const c of node.children) if (c.kind === 'branch') next.push(c.hash);
              } catch {
                ok = false;
              }
            if (!ok)
              this.problems.push(
                problem(
                  'STORE_MAP_MISMATCH',
                  null,
                  `the stored map branch ${toHex(h)} is missing or damaged`,
                ),
              );
          }),
        );
      }
      level = next;
    }
  }
}
