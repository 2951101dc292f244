/**
 * Evidence bundle file format, version 2 (docs/BUNDLE.md §File format):
 * one exhibit of a format v2 ledger with everything needed to verify it
 * offline against one signed checkpoint of size N.
 *
 *   file = "CUSTODY-BUNDLE/2\n" ‖ body          body = ONE canonical msgpack map
 *     v           2
 *     origin      the ledger's origin
 *     exhibit     bin(32): the exhibit id (identity of its register statement)
 *     checkpoint  C2SP signed note of size N (log signature, maybe cosignatures)
 *     entries     [{index, entry, payload, proof, openings?}], strictly ascending index
 *     tail        {index: N − 1, entry, proof}: whose mapRoot the records are proven against
 *     records     [{ns, key, record?, proof}], strictly ascending (ns, key)
 *     seen        [{size, root, proof}], strictly ascending size
 *     archives    optional: [{index, entry, payload, proof, consistency}], strictly ascending
 *                 index: log records archiving earlier checkpoints (FORMAT.md §Log records),
 *                 proven in the tree of size N, with PROOF(archived size, D[N]); they carry
 *                 the time evidence of the exhibit's events (docs/LONG-TERM.md)
 *     renewals    optional: [bin …], freshness files (./freshness.ts) appended by `custody refresh
 *                 --append`, each extending the checkpoint before it; the verifier follows them
 *                 from N to the newest (docs/BUNDLE.md §Renewals)
 *
 * Everything hashed or signed travels as the bytes that were hashed or signed
 * (FORMAT.md §Notation: nothing is re-encoded to verify). The orders are
 * fixed so that one set of contents has exactly one file.
 *
 * Decoding is strict and bounded (BUNDLE_V2_LIMITS; unknown or missing fields
 * refused): a hostile file gets CustodyError BUNDLE_MALFORMED (input), never
 * another exception. Meaning (proofs, signatures, rules) is checked by
 * src/verify/bundle-v2.ts.
 */
import { concat, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { type Canonical, encodeCanonical } from '../format/canonical.js';
import { isOrigin } from '../format/text.js';
import { MAX_KEY_BYTES, MAX_NAMESPACE_BYTES } from '../map/index.js';
import {
  BUNDLE_V2_LIMITS,
  bad,
  bytes,
  fields,
  hashes,
  isUint,
  list,
  openMagicBody,
  startsWith,
  tooLarge,
} from './bundle-v2-fields.js';

export const BUNDLE_V2_MAGIC = 'CUSTODY-BUNDLE/2\n';
const MAGIC = utf8(BUNDLE_V2_MAGIC);

export { BUNDLE_V2_LIMITS } from './bundle-v2-fields.js';

export interface BundleV2Entry {
  index: number;
  entry: Uint8Array;
  payload: Uint8Array;
  /** RFC 9162 inclusion proof of hashLeaf(entry) at `index` in the tree of size N. */
  proof: Uint8Array[];
  /** Canonical openings (FORMAT.md §Commitments and openings); absent when withheld. */
  openings?: Uint8Array;
}

export interface BundleV2Tail {
  index: number;
  entry: Uint8Array;
  proof: Uint8Array[];
}

export interface BundleV2Record {
  ns: string;
  key: Uint8Array;
  /** The record bytes the map's leaf hashes; absent when the proof shows the key absent. */
  record?: Uint8Array;
  /** encodeMapProof bytes against the tail entry's mapRoot (STATE-MAP.md §Proof encoding). */
  proof: Uint8Array;
}

export interface BundleV2Seen {
  size: number;
  /** The tree root at `size`, as statements name it in `seen`. */
  root: Uint8Array;
  /** RFC 9162 consistency proof from (size, root) to (N, checkpoint root). */
  proof: Uint8Array[];
}

/** A log record archiving an earlier checkpoint, proven in the bundle's tree (docs/BUNDLE.md §Archived checkpoints). */
export interface BundleV2Archive {
  index: number;
  entry: Uint8Array;
  /** The log record (payload type 2) the entry commits to. */
  payload: Uint8Array;
  /** RFC 9162 inclusion proof of hashLeaf(entry) at `index` in the tree of size N. */
  proof: Uint8Array[];
  /** RFC 9162 consistency proof from the archived checkpoint (its size and root) to N. */
  consistency: Uint8Array[];
}

export interface BundleV2 {
  origin: string;
  exhibit: Uint8Array;
  checkpoint: string;
  entries: BundleV2Entry[];
  tail: BundleV2Tail;
  records: BundleV2Record[];
  seen: BundleV2Seen[];
  /** Absent when the bundle carries no archived checkpoint (then its bytes have no such field). */
  archives?: BundleV2Archive[];
  /** Freshness files appended in order, oldest first; absent when none. */
  renewals?: Uint8Array[];
}

export function encodeBundleV2(b: BundleV2): Uint8Array {
  const body = encodeCanonical({
    v: 2,
    origin: b.origin,
    exhibit: b.exhibit,
    checkpoint: b.checkpoint,
    entries: b.entries.map((e) => ({
      index: e.index,
      entry: e.entry,
      payload: e.payload,
      proof: e.proof,
      openings: e.openings,
    })),
    tail: tailValue(b.tail),
    records: b.records.map(recordValue),
    seen: b.seen.map((s) => ({ size: s.size, root: s.root, proof: s.proof })),
    archives: b.archives?.length
      ? b.archives.map((a) => ({
          index: a.index,
          entry: a.entry,
          payload: a.payload,
          proof: a.proof,
          consistency: a.consistency,
        }))
      : undefined,
    renewals: b.renewals?.length ? b.renewals : undefined,
  } satisfies Canonical);
  return concat(MAGIC, body);
}

/** A tail as its canonical map (also the freshness file's, src/bundle/freshness.ts). */
export const tailValue = (t: BundleV2Tail) => ({ index: t.index, entry: t.entry, proof: t.proof });
/** A record item as its canonical map (also the freshness file's). */
export const recordValue = (r: BundleV2Record) => ({
  ns: r.ns,
  key: r.key,
  record: r.record,
  proof: r.proof,
});

export const isBundleV2 = (bytes: Uint8Array): boolean => startsWith(bytes, MAGIC);

/** Bytewise order of (namespace, key): the namespace's ASCII bytes, then the key (how `records` is sorted). */
export function compareRecordKeys(a: BundleV2Record, b: BundleV2Record): number {
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  const n = Math.min(a.key.length, b.key.length);
  for (let i = 0; i < n; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
  return a.key.length - b.key.length;
}

const NAMESPACE = new RegExp(`^[\\x21-\\x7e]{1,${MAX_NAMESPACE_BYTES}}$`);

function decodeEntries(v: unknown): BundleV2Entry[] {
  const out: BundleV2Entry[] = [];
  for (const x of list(v, 'entries', BUNDLE_V2_LIMITS.entries)) {
    const m = fields(x, 'an entry item', ['index', 'entry', 'payload', 'proof'], ['openings']);
    if (!isUint(m['index'])) throw bad('an entry index is not an unsigned integer');
    const index = m['index'];
    if (out.length > 0 && index <= out[out.length - 1]!.index)
      throw bad('entries must be in strictly ascending index order');
    const e: BundleV2Entry = {
      index,
      entry: bytes(m['entry'], `entry ${index}: entry bytes`, BUNDLE_V2_LIMITS.entry),
      payload: bytes(m['payload'], `entry ${index}: payload`, BUNDLE_V2_LIMITS.payload),
      proof: hashes(m['proof'], `entry ${index}: proof`),
    };
    if (m['openings'] !== undefined)
      e.openings = bytes(m['openings'], `entry ${index}: openings`, BUNDLE_V2_LIMITS.openings);
    out.push(e);
  }
  if (out.length === 0) throw bad('a bundle carries at least the genesis entry');
  return out;
}

export function decodeRecords(v: unknown): BundleV2Record[] {
  const out: BundleV2Record[] = [];
  for (const x of list(v, 'records', BUNDLE_V2_LIMITS.records)) {
    const m = fields(x, 'a record item', ['ns', 'key', 'proof'], ['record']);
    const ns = m['ns'];
    if (typeof ns !== 'string' || !NAMESPACE.test(ns)) throw bad('a record namespace is not a map namespace');
    const r: BundleV2Record = {
      ns,
      key: bytes(m['key'], `a ${ns} record key`, MAX_KEY_BYTES, 0),
      proof: bytes(m['proof'], `a ${ns} map proof`, BUNDLE_V2_LIMITS.mapProof),
    };
    if (m['record'] !== undefined) r.record = bytes(m['record'], `a ${ns} record`, BUNDLE_V2_LIMITS.record);
    if (out.length > 0 && compareRecordKeys(out[out.length - 1]!, r) >= 0)
      throw bad('records must be in strictly ascending (namespace, key) order');
    out.push(r);
  }
  return out;
}

function decodeSeen(v: unknown): BundleV2Seen[] {
  const out: BundleV2Seen[] = [];
  for (const x of list(v, 'seen', BUNDLE_V2_LIMITS.entries)) {
    const m = fields(x, 'a seen item', ['size', 'root', 'proof']);
    const size = m['size'];
    if (!isUint(size)) throw bad('a seen size is not an unsigned integer');
    if (out.length > 0 && size <= out[out.length - 1]!.size)
      throw bad('seen items must be in strictly ascending size order');
    out.push({
      size,
      root: bytes(m['root'], 'a seen root is not 32 bytes', 32, 32),
      proof: hashes(m['proof'], `seen ${size}: proof`),
    });
  }
  return out;
}

function decodeArchives(v: unknown): BundleV2Archive[] {
  const out: BundleV2Archive[] = [];
  for (const x of list(v, 'archives', BUNDLE_V2_LIMITS.archives)) {
    const m = fields(x, 'an archive item', ['index', 'entry', 'payload', 'proof', 'consistency']);
    const index = m['index'];
    if (!isUint(index)) throw bad('an archive index is not an unsigned integer');
    if (out.length > 0 && index <= out[out.length - 1]!.index)
      throw bad('archives must be in strictly ascending index order');
    out.push({
      index,
      entry: bytes(m['entry'], `archive ${index}: entry bytes`, BUNDLE_V2_LIMITS.entry),
      payload: bytes(m['payload'], `archive ${index}: payload`, BUNDLE_V2_LIMITS.recordPayload),
      proof: hashes(m['proof'], `archive ${index}: proof`),
      consistency: hashes(m['consistency'], `archive ${index}: consistency proof`),
    });
  }
  // One contents, one file: no archives is the field left out, never an empty list.
  if (out.length === 0) throw bad('archives, when present, list at least one');
  return out;
}

/** Renewals are decoded (as freshness files) and checked by the verifier; here only their shape. */
function decodeRenewals(v: unknown): Uint8Array[] {
  const out = list(v, 'renewals', BUNDLE_V2_LIMITS.renewals).map((x, i) =>
    bytes(
      x,
      `renewal ${i} is not a freshness file of at most ${BUNDLE_V2_LIMITS.renewal} bytes`,
      BUNDLE_V2_LIMITS.renewal,
    ),
  );
  if (out.length === 0) throw bad('renewals, when present, list at least one');
  return out;
}

export function decodeTail(v: unknown): BundleV2Tail {
  const m = fields(v, 'tail', ['index', 'entry', 'proof']);
  if (!isUint(m['index'])) throw bad('the tail index is not an unsigned integer');
  return {
    index: m['index'],
    entry: bytes(m['entry'], 'tail entry bytes', BUNDLE_V2_LIMITS.entry),
    proof: hashes(m['proof'], 'tail proof'),
  };
}

/** Strictly decodes a v2 bundle file. Throws CustodyError BUNDLE_MALFORMED (input) only. */
export function decodeBundleV2(input: Uint8Array): BundleV2 {
  try {
    return decodeOrThrow(input);
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    // Backstop: nothing above should throw anything else on any input.
    throw bad('unreadable');
  }
}

function decodeOrThrow(input: Uint8Array): BundleV2 {
  if (!(input instanceof Uint8Array)) throw bad('not bytes');
  if (input.length > BUNDLE_V2_LIMITS.bytes) throw tooLarge(`larger than ${BUNDLE_V2_LIMITS.bytes} bytes`);
  const m = fields(
    openMagicBody(input, MAGIC, bad),
    'body',
    ['v', 'origin', 'exhibit', 'checkpoint', 'entries', 'tail', 'records', 'seen'],
    ['archives', 'renewals'],
  );
  if (m['v'] !== 2) throw bad('unsupported body version');
  const origin = m['origin'];
  if (typeof origin !== 'string' || !isOrigin(origin)) throw bad('origin');
  const checkpoint = m['checkpoint'];
  if (typeof checkpoint !== 'string' || checkpoint.length === 0 || checkpoint.length > BUNDLE_V2_LIMITS.note)
    throw bad('checkpoint');
  return {
    origin,
    exhibit: bytes(m['exhibit'], 'exhibit id is not 32 bytes', 32, 32),
    checkpoint,
    entries: decodeEntries(m['entries']),
    tail: decodeTail(m['tail']),
    records: decodeRecords(m['records']),
    seen: decodeSeen(m['seen']),
    ...(m['archives'] === undefined ? {} : { archives: decodeArchives(m['archives']) }),
    ...(m['renewals'] === undefined ? {} : { renewals: decodeRenewals(m['renewals']) }),
  };
}
