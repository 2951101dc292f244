/**
 * Which archived checkpoints a bundle carries (docs/BUNDLE.md §Archived
 * checkpoints): for each event of the exhibit (and of the exhibits it
 * derives from), the earliest archived checkpoint below N that covers it,
 * i.e. the log record at the smallest archived size s > the event's index.
 * Each gives that event the earliest time bound the ledger holds for it.
 * The store lists the records' positions (LOG_RECORDS_INDEX); a record that
 * does not decode is left out here and would fail in `custody verify`.
 */
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { decodeLogRecord, LOG_RECORDS_INDEX } from '../format/log-record.js';
import { consistencyProof, inclusionProof } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';
import { BUNDLE_V2_LIMITS, type BundleV2Archive } from './bundle-v2.js';

interface Archived {
  index: number;
  size: number;
  entry: Uint8Array;
  payload: Uint8Array;
}

async function archivedBelow(store: LogStore, n: number): Promise<Archived[]> {
  const out: Archived[] = [];
  for (const index of await store.exhibitEvents(LOG_RECORDS_INDEX)) {
    if (index >= n) continue;
    const [entry, payload] = await Promise.all([store.entry(index), store.payload(index)]);
    if (!entry || !payload) continue;
    try {
      const r = decodeLogRecord(payload);
      if (r.kind !== 'checkpoint') continue;
      const size = parseCheckpoint(parseNote(r.note).text).size;
      if (size <= index) out.push({ index, size, entry, payload });
    } catch {
      // Not an archived checkpoint this version reads: left out.
    }
  }
  return out;
}

/** The archives of a bundle of size `n` whose exhibit's events are at `events`. */
export async function archivesFor(
  store: LogStore,
  n: number,
  events: readonly number[],
): Promise<BundleV2Archive[]> {
  const all = await archivedBelow(store, n);
  if (all.length === 0) return [];
  const chosen = new Map<number, Archived>();
  for (const e of events) {
    let best: Archived | undefined;
    for (const a of all) if (a.size > e && (!best || a.size < best.size)) best = a;
    if (best) chosen.set(best.index, best);
  }
  const picked = [...chosen.values()].sort((a, b) => a.index - b.index).slice(0, BUNDLE_V2_LIMITS.archives);
  return Promise.all(
    picked.map(async (a) => ({
      index: a.index,
      entry: a.entry,
      payload: a.payload,
      proof: await inclusionProof(store, a.index, n),
      consistency: await consistencyProof(store, a.size, n),
    })),
  );
}
