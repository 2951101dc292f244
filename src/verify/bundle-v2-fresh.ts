/**
 * A bundle's verdict carried to a newer checkpoint (docs/BUNDLE.md
 * §Freshness: a newer checkpoint for a bundle). A bundle made at checkpoint N
 * says nothing after N; a freshness file (../bundle/freshness.ts) brings a
 * signed checkpoint of size M ≥ N, the RFC 9162 consistency proof from N to M,
 * entry M − 1 and the map proofs of records against its map root. Verified
 * here, it shows, as the log knows it at M:
 *
 *   - the exhibit's record and each ancestor's is the one proven at N: no
 *     later event up to M (else EXHIBIT_CHANGED_SINCE, INCOMPLETE: a new
 *     bundle is needed, nothing is wrong);
 *   - no signer of a bundled statement was revoked or reported compromised
 *     for it since (the same key-lifetime rule as at N, ./bundle-v2-records.ts);
 *   - the log key was not revoked inside M.
 *
 * The caller then judges witnesses, auditors and age on the newer checkpoint
 * (./bundle-v2-cosigners.ts). Pure; every defect becomes a problem.
 */
import type { BundleV2 } from '../bundle/bundle-v2.js';
import { decodeFreshness, type Freshness } from '../bundle/freshness.js';
import { equalBytes } from '../bytes.js';
import { decodeRecordBytes, type ExhibitRecord, type KeyRecord, NS } from '../custody/records.js';
import type { ShownStatement } from '../custody/timeline-v2.js';
import { CustodyError } from '../errors.js';
import { KEY_PURPOSES, keyIdOf, type TypedKey } from '../format/key-id.js';
import { verifyConsistency } from '../merkle/verify.js';
import type { Findings } from './bundle-v2-checks.js';
import {
  type CheckpointFacts,
  checkpointSigned,
  logMlDsaSigned,
  proveTail,
  readCheckpoint,
} from './bundle-v2-proofs.js';
import { logKeyStanding, provenRecords, required, signerLifetime, signersOf } from './bundle-v2-records.js';

/** What the verification at N established, which the freshness file extends. */
export interface FreshBase {
  /** The bundle's checkpoint (size N, its root). */
  cp: CheckpointFacts;
  /** The log key genesis names (undefined: no valid genesis, nothing can be signed for it). */
  logKey: TypedKey | undefined;
  /** The log's ML-DSA-44 keys the authority enrolled: their lines on the newer checkpoint must verify too. */
  mlDsaLogKeys: readonly Uint8Array[];
  /** The statements the replay accepted. */
  shown: readonly ShownStatement[];
  /** The exhibit, then its ancestors. */
  lineage: readonly Uint8Array[];
}

/** The newer checkpoint, once read: what the verdict is then judged as of. */
export interface FreshCheckpoint {
  cp: CheckpointFacts;
  /** Its signed note, as the cosigners are counted on it. */
  note: string;
  /** Signed by the log key genesis names. */
  signed: boolean;
}

/** Verifies the freshness file `bytes` for bundle `b`; undefined when no newer checkpoint could be read. */
export function verifyFresh(
  b: BundleV2,
  base: FreshBase,
  bytes: Uint8Array,
  f: Findings,
): FreshCheckpoint | undefined {
  let x: Freshness;
  try {
    x = decodeFreshness(bytes);
  } catch (e) {
    const tooLarge = e instanceof CustodyError && e.code === 'BUNDLE_TOO_LARGE';
    f.add(
      tooLarge ? 'BUNDLE_TOO_LARGE' : 'FRESHNESS_MALFORMED',
      null,
      null,
      e instanceof CustodyError ? e.message : 'not a custody freshness file',
    );
    return undefined;
  }
  const n = base.cp.size;
  if (x.origin !== b.origin) {
    f.add(
      'CHECKPOINT_ORIGIN_MISMATCH',
      null,
      null,
      `the freshness file is for ${x.origin}, the bundle for ${b.origin}`,
    );
    return undefined;
  }
  if (!equalBytes(x.exhibit, b.exhibit) || x.size !== n) {
    f.add(
      'FRESHNESS_MISMATCH',
      null,
      null,
      `the freshness file extends a bundle of ${equalBytes(x.exhibit, b.exhibit) ? 'this exhibit' : 'another exhibit'} at size ${x.size}, not this bundle at size ${n}`,
    );
    return undefined;
  }
  // Step 2 of the bundle's verification, on the newer note: tlog-checkpoint, this origin, size ≥ 1.
  const cp = readCheckpoint({ ...b, checkpoint: x.checkpoint }, f);
  if (!cp) return undefined;
  if (cp.size < n) {
    f.add(
      'FRESHNESS_MISMATCH',
      null,
      null,
      `the newer checkpoint (size ${cp.size}) is older than the bundle's (${n})`,
    );
    return undefined;
  }
  let signed = false;
  if (base.logKey) {
    signed = checkpointSigned(cp, base.logKey, f);
    // A dual-signed newer checkpoint: a line by a known ML-DSA-44 log key that fails is a failure here too.
    logMlDsaSigned(cp, base.mlDsaLogKeys, f);
  } else f.notChecked('checkpoint-signature', 'the log key is unknown without a valid genesis');
  // RFC 9162 §2.1.4.2: the tree of size M extends the one the bundle was proven against.
  if (!verifyConsistency(n, cp.size, base.cp.root, cp.root, x.consistency))
    f.add(
      'FRESH_CONSISTENCY_INVALID',
      null,
      null,
      `the checkpoint of size ${cp.size} is not proven to extend the bundle's checkpoint of size ${n}: another log, or a fork of it`,
    );
  const tail = proveTail({ ...b, tail: x.tail }, cp, f);
  if (tail) freshRecords(b, base, x, tail.mapRoot, cp.size, f);
  return { cp, note: x.checkpoint, signed };
}

/** The record bytes the bundle proved at N for (ns, key), if it carries them. */
const atN = (b: BundleV2, ns: string, key: Uint8Array) =>
  b.records.find((r) => r.ns === ns && equalBytes(r.key, key))?.record;

/** The records at M against the state proven at N (the module comment's three points). */
function freshRecords(
  b: BundleV2,
  base: FreshBase,
  x: Freshness,
  mapRoot: Uint8Array,
  m: number,
  f: Findings,
) {
  const n = base.cp.size;
  const need = required(provenRecords(x.records, mapRoot, f), f, 'the freshness file');
  for (const id of base.lineage) {
    const rec = need(NS.exhibit, id, 'exhibit', id);
    const old = atN(b, NS.exhibit, id);
    // Not proven at N: already a problem of the bundle itself.
    if (rec === undefined || !old) continue;
    if (rec === null)
      f.add(
        'EXHIBIT_RECORD_MISMATCH',
        null,
        id,
        `the exhibit, recorded at ${n}, is absent from the state at ${m}`,
      );
    else if (!equalBytes(rec, old)) {
      // An exhibit's record is written only by its own chain (CUSTODY-RULES.md): it has events after N.
      const at = decodeRecordBytes<ExhibitRecord>(rec)?.at;
      f.add(
        'EXHIBIT_CHANGED_SINCE',
        typeof at === 'number' ? at : null,
        id,
        `the exhibit has events after entry ${n - 1}${typeof at === 'number' ? ` (the last at entry ${at})` : ''}, up to the checkpoint of size ${m}: export a new bundle`,
      );
    }
  }
  for (const { id, at } of signersOf(base.shown)) {
    const rec = need(NS.key, id, 'signer key', null);
    if (rec === undefined) continue;
    const old = atN(b, NS.key, id);
    if (rec !== null && old && equalBytes(rec, old)) continue; // Unchanged: judged at N.
    const k = rec ? decodeRecordBytes<KeyRecord>(rec) : undefined;
    if (!k) {
      f.add(
        'KEY_RECORD_MISMATCH',
        at[0]!.s.index,
        null,
        `a signer's key record is absent or unreadable at ${m}`,
      );
      continue;
    }
    signerLifetime(k, at, f, ` (as the log knows it at ${m})`);
  }
  if (base.logKey) {
    const rec = need(NS.key, keyIdOf(base.logKey, KEY_PURPOSES.log), 'log key', null);
    if (rec) logKeyStanding(m, decodeRecordBytes<KeyRecord>(rec), f);
  }
}
