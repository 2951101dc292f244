/**
 * The ledger's view of the custody state for the rules: the head in memory and
 * actor/exhibit records loaded from the store on demand. Rules are synchronous,
 * so the records a batch needs are prefetched first. A batch works on an
 * overlay that is merged only after its write succeeded, so a failed write
 * leaves memory exactly as the store is.
 */
import type { ActorRecord, Changes, ExhibitRecord, StateHead, StateView } from '../custody/state.js';
import type { LedgerStore } from '../store/store.js';

/** Records kept per kind (actors, exhibits); about 1 KiB each. */
export const DEFAULT_CACHE_LIMIT = 200_000;

export class StateCache {
  head: StateHead;
  readonly #store: LedgerStore;
  // Maps iterate in insertion order; merge() re-inserts what a batch wrote, so
  // the front holds the records least recently loaded or written.
  readonly #actors = new Map<string, ActorRecord | null>();
  readonly #exhibits = new Map<string, ExhibitRecord | null>();
  readonly #limit: number;

  constructor(store: LedgerStore, head: StateHead, limit = DEFAULT_CACHE_LIMIT) {
    this.#store = store;
    this.head = head;
    this.#limit = limit;
  }

  /**
   * Bounds memory by dropping the least recently used quarter once a map is
   * over the limit (a dropped record is simply read again from the store).
   * Called between batches only, never while a batch relies on prefetched records.
   */
  trim(): void {
    for (const m of [this.#actors, this.#exhibits] as Map<string, unknown>[]) {
      if (m.size <= this.#limit) continue;
      let drop = m.size - Math.floor(this.#limit * 0.75);
      for (const id of m.keys()) {
        if (drop-- <= 0) break;
        m.delete(id);
      }
    }
  }

  /** Records held in memory (for tests). */
  get cached(): number {
    return this.#actors.size + this.#exhibits.size;
  }

  async prefetch(actorIds: Iterable<string>, exhibitIds: Iterable<string>): Promise<void> {
    const loads: Promise<unknown>[] = [];
    for (const id of actorIds)
      if (!this.#actors.has(id))
        loads.push(this.#store.actor(id).then((a) => this.#actors.set(id, a ?? null)));
    for (const id of exhibitIds)
      if (!this.#exhibits.has(id))
        loads.push(this.#store.exhibit(id).then((x) => this.#exhibits.set(id, x ?? null)));
    await Promise.all(loads);
  }

  actor(id: string): ActorRecord | undefined {
    return this.#actors.get(id) ?? undefined;
  }
  exhibit(id: string): ExhibitRecord | undefined {
    return this.#exhibits.get(id) ?? undefined;
  }

  overlay(): Overlay {
    return new Overlay(this);
  }

  /** Makes a committed overlay the new base. */
  merge(o: Overlay): void {
    for (const [id, a] of o.actors) {
      this.#actors.delete(id);
      this.#actors.set(id, a);
    }
    for (const [id, x] of o.exhibits) {
      this.#exhibits.delete(id);
      this.#exhibits.set(id, x);
    }
    this.head = { ...o.headState };
  }
}

export class Overlay implements StateView {
  readonly actors = new Map<string, ActorRecord>();
  readonly exhibits = new Map<string, ExhibitRecord>();
  headState: StateHead;
  readonly #base: StateCache;

  constructor(base: StateCache) {
    this.#base = base;
    this.headState = { ...base.head };
  }
  get size() {
    return this.headState.size;
  }
  get head() {
    return this.headState.head;
  }
  get lastTime() {
    return this.headState.lastTime;
  }
  get origin() {
    return this.headState.origin;
  }
  get authority() {
    return this.headState.authority;
  }
  actor(id: string) {
    return this.actors.get(id) ?? this.#base.actor(id);
  }
  exhibit(id: string) {
    return this.exhibits.get(id) ?? this.#base.exhibit(id);
  }
  apply(c: Changes, leafHash: Uint8Array, time: number) {
    for (const a of c.actors) this.actors.set(a.id, a);
    for (const x of c.exhibits) this.exhibits.set(x.id, x);
    this.headState = {
      size: this.headState.size + 1,
      head: leafHash,
      lastTime: Math.max(this.headState.lastTime, time),
      origin: c.origin ?? this.headState.origin,
      authority: c.authority ?? this.headState.authority,
    };
  }
}
