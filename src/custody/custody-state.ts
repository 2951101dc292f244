/**
 * Custody state in format v2: the state map and the records it commits to.
 *
 * Reads see the state before the statement being judged; writes are staged
 * and applied together only once every rule has passed, so a statement that
 * breaks a rule changes nothing (docs/FORMAT-V2.md §Entries: the root after
 * entry p depends only on the map after p − 1 and on entry p).
 */
import { toHex } from '../bytes.js';
import { encodeCanonical } from '../format/canonical.js';
import { StateMap } from '../map/index.js';
import {
  type AnyRecord,
  decodeRecordBytes,
  encodeRecord,
  type IdRecord,
  type Namespace,
  recordHash,
} from './records.js';

type IndexKey = readonly (string | Uint8Array | number)[];

const slot = (ns: string, key: Uint8Array) => `${ns}/${toHex(key)}`;

/** A write staged by the rules: a record (or its removal) under (namespace, key). */
export interface StagedWrite {
  ns: Namespace;
  key: Uint8Array;
  record: AnyRecord | undefined;
}

export class CustodyState {
  readonly map = new StateMap();
  /** The record bytes the map commits to, by namespace and key. */
  readonly #records = new Map<string, Uint8Array>();

  /** The record under (ns, key), or undefined. */
  get<R extends AnyRecord>(ns: Namespace, key: Uint8Array): R | undefined {
    const b = this.#records.get(slot(ns, key));
    return b ? decodeRecordBytes<R>(b) : undefined;
  }

  /** The stored bytes of a record (what a store persists and a proof opens). */
  bytes(ns: Namespace, key: Uint8Array): Uint8Array | undefined {
    return this.#records.get(slot(ns, key));
  }

  /**
   * All values of a many-valued index K (docs/FORMAT-V2.md §Many values under
   * one key): the values sit at canonical([...K, 0]), [...K, 1], … without a
   * gap, and the first absent position ends the list (a proof of the look-up
   * is the n memberships and that one absence).
   */
  lookup(ns: Namespace, k: IndexKey): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (;;) {
      const r = this.get<IdRecord>(ns, encodeCanonical([...k, out.length]));
      if (!r) return out;
      out.push(r.id);
    }
  }

  /** The write that adds `id` to index K; `alreadyStaged` counts values staged for K in the same statement. */
  indexAdd(ns: Namespace, k: IndexKey, id: Uint8Array, alreadyStaged = 0): StagedWrite[] {
    let n = 0;
    while (this.#records.has(slot(ns, encodeCanonical([...k, n])))) n++;
    return [{ ns, key: encodeCanonical([...k, n + alreadyStaged]), record: { v: 1, id } }];
  }

  /** Applies staged writes in order: each updates the map and the record store. */
  apply(writes: readonly StagedWrite[]): void {
    for (const w of writes) {
      const s = slot(w.ns, w.key);
      if (w.record === undefined) {
        this.#records.delete(s);
        this.map.delete(w.ns, w.key);
        continue;
      }
      const bytes = encodeRecord(w.record);
      this.#records.set(s, bytes);
      this.map.set(w.ns, w.key, recordHash(bytes));
    }
  }
}
