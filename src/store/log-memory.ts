/**
 * In-memory LogStore, for tests and for ledgers that need no persistence.
 * Batches are all-or-nothing like LevelDB's: the whole batch is checked
 * before anything in it is applied.
 */

import { fromHex, toHex, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeOpenings, encodeOpenings } from '../format/openings.js';
import { decodeHead, encodeHead } from './log-head.js';
import type { LogBatch, LogHead, LogStore } from './log-store.js';

const hex = toHex;

export class MemoryLogStore implements LogStore {
  readonly kind = 'memory' as const;
  #head: Uint8Array | undefined;
  readonly #entries: Uint8Array[] = [];
  readonly #payloads: Uint8Array[] = [];
  readonly #openings = new Map<number, Uint8Array>();
  readonly #tree = new Map<string, Uint8Array>();
  readonly #map = new Map<string, Uint8Array>();
  readonly #records = new Map<string, Uint8Array>();
  readonly #statements = new Map<string, number>();
  readonly #events = new Map<string, number[]>();
  readonly #checkpoints = new Map<number, string>();
  readonly #witness = new Map<string, Uint8Array>();
  #closed = false;

  async witnessState(origin: string): Promise<Uint8Array | undefined> {
    this.#open();
    return this.#witness.get(origin)?.slice();
  }

  async putWitnessState(origin: string, bytes: Uint8Array): Promise<void> {
    this.#open();
    this.#witness.set(origin, bytes.slice());
  }

  #open() {
    if (this.#closed) throw new CustodyError('STORE_CLOSED', 'the store is closed', 'internal');
  }

  async readHead(): Promise<LogHead | undefined> {
    this.#open();
    return this.#head && decodeHead(this.#head);
  }

  async restoreEntries(
    items: readonly { index: number; entry: Uint8Array; payload: Uint8Array }[],
  ): Promise<void> {
    this.#open();
    for (const it of items)
      if (it.index >= this.#entries.length)
        throw new CustodyError('STORE_GAP', `entry ${it.index} is not in the stored log`, 'internal');
    for (const it of items) {
      this.#entries[it.index] = it.entry.slice();
      this.#payloads[it.index] = it.payload.slice();
    }
  }

  async write(b: LogBatch): Promise<void> {
    this.#open();
    // Check first, apply after: nothing of a refused batch lands.
    let next = this.#entries.length;
    for (const e of b.entries)
      if (e.index !== next++)
        throw new CustodyError('STORE_GAP', `entry ${e.index} does not follow the stored log`, 'internal');
    const head = encodeHead(b.head);
    // Copies in and out, as LevelDB does: a caller's later edit never reaches the store.
    for (const e of b.entries) {
      this.#entries.push(e.entry.slice());
      this.#payloads.push(e.payload.slice());
      if (e.openings) this.#openings.set(e.index, e.openings.slice());
      if (e.id) this.#statements.set(hex(e.id), e.index);
      for (const x of e.exhibits) {
        const list = this.#events.get(hex(x)) ?? [];
        list.push(e.index);
        this.#events.set(hex(x), list);
      }
    }
    for (const n of b.treeNodes) this.#tree.set(`${n.level}:${n.index}`, n.hash.slice());
    for (const n of b.mapNodes) this.#map.set(hex(n.hash), n.bytes.slice());
    for (const r of b.records) {
      const k = `${r.ns}/${hex(r.key)}`;
      if (r.bytes) this.#records.set(k, r.bytes.slice());
      else this.#records.delete(k);
    }
    this.#head = head;
  }

  async entry(i: number) {
    this.#open();
    return this.#entries[i]?.slice();
  }
  async payload(i: number) {
    this.#open();
    return this.#payloads[i]?.slice();
  }
  async openings(i: number) {
    this.#open();
    return this.#openings.get(i)?.slice();
  }
  async eraseOpenings(refs: readonly { index: number; fields: readonly string[] }[]) {
    this.#open();
    for (const r of refs) {
      const o = this.#openings.get(r.index);
      if (!o) continue;
      const kept = decodeOpenings(o);
      for (const f of r.fields) delete kept[f];
      if (Object.keys(kept).length > 0) this.#openings.set(r.index, encodeOpenings(kept));
      else this.#openings.delete(r.index);
    }
  }
  async *items(from: number, to: number, opts: { openings?: boolean } = {}) {
    this.#open();
    for (let i = Math.max(0, from); i < Math.min(to, this.#entries.length); i++) {
      const o = opts.openings ? this.#openings.get(i) : undefined;
      const item = { index: i, entry: this.#entries[i]!.slice(), payload: this.#payloads[i]!.slice() };
      yield o ? { ...item, openings: o.slice() } : item;
    }
  }
  async node(level: number, index: number) {
    this.#open();
    const h = this.#tree.get(`${level}:${index}`);
    if (!h)
      throw new CustodyError('STORE_CORRUPT', `Merkle node ${level}/${index} is missing`, 'unavailable');
    return h.slice();
  }
  async mapNode(hash: Uint8Array) {
    this.#open();
    return this.#map.get(hex(hash))?.slice();
  }
  async record(ns: string, key: Uint8Array) {
    this.#open();
    return this.#records.get(`${ns}/${hex(key)}`)?.slice();
  }
  async *records(ns: string) {
    this.#open();
    const prefix = `${ns}/`;
    const rows = [...this.#records].filter(([k]) => k.startsWith(prefix));
    rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, bytes] of rows) yield { key: fromHex(k.slice(prefix.length))!, bytes: bytes.slice() };
  }
  async *treeNodes(level: number) {
    this.#open();
    const rows: { index: number; hash: Uint8Array }[] = [];
    for (const [k, hash] of this.#tree) {
      const [l, i] = k.split(':').map(Number);
      if (l === level) rows.push({ index: i!, hash: hash.slice() });
    }
    rows.sort((a, b) => a.index - b.index);
    yield* rows;
  }
  async *statementRows() {
    this.#open();
    const rows = [...this.#statements].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [id, index] of rows) yield { id: fromHex(id)!, index };
  }
  async statementIndex(id: Uint8Array) {
    this.#open();
    return this.#statements.get(hex(id));
  }
  async exhibitEvents(id: Uint8Array) {
    this.#open();
    return [...(this.#events.get(hex(id)) ?? [])];
  }
  async putCheckpoint(size: number, note: string) {
    this.#open();
    // Round-trip through UTF-8 as LevelDB does, so both stores return the same text.
    this.#checkpoints.set(size, new TextDecoder().decode(utf8(note)));
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
