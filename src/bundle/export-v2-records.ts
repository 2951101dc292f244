/**
 * The state records a v2 bundle carries, as they were at the checkpoint's
 * size N (docs/BUNDLE.md §Records). The store keeps only the latest
 * version of each record (STORAGE.md §What is stored), which is the one at
 * N whenever nothing changed it since; otherwise the record at N is rebuilt by
 * replaying the bundle's own statements through the custody rules. That
 * replay gives exactly the records at N: the ledger and key records are
 * written only by ledger statements, and an exhibit's record only by its own
 * chain (CUSTODY-RULES.md), all of which the bundle holds. Either way the
 * bytes must hash to the value the map proof at N shows, or the export fails.
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { admitForeign, judgeForeign } from '../custody/foreign-rules.js';
import { judge } from '../custody/judge.js';
import type { Namespace } from '../custody/records.js';
import { CustodyError } from '../errors.js';
import { decodeEntry } from '../format/entry.js';
import type { Statement } from '../format/statement.js';
import type { MapProof } from '../map/index.js';
import { rootAt } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';

/** One logged entry read for export; `statement` is undefined if the payload is not a statement. */
export interface Loaded {
  index: number;
  entry: Uint8Array;
  payload: Uint8Array;
  statement: Statement | undefined;
  id: Uint8Array | undefined;
  /** A foreign statement (payload type 3): `statement` and `id` are the carried statement's. */
  foreign?: true;
}

export interface ProvenKey {
  ns: string;
  key: Uint8Array;
  proof: MapProof;
}

/** The state after the bundle's statements, judged as the ledger judged them (signatures already were). */
async function replay(store: LogStore, items: readonly Loaded[]): Promise<CustodyState> {
  const state = new CustodyState();
  for (const l of items) {
    const index = l.index;
    const time = decodeEntry(l.entry).entry.time;
    if (l.foreign) {
      const f = admitForeign(l.payload);
      const o = 'violation' in f ? undefined : judgeForeign(state, f, { index, time });
      if (o?.ok) state.apply(o.writes);
      continue;
    }
    const a = admit(l.payload, false);
    if ('violation' in a) continue;
    const seen = a.statement.seen;
    const at =
      seen && seen.size <= index
        ? { index, time, seenRoot: await rootAt(store, seen.size) }
        : { index, time };
    const o = judge(state, a, at);
    if (o.ok) state.apply(o.writes);
  }
  return state;
}

/**
 * For each proven key, the record bytes at N (undefined where the proof shows
 * the key absent). Throws STORE_CORRUPT (unavailable) when neither the stored
 * record nor the replayed one hashes to the proven value.
 */
export async function recordsAtSize(
  store: LogStore,
  n: number,
  items: readonly Loaded[],
  proven: readonly ProvenKey[],
): Promise<(Uint8Array | undefined)[]> {
  let state: CustodyState | undefined;
  const out: (Uint8Array | undefined)[] = [];
  for (const p of proven) {
    const t = p.proof.terminal;
    if (t.kind !== 'member') {
      out.push(undefined);
      continue;
    }
    const stored = await store.record(p.ns, p.key);
    if (stored && equalBytes(sha256(stored), t.value)) {
      out.push(stored);
      continue;
    }
    state ??= await replay(store, items);
    const rebuilt = state.bytes(p.ns as Namespace, p.key);
    if (!rebuilt || !equalBytes(sha256(rebuilt), t.value))
      throw new CustodyError(
        'STORE_CORRUPT',
        `the ${p.ns} record at size ${n} can be neither read nor rebuilt from the bundle's statements`,
        'unavailable',
      );
    out.push(rebuilt);
  }
  return out;
}
