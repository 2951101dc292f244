/**
 * LevelDB implementation of LogStore (docs/STORAGE.md). Every batch is one
 * WriteBatch written with `sync: true` (one fdatasync) before write()
 * resolves: an acknowledged append survives power loss, and derived data is
 * never written without the entries it derives from.
 */

import type { AbstractSnapshot as Snapshot } from 'abstract-level';
import { Level } from 'level';
import { concat, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { decodeOpenings, encodeOpenings } from '../format/openings.js';
import { type DB, type LevelOpenOptions, openLevel, storageError, unavailable } from './level-open.js';
import { rowReader } from './level-rows.js';
import { decodeHead, encodeHead } from './log-head.js';
import { K, LOG_STORE_VERSION, lastU64, prefixRange, readU64, u64Bytes } from './log-keys.js';
import type { LogBatch, LogStore } from './log-store.js';
import { OpeningKeys } from './opening-keys.js';
import { sealedFields, sealOpenings, unsealOpenings } from './opening-seal.js';

const EMPTY = new Uint8Array(0);

export class LevelLogStore implements LogStore {
  readonly kind = 'leveldb' as const;
  readonly #db: DB;
  readonly #keys: OpeningKeys;
  readonly dir: string;
  /** Set on a snapshot view (snapshot()): every read is of the store as it was then. */
  readonly #snap: Snapshot | undefined;
  /** Read options: the snapshot, if any. */
  readonly #at: { snapshot?: Snapshot };

  private constructor(db: DB, keys: OpeningKeys, dir: string, snap?: Snapshot) {
    this.#db = db;
    this.#keys = keys;
    this.dir = dir;
    this.#snap = snap;
    this.#at = snap ? { snapshot: snap } : {};
  }

  /**
   * A read-only view of the store as it is now (an explicit LevelDB snapshot:
   * a batch written later is not seen, whole or in part), for a server that
   * answers a client's many reads from one state (docs/SERVER.md §Store reads).
   * Its close() releases the snapshot only. Openings erased later are gone
   * from it too: their keys live outside the snapshot, and erasure is final.
   */
  snapshot(): LevelLogStore {
    if (this.#snap) return this;
    return new LevelLogStore(this.#db, this.#keys, this.dir, this.#db.snapshot());
  }

  #writable(): void {
    if (this.#snap)
      throw new CustodyError('STORE_READ_ONLY', 'a snapshot of the store is read-only', 'internal');
  }

  static async open(
    dir: string,
    mode: 'create' | 'open',
    opts: LevelOpenOptions = {},
  ): Promise<LevelLogStore> {
    const db = await openLevel(dir, mode, K.version, LOG_STORE_VERSION, opts);
    try {
      return new LevelLogStore(db, await OpeningKeys.open(dir, mode), dir);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  async #get(key: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return await this.#db.get(key, this.#at);
    } catch (e) {
      throw storageError(e);
    }
  }

  async readHead() {
    const b = await this.#get(K.head);
    return b && decodeHead(b);
  }

  async restoreEntries(items: readonly { index: number; entry: Uint8Array; payload: Uint8Array }[]) {
    this.#writable();
    const b = this.#db.batch();
    for (const it of items) {
      b.put(K.entry(it.index), it.entry);
      b.put(K.payload(it.index), it.payload);
    }
    await b.write({ sync: true });
  }

  async write(batch: LogBatch) {
    this.#writable();
    // Openings are sealed, each field under a key of its own; the keys are
    // stored (synced) first, so no sealed opening is ever without its key.
    const sealed = new Map<number, Uint8Array>();
    const keys: { index: number; field: string; key: Uint8Array }[] = [];
    for (const e of batch.entries) {
      if (!e.openings) continue;
      const s = sealOpenings(e.index, decodeOpenings(e.openings));
      sealed.set(e.index, s.sealed);
      for (const [field, key] of s.keys) keys.push({ index: e.index, field, key });
    }
    await this.#keys.put(keys);
    let b: ReturnType<DB['batch']> | undefined;
    try {
      b = this.#db.batch();
      for (const e of batch.entries) {
        b.put(K.entry(e.index), e.entry);
        b.put(K.payload(e.index), e.payload);
        const s = sealed.get(e.index);
        if (s) b.put(K.openings(e.index), s);
        if (e.id) b.put(K.statement(e.id), u64Bytes(e.index));
        for (const x of e.exhibits) b.put(K.exhibitEvent(x, e.index), EMPTY);
      }
      for (const n of batch.treeNodes) b.put(K.treeNode(n.level, n.index), n.hash);
      for (const n of batch.mapNodes) b.put(K.mapNode(n.hash), n.bytes);
      for (const r of batch.records) {
        if (r.bytes) b.put(K.record(r.ns, r.key), r.bytes);
        else b.del(K.record(r.ns, r.key));
      }
      b.put(K.head, encodeHead(batch.head));
      await b.write({ sync: true });
    } catch (e) {
      await b?.close().catch(() => undefined);
      throw storageError(e);
    }
  }

  entry(i: number) {
    return this.#get(K.entry(i));
  }
  payload(i: number) {
    return this.#get(K.payload(i));
  }
  async openings(i: number) {
    const sealed = await this.#get(K.openings(i));
    return sealed && this.#unseal(i, sealed);
  }

  /**
   * The held fields of a sealed opening map, as canonical openings (undefined
   * when none is held). A sealed map that does not open (changed behind the
   * ledger, or moved to another entry: the AAD binds it to its index) is
   * returned as stored, so that every reader judges it where it is, as
   * openings that do not match that entry (OPENINGS_MISMATCH, OPENING_INVALID),
   * instead of failing the whole read.
   */
  async #unseal(
    index: number,
    sealed: Uint8Array,
    held?: (index: number) => Promise<Map<string, Uint8Array>>,
  ): Promise<Uint8Array | undefined> {
    let fields: string[];
    try {
      fields = sealedFields(sealed);
    } catch {
      return sealed;
    }
    const keys = held ? await held(index) : await this.#keys.get(index, fields);
    try {
      const opened = unsealOpenings(index, sealed, (f) => keys.get(f));
      return Object.keys(opened).length > 0 ? encodeOpenings(opened) : undefined;
    } catch (e) {
      if (e instanceof CustodyError && e.code === 'STORE_CORRUPT') return sealed;
      throw e;
    }
  }

  async eraseOpenings(refs: readonly { index: number; fields: readonly string[] }[]) {
    this.#writable();
    await this.#keys.destroy(refs.flatMap((r) => r.fields.map((field) => ({ index: r.index, field }))));
  }

  async *items(from: number, to: number, opts: { openings?: boolean } = {}) {
    if (to <= from) return;
    try {
      // Ordered iterators in step: entries and payloads share their positions;
      // openings exist for some positions only, so theirs runs behind.
      const entries = rowReader(this.#db.iterator({ gte: K.entry(from), lt: K.entry(to), ...this.#at }));
      const payloads = rowReader(this.#db.iterator({ gte: K.payload(from), lt: K.payload(to), ...this.#at }));
      const openings = opts.openings
        ? rowReader(this.#db.iterator({ gte: K.openings(from), lt: K.openings(to), ...this.#at }))
        : undefined;
      const keys = opts.openings ? this.#keys.cursor(from, to) : undefined;
      let o = openings ? await openings.next() : undefined;
      try {
        for (;;) {
          const e = await entries.next();
          const p = await payloads.next();
          if (!e || !p) return;
          const index = readU64(e[0], 1);
          if (readU64(p[0], 1) !== index)
            throw unavailable('STORE_CORRUPT', `the payload of entry ${index} is missing`);
          while (openings && o && readU64(o[0], 1) < index) o = await openings.next();
          const opened =
            o && readU64(o[0], 1) === index ? await this.#unseal(index, o[1], keys?.take) : undefined;
          if (opened) yield { index, entry: e[1], payload: p[1], openings: opened };
          else yield { index, entry: e[1], payload: p[1] };
        }
      } finally {
        await entries.close();
        await payloads.close();
        await openings?.close();
        await keys?.close();
      }
    } catch (e) {
      throw storageError(e);
    }
  }

  async node(level: number, index: number) {
    const n = await this.#get(K.treeNode(level, index));
    if (n?.length !== 32)
      throw unavailable('STORE_CORRUPT', `Merkle node ${level}/${index} is missing or damaged`);
    return n;
  }

  mapNode(hash: Uint8Array) {
    return this.#get(K.mapNode(hash));
  }

  record(ns: string, key: Uint8Array) {
    return this.#get(K.record(ns, key));
  }

  async *records(ns: string) {
    const prefix = K.recordsIn(ns);
    try {
      for await (const [k, v] of this.#db.iterator({ ...prefixRange(prefix), ...this.#at }))
        yield { key: k.subarray(prefix.length), bytes: v };
    } catch (e) {
      throw storageError(e);
    }
  }

  async *treeNodes(level: number) {
    const prefix = concat(K.treeNodes, new Uint8Array([level]));
    try {
      for await (const [k, v] of this.#db.iterator({ ...prefixRange(prefix), ...this.#at }))
        yield { index: lastU64(k), hash: v };
    } catch (e) {
      throw storageError(e);
    }
  }

  async *statementRows() {
    try {
      for await (const [k, v] of this.#db.iterator({ ...prefixRange(K.statements), ...this.#at })) {
        if (v.length !== 8) throw unavailable('STORE_CORRUPT', 'a statement index row is damaged');
        yield { id: k.subarray(1), index: readU64(v, 0) };
      }
    } catch (e) {
      throw storageError(e);
    }
  }

  async statementIndex(id: Uint8Array) {
    const b = await this.#get(K.statement(id));
    if (b === undefined) return undefined;
    if (b.length !== 8) throw unavailable('STORE_CORRUPT', 'a statement index row is damaged');
    return readU64(b, 0);
  }

  async exhibitEvents(id: Uint8Array) {
    try {
      const keys = await this.#db.keys({ ...prefixRange(K.exhibitEvents(id)), ...this.#at }).all();
      return keys.map(lastU64);
    } catch (e) {
      throw storageError(e);
    }
  }

  /** On a snapshot view too: a signed checkpoint is written to the store itself (keyed by its size, it changes nothing the snapshot holds). */
  async putCheckpoint(size: number, note: string) {
    try {
      await this.#db.put(K.checkpoint(size), utf8(note), { sync: true });
    } catch (e) {
      throw storageError(e);
    }
  }

  witnessState(origin: string) {
    return this.#get(K.witness(sha256(utf8(origin))));
  }

  /** On a snapshot view too, like putCheckpoint: it is written to the store itself. */
  async putWitnessState(origin: string, bytes: Uint8Array) {
    try {
      await this.#db.put(K.witness(sha256(utf8(origin))), bytes, { sync: true });
    } catch (e) {
      throw storageError(e);
    }
  }

  async checkpoint(size: number) {
    const b = await this.#get(K.checkpoint(size));
    return b && new TextDecoder().decode(b);
  }

  async checkpointSizes() {
    try {
      return (await this.#db.keys({ ...prefixRange(K.checkpoints), ...this.#at }).all()).map(lastU64);
    } catch (e) {
      throw storageError(e);
    }
  }

  async close() {
    if (this.#snap) return this.#snap.close();
    try {
      await this.#db.close();
      await this.#keys.close();
    } catch (e) {
      throw storageError(e);
    }
  }
}

/**
 * Rewrites one stored payload behind the ledger's back, as an insider with
 * write access to the directory could: for the demo and tamper tests, which
 * show that verification names the entry. Never used by the ledger.
 */
export async function tamperWithPayload(
  dir: string,
  index: number,
  mutate: (payload: Uint8Array) => Uint8Array,
): Promise<void> {
  const db = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  try {
    const v = await db.get(K.payload(index));
    if (!v) throw unavailable('ENTRY_UNKNOWN', `no entry ${index}`);
    await db.put(K.payload(index), mutate(v.slice()), { sync: true });
  } finally {
    await db.close();
  }
}
