/**
 * In-memory LedgerStore: for tests, for building bundles and for tools that
 * never persist. Same semantics as the LevelDB store (atomic batches), minus
 * durability. Records are copied in and out so callers cannot alias storage.
 */
import type { ActorRecord, ExhibitRecord, StateHead } from '../custody/state.js';
import { CustodyError } from '../errors.js';
import type { AppendBatch, LedgerStore } from './store.js';

export class MemoryStore implements LedgerStore {
  readonly kind = 'memory' as const;
  #head: StateHead | undefined;
  #entries: Uint8Array[] = [];
  #nodes = new Map<string, Uint8Array>();
  #actors = new Map<string, ActorRecord>();
  #exhibits = new Map<string, ExhibitRecord>();
  #exhibitEvents = new Map<string, number[]>();
  #actorEntries = new Map<string, number[]>();
  #checkpoints = new Map<number, string>();
  #closed = false;
  /** Test hook: when set, the next write fails before changing anything. */
  failNextWrite: Error | undefined;

  #open() {
    if (this.#closed) throw new CustodyError('STORE_CLOSED', 'the ledger store is closed', 'unavailable');
  }

  async readHead() {
    this.#open();
    return this.#head && structuredClone(this.#head);
  }

  async write(batch: AppendBatch) {
    this.#open();
    if (this.failNextWrite) {
      const e = this.failNextWrite;
      this.failNextWrite = undefined;
      throw e;
    }
    // Check the whole batch before changing anything: a refused batch writes nothing.
    batch.entries.forEach((e, i) => {
      const expected = this.#entries.length + i;
      if (e.seq !== expected)
        throw new CustodyError('STORE_SEQUENCE', `store expected seq ${expected}, got ${e.seq}`, 'internal');
    });
    for (const e of batch.entries) {
      this.#entries.push(e.bytes.slice());
      for (const x of e.exhibits) push(this.#exhibitEvents, x, e.seq);
      push(this.#actorEntries, e.actor, e.seq);
    }
    for (const n of batch.nodes) this.#nodes.set(`${n.level}:${n.index}`, n.hash.slice());
    for (const a of batch.actors) this.#actors.set(a.id, structuredClone(a));
    for (const x of batch.exhibits) this.#exhibits.set(x.id, structuredClone(x));
    this.#head = structuredClone(batch.head);
  }

  async entry(seq: number) {
    this.#open();
    return this.#entries[seq]?.slice();
  }

  async *entries(from: number, to: number) {
    this.#open();
    for (let seq = from; seq < Math.min(to, this.#entries.length); seq++)
      yield { seq, bytes: this.#entries[seq]!.slice() };
  }

  async node(level: number, index: number) {
    this.#open();
    const n = this.#nodes.get(`${level}:${index}`);
    if (!n)
      throw new CustodyError('STORE_CORRUPT', `Merkle node ${level}/${index} is missing`, 'unavailable');
    return n.slice();
  }

  async actor(id: string) {
    this.#open();
    const a = this.#actors.get(id);
    return a && structuredClone(a);
  }

  async exhibit(id: string) {
    this.#open();
    const x = this.#exhibits.get(id);
    return x && structuredClone(x);
  }

  async *listActors() {
    this.#open();
    for (const a of [...this.#actors.values()].sort((p, q) => p.enrolledSeq - q.enrolledSeq))
      yield structuredClone(a);
  }

  async *listExhibits() {
    this.#open();
    for (const x of [...this.#exhibits.values()].sort((p, q) => p.registeredSeq - q.registeredSeq))
      yield structuredClone(x);
  }

  async exhibitEvents(id: string) {
    this.#open();
    return [...(this.#exhibitEvents.get(id) ?? [])];
  }

  async actorEntries(id: string) {
    this.#open();
    return [...(this.#actorEntries.get(id) ?? [])];
  }

  async *levelNodes(level: number) {
    this.#open();
    const rows: { index: number; hash: Uint8Array }[] = [];
    for (const [k, hash] of this.#nodes) {
      const [l, i] = k.split(':').map(Number) as [number, number];
      if (l === level) rows.push({ index: i, hash: hash.slice() });
    }
    yield* rows.sort((a, b) => a.index - b.index);
  }

  async *indexRows(kind: 'exhibit' | 'actor') {
    this.#open();
    const m = kind === 'exhibit' ? this.#exhibitEvents : this.#actorEntries;
    for (const id of [...m.keys()].sort()) for (const seq of m.get(id)!) yield { id, seq };
  }

  /** Test hook for tamper tests: direct access to the derived data. */
  get raw() {
    return {
      nodes: this.#nodes,
      actors: this.#actors,
      exhibits: this.#exhibits,
      exhibitEvents: this.#exhibitEvents,
      actorEntries: this.#actorEntries,
      entries: this.#entries,
      checkpoints: this.#checkpoints,
    };
  }

  async putCheckpoint(size: number, note: string) {
    this.#open();
    this.#checkpoints.set(size, note);
  }

  async checkpoint(size: number) {
    this.#open();
    return this.#checkpoints.get(size);
  }

  async checkpointSizes() {
    this.#open();
    return [...this.#checkpoints.keys()].sort((a, b) => a - b);
  }

  async close() {
    this.#closed = true;
  }
}

function push(m: Map<string, number[]>, k: string, v: number) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
