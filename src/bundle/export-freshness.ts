/**
 * Export of a freshness file (docs/BUNDLE.md §Freshness: a newer checkpoint
 * for a bundle): given a bundle made at checkpoint N and a signed checkpoint
 * of size M ≥ N of the same log, the RFC 9162 consistency proof from N to M,
 * entry M − 1 with its inclusion proof, and the map proofs, against that
 * entry's map root, of the records that would show anything the bundle's
 * verdict depends on having changed since N: the exhibit record of the
 * exhibit and of each ancestor the bundle holds, the key record of every
 * signer of a bundled statement (the bundle's own exhibit and key records
 * name exactly these), and the key record of the log key.
 *
 * Read through the store as export-v2.ts reads it. Refusals (CustodyError):
 * CHECKPOINT_MALFORMED (input), CHECKPOINT_ORIGIN_MISMATCH (input),
 * BUNDLE_CHECKPOINT_UNKNOWN (input: M is below N, beyond the log, or its root
 * is not this log's), CHECKPOINT_MISMATCH (verification: this log's root at N
 * is not the bundle's checkpoint root), CHECKPOINT_NEEDS_KEY (input: a record
 * changed after M, so the store no longer holds its version at M).
 */
import { equalBytes, toHex } from '../bytes.js';
import { type Checkpoint, parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError, type CustodyErrorCode } from '../errors.js';
import { decodeEntry } from '../format/entry.js';
import { KEY_PURPOSES, keyIdOf } from '../format/key-id.js';
import { wireKey } from '../format/kinds.js';
import { decodeSignedStatement } from '../format/statement.js';
import { type LedgerView, storeOf } from '../ledger/ledger-view.js';
import { encodeMapProof, proveFromSource } from '../map/index.js';
import { consistencyProof, inclusionProof, rootAt } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';
import { type BundleV2, type BundleV2Record, compareRecordKeys, decodeBundleV2 } from './bundle-v2.js';
import { encodeFreshness } from './freshness.js';
import { latestCheckpoint } from './renewal.js';

const input = (code: CustodyErrorCode, message: string) => new CustodyError(code, message, 'input');

function checkpointOf(note: string, what: string): Checkpoint {
  try {
    return parseCheckpoint(parseNote(note).text);
  } catch (e) {
    if (e instanceof CustodyError) throw input('CHECKPOINT_MALFORMED', `${what}: ${e.message}`);
    throw e;
  }
}

/** The log key's id, from genesis (FORMAT.md §Kinds and bodies: it never changes in this version). */
async function logKeyId(store: LogStore): Promise<Uint8Array> {
  const payload = await store.payload(0);
  if (!payload) throw new CustodyError('STORE_CORRUPT', 'genesis is missing from the store', 'unavailable');
  const g = decodeSignedStatement(payload).statement;
  return keyIdOf(wireKey(g.body['logKey']), KEY_PURPOSES.log);
}

/** Builds the freshness file of `bundle` (decoded) as of the checkpoint `checkpointNote`. */
export async function exportFreshnessV2(
  store: LogStore,
  bundle: BundleV2,
  checkpointNote: string,
): Promise<Uint8Array> {
  const atN = checkpointOf(bundle.checkpoint, "the bundle's checkpoint");
  const atM = checkpointOf(checkpointNote, 'the newer checkpoint');
  const n = atN.size;
  const m = atM.size;
  const genesis = await store.payload(0);
  const origin = genesis ? decodeSignedStatement(genesis).statement.origin : undefined;
  if (atN.origin !== bundle.origin || atM.origin !== bundle.origin || origin !== bundle.origin)
    throw input(
      'CHECKPOINT_ORIGIN_MISMATCH',
      `the bundle is for ${bundle.origin}, its checkpoint for ${atN.origin}, the newer checkpoint for ${atM.origin}, this ledger for ${origin ?? 'nothing'}`,
    );
  const head = await store.readHead();
  if (!head || n === 0 || n > head.size || !equalBytes(await rootAt(store, n), atN.root))
    throw new CustodyError(
      'CHECKPOINT_MISMATCH',
      `this ledger's first ${n} entries do not have the root of the bundle's checkpoint: the bundle is of another ledger, or history was rewritten`,
      'verification',
    );
  if (m < n || m > head.size || !equalBytes(await rootAt(store, m), atM.root))
    throw input(
      'BUNDLE_CHECKPOINT_UNKNOWN',
      `the checkpoint of size ${m} is not a checkpoint of this log at or after the bundle's size ${n}`,
    );

  // Which records: the bundle's own exhibit and key records name the lineage and the signers.
  const wanted = new Map<string, [string, Uint8Array]>();
  for (const r of bundle.records)
    if (r.ns === 'exhibit' || r.ns === 'key') wanted.set(`${r.ns}/${toHex(r.key)}`, [r.ns, r.key]);
  const log = await logKeyId(store);
  wanted.set(`key/${toHex(log)}`, ['key', log]);

  const tailEntry = await store.entry(m - 1);
  if (!tailEntry) throw new CustodyError('STORE_CORRUPT', `entry ${m - 1} is missing`, 'unavailable');
  const mapRoot = decodeEntry(tailEntry).entry.mapRoot;
  const source = { node: (h: Uint8Array) => store.mapNode(h) };
  const records: BundleV2Record[] = [];
  for (const [ns, key] of wanted.values()) {
    const proof = await proveFromSource(mapRoot, ns, key, source);
    const r: BundleV2Record = { ns, key, proof: encodeMapProof(proof) };
    if (proof.terminal.kind === 'member') {
      // The store keeps a record's latest version only (STORAGE.md §What is stored).
      const stored = await store.record(ns, key);
      if (!stored || !equalBytes(sha256(stored), proof.terminal.value))
        throw input(
          'CHECKPOINT_NEEDS_KEY',
          `the ${ns} record changed after the checkpoint of size ${m}: give --log-key to sign a checkpoint of the current log`,
        );
      r.record = stored;
    }
    records.push(r);
  }
  records.sort(compareRecordKeys);
  return encodeFreshness({
    origin: bundle.origin,
    exhibit: bundle.exhibit,
    size: n,
    checkpoint: checkpointNote,
    consistency: await consistencyProof(store, n, m),
    tail: { index: m - 1, entry: tailEntry, proof: await inclusionProof(store, m - 1, m) },
    records,
  });
}

/** exportFreshnessV2 from the ledger a LedgerView reads, for bundle bytes (how the CLI refreshes). */
export function exportFreshness(
  view: LedgerView,
  bundleBytes: Uint8Array,
  checkpointNote: string,
): Promise<Uint8Array> {
  // A renewed bundle is extended from its newest checkpoint (./renewal.ts).
  const b = decodeBundleV2(bundleBytes);
  return exportFreshnessV2(storeOf(view), { ...b, checkpoint: latestCheckpoint(b) }, checkpointNote);
}
