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
 * store (finish). Reads go through a small window of concurrent reads, so
 * memory stays bounded whatever the log's size; the expected exhibit-event
 * lists are the one part kept whole (one number per event).
 */
import { equalBytes, toHex } from '../bytes.js';
import { decodeNode, hashNode } from '../map/index.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import type { LogStore } from '../store/log-store.js';
import type { ObservedEntry } from './log-verify.js';
import type { Problem } from './report.js';

const WINDOW = 64;

const problem = (code: string, seq: number | null, message: string): Problem => ({
  code,
  severity: 'error',
  seq,
  exhibit: null,
  message,
});

export class DerivedAudit {
  readonly problems: Problem[] = [];
  readonly #frontier = MerkleFrontier.empty();
  readonly #events = new Map<string, { id: Uint8Array; at: number[] }>();
  #inFlight: Promise<void>[] = [];
  constructor(private readonly store: LogStore) {}

  #read(check: () => Promise<void>): void {
    this.#inFlight.push(
      check().catch((e: unknown) => {
        this.problems.push(problem('STORE_UNREADABLE', null, `derived data could not be read: ${String(e)}`));
      }),
    );
  }

  /** Waits for the reads in flight once there are a window's worth (the replay calls it between items). */
  async settle(): Promise<void> {
    if (this.#inFlight.length < WINDOW) return;
    const all = this.#inFlight;
    this.#inFlight = [];
    await Promise.all(all);
  }

  /** Records one replayed entry and starts the reads that check it. */
  observe(e: ObservedEntry): void {
    for (const x of e.exhibits) {
      const k = toHex(x);
      const list = this.#events.get(k) ?? { id: x, at: [] };
      list.at.push(e.index);
      this.#events.set(k, list);
    }
    const nodes = this.#frontier.append(e.leafHash);
    const id = e.id;
    this.#read(async () => {
      for (const n of nodes) {
        let stored: Uint8Array | undefined;
        try {
          stored = await this.store.node(n.level, n.index);
        } catch {
          stored = undefined;
        }
        if (!stored || !equalBytes(stored, n.hash))
          this.problems.push(
            problem(
              'STORE_TREE_MISMATCH',
              e.index,
              `the stored tree node ${n.level}/${n.index} is missing or wrong`,
            ),
          );
      }
      if (id) {
        const at = await this.store.statementIndex(id);
        if (at !== e.index)
          this.problems.push(
            problem(
              'STORE_INDEX_MISMATCH',
              e.index,
              `the statement index sends ${toHex(id).slice(0, 16)}… to ${at === undefined ? 'nowhere' : `entry ${at}`}, not entry ${e.index}`,
            ),
          );
      }
    });
  }

  /** Compares each exhibit's stored event list, and walks the stored map from its root. */
  async finish(mapRoot: Uint8Array | undefined, mapIsBranch: boolean): Promise<Problem[]> {
    await Promise.all(this.#inFlight);
    this.#inFlight = [];
    for (const { id, at } of this.#events.values()) {
      this.#read(async () => {
        const stored = await this.store.exhibitEvents(id);
        if (stored.length !== at.length || stored.some((v, i) => v !== at[i]))
          this.problems.push(
            problem(
              'STORE_EVENTS_MISMATCH',
              null,
              `the stored history of exhibit ${toHex(id).slice(0, 16)}… lists entries ${stored.join(', ') || 'none'}, the entries give ${at.join(', ')}`,
            ),
          );
      });
      await this.settle();
    }
    await Promise.all(this.#inFlight);
    this.#inFlight = [];
    if (mapRoot && mapIsBranch) await this.#walkMap(mapRoot);
    return this.problems;
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
