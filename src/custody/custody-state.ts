/**
 * Custody state in format v2: the state map and the records it commits to.
 *
 * Reads see the state before the statement being judged; writes are staged
 * and applied together only once every rule has passed, so a statement that
 * breaks a rule changes nothing (docs/FORMAT.md §Entries: the root after
 * entry p depends only on the map after p − 1 and on entry p).
 *
 * Hot path (docs/PERFORMANCE.md §append.serial_us_per_entry): a record is
 * kept as the object the rules staged (frozen), so a read decodes nothing;
 * its bytes, canonical and so the same however often made, are encoded to be
 * hashed and again when asked for. Slots are keyed by latin1 strings (one char
 * per key byte), cheaper to build and hash than hex.
 */
import { equalBytes } from '../bytes.js';
import { sha256, sha256Into } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { type Canonical, encodeCanonical, encodeCanonicalTransient } from '../format/canonical.js';
import { mapPath, StateMap } from '../map/index.js';
import { type AnyRecord, decodeRecordBytes, encodeRecord, type IdRecord, type Namespace } from './records.js';
import type { Touched } from './touched.js';

/** A record write for the store: bytes, or undefined for a removal. */
export interface RecordWrite {
  ns: string;
  key: Uint8Array;
  bytes: Uint8Array | undefined;
}

type IndexKey = readonly (string | Uint8Array | number)[];

const char = String.fromCharCode;

/** The bytes of `b` as a string of char codes 0..255 (a Map key, never shown). */
export function latin1(b: Uint8Array): string {
  // Most keys are 32-byte ids: one call with 32 arguments is about twice as
  // fast as apply() over the array.
  if (b.length === 32)
    // biome-ignore format: one row per 11 bytes reads better than 32 lines
    return char(
      b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!,
      b[11]!, b[12]!, b[13]!, b[14]!, b[15]!, b[16]!, b[17]!, b[18]!, b[19]!, b[20]!,
      b[21]!, b[22]!, b[23]!, b[24]!, b[25]!, b[26]!, b[27]!, b[28]!, b[29]!, b[30]!, b[31]!,
    );
  if (b.length <= 1024) return String.fromCharCode.apply(null, b as unknown as number[]);
  let s = '';
  for (let i = 0; i < b.length; i += 1024)
    s += String.fromCharCode.apply(null, b.subarray(i, i + 1024) as unknown as number[]);
  return s;
}

/**
 * The key of position n of index K is canonical([...K, n]): the array header
 * for |K| + 1 elements, K's elements, then n. The header and K are encoded
 * once per look-up; each probe only appends n.
 */
class IndexKeys {
  readonly #prefix: Uint8Array | undefined;
  readonly #slotPrefix: string;
  constructor(readonly k: IndexKey) {
    if (k.length < 15) {
      const p = encodeCanonical(k as Canonical);
      // A fixarray header (0x90 | length) is one byte for up to 15 elements.
      p[0] = 0x90 | (k.length + 1);
      this.#prefix = p;
      this.#slotPrefix = latin1(p);
    } else this.#slotPrefix = '';
  }
  key(n: number): Uint8Array {
    const p = this.#prefix;
    if (!p) return encodeCanonical([...this.k, n]);
    if (n < 0x80) {
      // Positive fixint: n is its own encoding.
      const out = new Uint8Array(p.length + 1);
      out.set(p);
      out[p.length] = n;
      return out;
    }
    const u = encodeCanonical(n);
    const out = new Uint8Array(p.length + u.length);
    out.set(p);
    out.set(u, p.length);
    return out;
  }
  /** The slot name of position n (see CustodyState). */
  slot(n: number): string {
    if (!this.#prefix) return latin1(this.key(n));
    return n < 0x80
      ? this.#slotPrefix + String.fromCharCode(n)
      : this.#slotPrefix + latin1(encodeCanonical(n));
  }
}

/** A write staged by the rules: a record (or its removal) under (namespace, key). */
export interface StagedWrite {
  ns: Namespace;
  key: Uint8Array;
  record: AnyRecord | undefined;
}

/**
 * The record to keep for a staged one: the same object, frozen, with the
 * fields decoding would give (those left undefined are dropped, as encoding
 * drops them).
 */
function kept(r: AnyRecord): AnyRecord {
  for (const k in r) if ((r as unknown as Record<string, unknown>)[k] === undefined) return strip(r);
  return Object.freeze(r);
}
function strip(r: AnyRecord): AnyRecord {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(r)) {
    const v = (r as unknown as Record<string, unknown>)[k];
    if (v !== undefined) o[k] = v;
  }
  return Object.freeze(o) as unknown as AnyRecord;
}

/** Where a store-backed state reads records it has not seen yet (docs/STORAGE.md §Opening). */
export type RecordSource = (ns: string, key: Uint8Array) => Promise<Uint8Array | undefined>;

/** Freezes a decoded record's maps and arrays (byte strings cannot be frozen). */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** A rule reached for a key it did not declare (src/custody/touched.ts): a bug, never a silent wrong answer. */
const notPrefetched = (ns: string) =>
  new CustodyError(
    'STATE_NOT_PREFETCHED',
    `a rule read a ${ns} record that was not loaded first`,
    'internal',
  );

export class CustodyState {
  readonly map: StateMap;
  /**
   * The records the map commits to: one Map per namespace, keyed by the key's
   * bytes as latin1. With a record source, null marks a key the store was
   * asked for and does not hold.
   */
  readonly #records = new Map<string, Map<string, AnyRecord | null>>();
  readonly #hash = new Uint8Array(32);
  readonly #source: RecordSource | undefined;
  /** With a source: the records written since takeWrites(), for the store to persist. */
  readonly #written = new Map<string, { ns: Namespace; key: Uint8Array; record: AnyRecord | undefined }>();

  /**
   * In memory (the default), every record is here. Store-backed: `map` is
   * opened lazily from the store and `records` reads what prefetch() has not
   * loaded yet; the rules must then only touch prefetched keys.
   */
  constructor(opts: { map?: StateMap; records?: RecordSource } = {}) {
    this.map = opts.map ?? new StateMap();
    this.#source = opts.records;
  }

  #ns(ns: Namespace): Map<string, AnyRecord | null> {
    let m = this.#records.get(ns);
    if (m === undefined) {
      m = new Map();
      this.#records.set(ns, m);
    }
    return m;
  }

  /**
   * Loads one record from the store, unless already known. The map, whose
   * root the head commits to, decides first (docs/STORAGE.md §Opening): a
   * key it does not hold is absent without a store read (most keys a
   * registration touches are new), and a key it holds must come back from
   * the store with exactly the committed hash. A record that was edited,
   * deleted or added behind the ledger's back is STORE_CORRUPT when used,
   * never judged on.
   */
  async #fetch(ns: Namespace, key: Uint8Array): Promise<AnyRecord | null> {
    const records = this.#ns(ns);
    const s = latin1(key);
    const known = records.get(s);
    if (known !== undefined) return known;
    const path = mapPath(ns, key);
    await this.map.loadAtPath(path);
    // Another prefetch may have filled the slot meanwhile (or a write staged it): keep that.
    let again = records.get(s);
    if (again !== undefined) return again;
    const committed = this.map.getAtPath(path);
    if (committed === undefined) {
      records.set(s, null);
      return null;
    }
    const bytes = await this.#source!(ns, key);
    again = records.get(s);
    if (again !== undefined) return again;
    if (bytes === undefined)
      throw new CustodyError('STORE_CORRUPT', `a ${ns} record the state map holds is missing`, 'unavailable');
    const r = deepFreeze(decodeRecordBytes(bytes)) ?? null;
    if (r === null || !equalBytes(sha256(bytes), committed))
      throw new CustodyError('STORE_CORRUPT', `the stored ${ns} record is damaged`, 'unavailable');
    records.set(s, r);
    return r;
  }

  /**
   * Loads, from the store, every record and map path a statement may touch
   * (src/custody/touched.ts): single keys, and each index up to its first
   * absent position. A no-op for an in-memory state.
   */
  async prefetch(t: Touched): Promise<void> {
    if (!this.#source) return;
    await Promise.all(t.keys.map(([ns, key]) => this.#fetch(ns, key)));
    for (const [ns, k] of t.indexes) {
      const keys = new IndexKeys(k);
      for (let n = 0; (await this.#fetch(ns, keys.key(n))) !== null; n++);
    }
  }

  /** The records written since the last call, as bytes for the store (undefined: removed). */
  takeWrites(): RecordWrite[] {
    const out: RecordWrite[] = [];
    for (const w of this.#written.values())
      out.push({ ns: w.ns, key: w.key, bytes: w.record === undefined ? undefined : encodeRecord(w.record) });
    this.#written.clear();
    return out;
  }

  /** How many records (and known absences) are held in memory. */
  cachedRecords(): number {
    let n = 0;
    for (const m of this.#records.values()) n += m.size;
    return n;
  }

  /**
   * Drops every cached record and returns the map's loaded branches to stubs
   * below its top levels, once everything written has been stored: a
   * long-running ledger's memory stays bounded (docs/STATE-MAP.md).
   */
  forgetClean(): void {
    if (!this.#source) return;
    this.#records.clear();
    this.map.unload(2);
  }

  /**
   * The record under (ns, key), or undefined. Records are immutable values,
   * shared by every read (frozen; their byte strings, like every id and hash
   * here, are never written to): a rule that changes one stages a new object.
   */
  get<R extends AnyRecord>(ns: Namespace, key: Uint8Array): R | undefined {
    const r = this.#ns(ns).get(latin1(key));
    if (r === undefined && this.#source) throw notPrefetched(ns);
    return (r ?? undefined) as R | undefined;
  }

  /** The bytes of a record, which the map commits to (what a store persists and a proof opens). */
  /**
   * Every record held, by namespace (in-memory state: the verifier's replay).
   * Keys are rebuilt from their latin1 form, one byte per character.
   */
  *records(): IterableIterator<{ ns: Namespace; key: Uint8Array; bytes: Uint8Array }> {
    for (const [ns, m] of this.#records)
      for (const [k, r] of m) {
        if (r == null) continue;
        const key = new Uint8Array(k.length);
        for (let i = 0; i < k.length; i++) key[i] = k.charCodeAt(i);
        yield { ns: ns as Namespace, key, bytes: encodeRecord(r) };
      }
  }

  /** How many records of `ns` are held. */
  count(ns: Namespace): number {
    let n = 0;
    for (const r of this.#ns(ns).values()) if (r != null) n++;
    return n;
  }

  bytes(ns: Namespace, key: Uint8Array): Uint8Array | undefined {
    const r = this.#ns(ns).get(latin1(key));
    return r == null ? undefined : encodeRecord(r);
  }

  /**
   * All values of a many-valued index K (docs/FORMAT.md §Many values under
   * one key): the values sit at canonical([...K, 0]), [...K, 1], … without a
   * gap, and the first absent position ends the list (a proof of the look-up
   * is the n memberships and that one absence).
   */
  lookup(ns: Namespace, k: IndexKey): Uint8Array[] {
    const keys = new IndexKeys(k);
    const records = this.#ns(ns);
    const out: Uint8Array[] = [];
    for (;;) {
      const slot = keys.slot(out.length);
      const r = records.get(slot) as IdRecord | null | undefined;
      if (r === undefined && this.#source) throw notPrefetched(ns);
      if (!r) return out;
      out.push(r.id);
    }
  }

  /** The write that adds `id` to index K; `alreadyStaged` counts values staged for K in the same statement. */
  indexAdd(ns: Namespace, k: IndexKey, id: Uint8Array, alreadyStaged = 0): StagedWrite[] {
    const keys = new IndexKeys(k);
    const records = this.#ns(ns);
    let n = 0;
    for (;;) {
      const r = records.get(keys.slot(n));
      if (r === undefined && this.#source) throw notPrefetched(ns);
      if (!r) break;
      n++;
    }
    return [{ ns, key: keys.key(n + alreadyStaged), record: { v: 1, id } }];
  }

  /** Applies staged writes in order: each updates the map and the record store. */
  apply(writes: readonly StagedWrite[]): void {
    for (const w of writes) {
      const records = this.#ns(w.ns);
      const s = latin1(w.key);
      if (this.#source) this.#written.set(`${w.ns}/${s}`, w);
      if (w.record === undefined) {
        if (this.#source) records.set(s, null);
        else records.delete(s);
        this.map.delete(w.ns, w.key);
        continue;
      }
      // Encoded to be hashed; canonical, so bytes() encodes them again alike.
      sha256Into(encodeCanonicalTransient(w.record as unknown as Canonical), this.#hash, 0);
      records.set(s, kept(w.record));
      this.map.set(w.ns, w.key, this.#hash);
    }
  }
}
