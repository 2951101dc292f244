/**
 * A bundle's archived checkpoints (docs/BUNDLE.md §Archived checkpoints):
 * log records proven in the bundle's tree of size N, each archiving an
 * earlier checkpoint of size s with its cosignatures and, maybe, an RFC 3161
 * token. What each proves once checked: the first s entries existed no later
 * than the k-th smallest timestamp of the cosigners the relying party named
 * (k its witness quorum), and no later than the token's genTime, by the
 * TSA's clock, when the relying party pins the TSA's root.
 *
 * Because the record is inside the tree of size N, a signature on N that is
 * still trusted (a post-quantum one, after an Ed25519 sunset:
 * ./bundle-v2-sunset.ts) vouches for the archived note, its Ed25519
 * cosignatures and its token as they were when logged: their times are kept
 * although their own algorithms are no longer trusted.
 *
 * Pure in the sense of the verifier (no file, store or network access); the
 * token check is asynchronous (WebCrypto, src/time/rfc3161.ts).
 */
import type { BundleV2, BundleV2Archive } from '../bundle/bundle-v2.js';
import { equalBytes } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import { decodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import type { TypedKey } from '../format/key-id.js';
import { type CheckpointRecord, decodeLogRecord } from '../format/log-record.js';
import { hashLeaf } from '../merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../merkle/verify.js';
import { problemCodeOf } from '../problem-codes.js';
import type { Findings } from './bundle-v2-checks.js';
import { witnessKeys } from './bundle-v2-cosigners.js';
import type { BundleV2Trust } from './bundle-v2-facts.js';
import type { CheckpointFacts } from './bundle-v2-proofs.js';
import { anchoredBefore, distrusted, type PqSignature } from './bundle-v2-sunset.js';
import { kthEarliest } from './bundle-v2-times.js';
import { checkArchivedCheckpoint, checkTimestamps } from './log-records.js';

/** What one archived checkpoint dates: the first `size` entries existed no later than each bound. */
export interface TimeEvidence {
  /** The record's entry. */
  index: number;
  /** The archived checkpoint's size. */
  size: number;
  /** The k-th smallest non-zero timestamp of the `of` named cosigners whose lines verified. */
  witnesses?: { time: string; k: number; of: number };
  /** The RFC 3161 token's time, against a TSA root the relying party pinned. */
  token?: {
    genTime: string;
    accuracyMs?: number;
    tsa: string;
    policy: string;
    /** The token chains to a root the relying party lists as a qualified TSA's (eIDAS Art. 41(2)). */
    qualified: boolean;
    /**
     * Past the relying party's sunset for the TSA key's algorithm: the post-quantum signature on
     * the bundle's checkpoint, made before that sunset, that still vouches for the logged token.
     */
    renewedBy?: { by: string; time: string };
  };
}

interface Ledger {
  logKey: TypedKey | undefined;
  mlDsaLogKeys: readonly Uint8Array[];
}

/** The record of one archive item, proven in the tree of size N; undefined after reporting why not. */
function provenRecord(a: BundleV2Archive, cp: CheckpointFacts, f: Findings): CheckpointRecord | undefined {
  if (a.index >= cp.size || !verifyInclusion(a.index, cp.size, hashLeaf(a.entry), a.proof, cp.root)) {
    f.add(
      'PROOF_INVALID',
      a.index,
      null,
      `the archived checkpoint at entry ${a.index} is not proven in the tree of size ${cp.size}`,
    );
    return undefined;
  }
  try {
    const e = decodeEntry(a.entry).entry;
    if (
      e.index !== a.index ||
      e.payloadType !== PAYLOAD_TYPES.record ||
      !equalBytes(e.payloadHash, sha256(a.payload))
    ) {
      f.add(
        'ARCHIVED_CHECKPOINT_INVALID',
        a.index,
        null,
        `entry ${a.index} does not commit to this log record`,
      );
      return undefined;
    }
    const r = decodeLogRecord(a.payload);
    if (r.kind === 'checkpoint') return r;
    f.add(
      'ARCHIVED_CHECKPOINT_INVALID',
      a.index,
      null,
      `entry ${a.index} is a ${r.kind} record, not an archived checkpoint`,
    );
    return undefined;
  } catch (err) {
    const p = err instanceof FormatError ? problemCodeOf(err.code, err.message) : undefined;
    f.add(p?.code ?? 'RECORD_MALFORMED', a.index, null, p?.message ?? 'the archived record does not decode');
    return undefined;
  }
}

/** The k-th smallest non-zero cosignature time on `note` among the named cosigners whose lines verify. */
function witnessBound(note: string, trust: BundleV2Trust): TimeEvidence['witnesses'] {
  const names = new Set(witnessKeys(trust).map((k) => k.name));
  // k: the witness quorum; with witnesses named but none required, the earliest one's word.
  const quorum = trust.tlogPolicy ? 1 : (trust.quorum ?? names.size);
  const k = quorum >= 1 ? quorum : names.size > 0 ? 1 : 0;
  const b = kthEarliest(note, witnessKeys(trust), k, true);
  return b && { time: new Date(b.time * 1000).toISOString(), k: b.k, of: b.of };
}

/**
 * Checks every archived checkpoint of a bundle whose checkpoint `cp` was
 * read, and returns what each dates. Problems: PROOF_INVALID,
 * ARCHIVED_CHECKPOINT_INVALID, RECORD_MALFORMED, RECORD_KIND_UNKNOWN,
 * TIMESTAMP_INVALID, TIMESTAMP_NOT_CHECKED (a warning).
 */
export async function checkArchives(
  b: BundleV2,
  cp: CheckpointFacts,
  ledger: Ledger,
  trust: BundleV2Trust,
  pqSignatures: readonly PqSignature[],
  f: Findings,
): Promise<TimeEvidence[]> {
  const out: TimeEvidence[] = [];
  const stamped: Parameters<typeof checkTimestamps>[0][number][] = [];
  for (const a of b.archives ?? []) {
    const record = provenRecord(a, cp, f);
    if (!record) continue;
    let archivedRoot: Uint8Array | undefined;
    try {
      const c = parseCheckpoint(parseNote(record.note).text);
      // The consistency proof makes the archived root the tree's root at its size (RFC 9162 §2.1.4).
      if (
        c.size > 0 &&
        c.size <= a.index &&
        verifyConsistency(c.size, cp.size, c.root, cp.root, a.consistency)
      )
        archivedRoot = c.root;
    } catch {
      // checkArchivedCheckpoint says what is wrong with the note.
    }
    const identity = ledger.logKey
      ? { origin: b.origin, logKey: ledger.logKey, mlDsaLogKeys: [...ledger.mlDsaLogKeys] }
      : undefined;
    const r = checkArchivedCheckpoint(record, a.index, archivedRoot, identity);
    for (const p of r.problems) f.add(p.code, p.seq, null, p.message);
    if (!r.archived) continue;
    const witnesses = witnessBound(record.note, trust);
    out.push({ index: a.index, size: r.archived.size, ...(witnesses ? { witnesses } : {}) });
    if (r.archived.timestamp) stamped.push(r.archived);
  }
  const tokens = await checkTimestamps(
    stamped,
    trust.tsaRoots ?? [],
    trust.now === undefined ? undefined : new Date(trust.now),
  );
  for (const p of tokens.problems) f.add(p.code, p.seq, null, p.message, p.severity);
  for (const t of tokens.facts) {
    const e = out.find((x) => x.index === t.index);
    if (!e) continue;
    // A sunset for the TSA key's algorithm (RSA, ECDSA): the token still dates the archived
    // checkpoint only if a post-quantum signature made before the sunset vouched for the tree
    // that holds it; the token's own signature proves nothing after that date.
    const sunset = t.keyAlgorithm === 'other' ? undefined : trust.distrust?.[t.keyAlgorithm];
    let renewedBy: PqSignature | undefined;
    if (sunset !== undefined && t.keyAlgorithm !== 'other' && distrusted(trust, t.keyAlgorithm)) {
      renewedBy = anchoredBefore(pqSignatures, sunset);
      if (!renewedBy) {
        f.add(
          'TIMESTAMP_NOT_CHECKED',
          t.index,
          null,
          `the RFC 3161 token archived at entry ${t.index} is signed with ${t.keyAlgorithm.toUpperCase()}, which the relying party distrusts from ${new Date(sunset).toISOString()}, and no post-quantum signature made before then vouches for the checkpoint that holds it: it dates nothing`,
          'warning',
        );
        continue;
      }
    }
    e.token = {
      genTime: t.genTime,
      ...(t.accuracyMs === undefined ? {} : { accuracyMs: t.accuracyMs }),
      tsa: t.tsa,
      policy: t.policy,
      qualified: (trust.qualifiedTsaRoots ?? []).some((r) => equalBytes(r, t.root)),
      ...(renewedBy
        ? { renewedBy: { by: renewedBy.by, time: new Date(renewedBy.time * 1000).toISOString() } }
        : {}),
    };
  }
  return out;
}
