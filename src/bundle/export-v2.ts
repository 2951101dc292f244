/**
 * Export of a v2 evidence bundle from a v2 ledger store (docs/BUNDLE.md
 * §What a bundle holds). The caller supplies the signed checkpoint note (the
 * CLI signs one or picks a stored one, store.checkpoint(size)); everything
 * else is read from the store as of that checkpoint's size N, even when the
 * log has grown since: proofs are against the tree of size N and the map root
 * in entry N − 1 (map branches are content-addressed, STORAGE.md §Writing,
 * so proofs against that older root work).
 *
 * Refusals (CustodyError, input): CHECKPOINT_MALFORMED, CHECKPOINT_ORIGIN_MISMATCH,
 * BUNDLE_CHECKPOINT_UNKNOWN (N is 0, beyond the log, or its root is not this
 * log's), EXHIBIT_UNKNOWN (not registered below N).
 */
import { equalBytes, toHex } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { signerIdOf } from '../custody/judge.js';
import { CustodyError, type CustodyErrorCode } from '../errors.js';
import { decodeCanonical } from '../format/canonical.js';
import { decodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { decodeForeign } from '../format/foreign.js';
import { decodeOpenings, encodeOpenings, type Openings } from '../format/openings.js';
import { decodeSignedStatement, type Statement } from '../format/statement.js';
import { type LedgerView, storeOf } from '../ledger/ledger-view.js';
import { encodeMapProof, proveFromSource } from '../map/index.js';
import { consistencyProof, inclusionProof, rootAt } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';
import { type BundleV2, type BundleV2Record, compareRecordKeys, encodeBundleV2 } from './bundle-v2.js';
import { archivesFor } from './export-v2-archives.js';
import { type Loaded, recordsAtSize } from './export-v2-records.js';

export interface ExportV2Options {
  /**
   * The committed fields whose cleartext the bundle carries (./disclosure.ts);
   * the openings of every other field are left out. Default: all of them.
   */
  disclose?: readonly string[];
}

const input = (code: CustodyErrorCode, message: string) => new CustodyError(code, message, 'input');

/** The stored openings restricted to the disclosed fields, re-encoded; undefined when none is left. */
function keepOpenings(bytes: Uint8Array, disclose: ReadonlySet<string>): Uint8Array | undefined {
  let all: Openings;
  try {
    all = decodeOpenings(bytes);
  } catch {
    throw new CustodyError('STORE_CORRUPT', 'stored openings do not decode', 'unavailable');
  }
  const kept: Openings = {};
  for (const [field, o] of Object.entries(all)) if (disclose.has(field)) kept[field] = o;
  return Object.keys(kept).length > 0 ? encodeOpenings(kept) : undefined;
}

/** Lineages longer than this are refused rather than walked (a derived copy of a copy of …). */
const MAX_LINEAGE = 1_000;

async function load(store: LogStore, index: number): Promise<Loaded> {
  const entry = await store.entry(index);
  const payload = await store.payload(index);
  if (!entry || !payload)
    throw new CustodyError('STORE_CORRUPT', `entry ${index} is missing from the store`, 'unavailable');
  try {
    if (decodeEntry(entry).entry.payloadType === PAYLOAD_TYPES.foreign) {
      const d = decodeSignedStatement(decodeForeign(payload).statement);
      return { index, entry, payload, statement: d.statement, id: d.id, foreign: true };
    }
    const d = decodeSignedStatement(payload);
    return { index, entry, payload, statement: d.statement, id: d.id };
  } catch {
    // Not a statement this version reads: carried as is; the verifier reports it.
    return { index, entry, payload, statement: undefined, id: undefined };
  }
}

/**
 * Positions of the ledger-class statements below N. Ledger statements form
 * one chain by `after` (FORMAT.md §Identity and links), so they are found
 * by walking it back from the current head, with no scan of the log; each
 * step must go to an earlier position, so a damaged store cannot loop.
 */
async function ledgerPositions(store: LogStore, n: number, cache: Map<number, Loaded>): Promise<number[]> {
  const out = [0];
  const ledger = await store.record('ledger', new Uint8Array(0));
  const r = ledger ? decodeCanonical(ledger) : undefined;
  const head = r && !('error' in r) ? (r.value as { head?: unknown }).head : undefined;
  let at = head instanceof Uint8Array ? await store.statementIndex(head) : undefined;
  while (at !== undefined && at > 0) {
    const l = await cached(store, at, cache);
    if (at < n) out.push(at);
    const after = l.statement?.class === 'ledger' ? l.statement.after : undefined;
    const next = after ? await store.statementIndex(after) : undefined;
    at = next !== undefined && next < at ? next : undefined;
  }
  return out;
}

async function cached(store: LogStore, index: number, cache: Map<number, Loaded>): Promise<Loaded> {
  let l = cache.get(index);
  if (!l) {
    l = await load(store, index);
    cache.set(index, l);
  }
  return l;
}

/**
 * Builds the bundle of `exhibit` as of the checkpoint `checkpointNote`. The
 * note's signature is not checked here (the verifier does that); its origin,
 * size and root must be this log's.
 */
export async function exportBundleV2(
  store: LogStore,
  exhibit: Uint8Array,
  checkpointNote: string,
  opts: ExportV2Options = {},
): Promise<Uint8Array> {
  let origin: string;
  let n: number;
  let root: Uint8Array;
  try {
    const cp = parseCheckpoint(parseNote(checkpointNote).text);
    origin = cp.origin;
    n = cp.size;
    root = cp.root;
  } catch (e) {
    if (e instanceof CustodyError) throw input('CHECKPOINT_MALFORMED', e.message);
    throw e;
  }
  const head = await store.readHead();
  if (n === 0 || !head || n > head.size || !equalBytes(await rootAt(store, n), root))
    throw input('BUNDLE_CHECKPOINT_UNKNOWN', `the checkpoint of size ${n} is not a checkpoint of this log`);
  const cache = new Map<number, Loaded>();
  const genesis = await cached(store, 0, cache);
  if (genesis.statement?.origin !== origin)
    throw input('CHECKPOINT_ORIGIN_MISMATCH', `the checkpoint is for ${origin}, not for this ledger`);

  // Which entries (BUNDLE.md §Which entries): governance, then the exhibit and its ancestors.
  const positions = new Set(await ledgerPositions(store, n, cache));
  const lineage: Uint8Array[] = [];
  const lineageEvents: number[] = [];
  let cur: Uint8Array | undefined = exhibit;
  while (cur && lineage.length < MAX_LINEAGE) {
    const events: number[] = (await store.exhibitEvents(cur)).filter((i) => i < n);
    const reg: Loaded | undefined = events.length > 0 ? await cached(store, events[0]!, cache) : undefined;
    // Here since registration, or since a hand-over from a peer ledger brought it (FEDERATION.md).
    const arrived = !!reg?.foreign && reg.statement?.kind === 'transfer';
    const registered = arrived || (reg?.statement?.kind === 'register' && reg.id && equalBytes(reg.id, cur));
    if (!registered) {
      if (lineage.length === 0 && events.length === 0)
        throw input('EXHIBIT_UNKNOWN', `no exhibit with this id is registered in the first ${n} entries`);
      // The store lists events for the exhibit, but the first is not its registration (a
      // statement damaged or replaced behind the ledger): export them as stored, so the
      // verifier judges them (FAILED), rather than refusing as if the exhibit were unknown.
      if (lineage.length === 0) for (const i of events) positions.add(i);
      break; // An ancestor the store does not know: the verifier will report its missing record.
    }
    lineage.push(cur);
    for (const i of events) positions.add(i);
    lineageEvents.push(...events);
    // An ancestor of an exhibit that came from a peer is that peer's to show.
    const parent: Statement['exhibit'] = arrived ? undefined : reg!.statement?.exhibit;
    cur = parent instanceof Uint8Array ? parent : undefined;
  }
  const sorted = [...positions].sort((a, b) => a - b);
  const disclose = opts.disclose === undefined ? undefined : new Set(opts.disclose);
  const items = await Promise.all(sorted.map((i) => cached(store, i, cache)));
  const entries = await Promise.all(
    items.map(async (l) => {
      const e: BundleV2['entries'][number] = {
        index: l.index,
        entry: l.entry,
        payload: l.payload,
        proof: await inclusionProof(store, l.index, n),
      };
      const o = await store.openings(l.index);
      const kept = o && disclose ? keepOpenings(o, disclose) : o;
      if (kept) e.openings = kept;
      return e;
    }),
  );

  const tail = await cached(store, n - 1, cache);
  const mapRoot = decodeEntry(tail.entry).entry.mapRoot;
  const signers = new Map<string, Uint8Array>();
  // A peer's signers are vouched for by its receipt, not by this ledger's key records.
  for (const l of items)
    if (l.statement && !l.foreign) {
      const id = signerIdOf(l.statement.signer.key);
      signers.set(toHex(id), id);
    }
  const wanted: [string, Uint8Array][] = [
    ['ledger', new Uint8Array(0)],
    ...lineage.map((x): [string, Uint8Array] => ['exhibit', x]),
    ...[...signers.values()].map((k): [string, Uint8Array] => ['key', k]),
  ];
  const source = { node: (h: Uint8Array) => store.mapNode(h) };
  const proven = await Promise.all(
    wanted.map(async ([ns, key]) => ({ ns, key, proof: await proveFromSource(mapRoot, ns, key, source) })),
  );
  const atN = await recordsAtSize(store, n, items, proven);
  const records: BundleV2Record[] = proven.map((p, i) => {
    const r: BundleV2Record = { ns: p.ns, key: p.key, proof: encodeMapProof(p.proof) };
    const bytes = atN[i];
    if (bytes) r.record = bytes;
    return r;
  });
  records.sort(compareRecordKeys);

  const sizes = new Set<number>();
  for (const l of items)
    if (l.statement?.seen && l.statement.seen.size <= l.index) sizes.add(l.statement.seen.size);
  const seen = await Promise.all(
    [...sizes]
      .sort((a, b) => a - b)
      .map(async (size) => ({
        size,
        root: await rootAt(store, size),
        proof: await consistencyProof(store, size, n),
      })),
  );
  const archives = await archivesFor(store, n, lineageEvents);
  return encodeBundleV2({
    origin,
    exhibit,
    checkpoint: checkpointNote,
    entries,
    tail: { index: n - 1, entry: tail.entry, proof: await inclusionProof(store, n - 1, n) },
    records,
    seen,
    ...(archives.length > 0 ? { archives } : {}),
  });
}

/** exportBundleV2 from the ledger a LedgerView reads (how the CLI exports). */
export function exportBundle(
  view: LedgerView,
  exhibit: Uint8Array,
  checkpointNote: string,
  opts: ExportV2Options = {},
): Promise<Uint8Array> {
  return exportBundleV2(storeOf(view), exhibit, checkpointNote, opts);
}
