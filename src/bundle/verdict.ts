/**
 * The result of verifying an evidence bundle (or one exhibit of a live ledger):
 * everything a report needs, nothing it has to recompute. Pure data; the report
 * model (src/report/model.ts) turns it into text, JSON and HTML.
 */

import type { ActorInfo, Timeline } from '../custody/timeline.js';
import type { Problem } from '../findings.js';

export type CheckVerdict = 'pass' | 'fail' | 'not-checked';

export interface Check {
  /** Stable id, e.g. "bundle-structure", "checkpoint-signature", "witness-quorum". */
  id: string;
  title: string;
  verdict: CheckVerdict;
  /** Plain-language detail: what was checked, or why it failed / was not checked. */
  detail: string;
}

export interface ExhibitFacts {
  id: string;
  label: string;
  caseRef: string;
  description: string;
  size: number;
  /** Algorithm → lowercase hex digest, as registered. */
  digests: Record<string, string>;
  registeredSeq: number;
  registeredAt: number;
  registeredTz: string;
  registeredBy: ActorInfo;
  seal?: string;
  location?: string;
  seizedAt?: number;
  parent?: string;
  /** What the bytes are (register body version 2, docs/FORMAT.md); absent for version 1, which does not say. */
  evidence?: EvidenceFacts;
}

/** The registration's account of the evidence (register body version 2). */
export interface EvidenceFacts {
  type: 'file' | 'directory' | 'segments' | 'device';
  /** A folder's or segment set's manifest: its entry count and Merkle root (hex). */
  entries?: number;
  manifest?: string;
  /** A block device as the kernel had it when it was read. */
  device?: { model?: string; readOnly: string; mounted: string };
  /** The acquisition tool whose logged digests were recorded beside the registrar's own. */
  reported?: { tool: string; version: string };
}

/** A non-conformity opened on the exhibit (docs/CUSTODY-RULES.md §Non-conformities). */
export interface NonconformityFacts {
  /** Entry of the statement that opened it, and that statement's id (hex): what a resolve names. */
  seq: number;
  id: string;
  kind: 'seal-broken' | 'digest-mismatch';
  /** The opening statement's claimed time (ms since the epoch). */
  time: number;
  /** Still open at the end of the bundle; if not, a `resolve` note of the timeline names `id` as its issue. */
  open: boolean;
}

export interface TrustAnchor {
  /** What this key is trusted as. */
  role: 'authority' | 'log' | 'witness';
  name: string;
  /** Base64 public key and a SHA-256 fingerprint (hex) of its 32 bytes. */
  publicKey: string;
  fingerprint: string;
  /** Whether the material supplied by the caller matched the bundle. */
  matched: boolean;
}

export interface ExhibitVerdict {
  ok: boolean;
  /** Where the evidence came from: an exported bundle file or the live ledger. */
  source: { kind: 'bundle' | 'ledger'; name: string; bytes?: number };
  origin: string;
  checkpoint: {
    size: number;
    root: string;
    signedBy: ActorInfo | null;
    /** Short ids of the log's ML-DSA-44 keys whose line on this checkpoint verified (a dual-signed checkpoint). */
    mlDsaSignedBy?: string[];
    /**
     * Only once the relying party's sunset for Ed25519 has passed (src/verify/bundle-v2-sunset.ts):
     * from when Ed25519 is distrusted, and the post-quantum signature that anchored the
     * checkpoint before then, if one did.
     */
    sunset?: { algorithm: 'Ed25519'; distrustedFrom: string; anchoredBy?: { by: string; time: string } };
    /**
     * The checkpoint existed no later than `time`: the k-th smallest non-zero timestamp among the
     * `of` witnesses that counted, k the witness quorum (src/verify/bundle-v2-times.ts).
     */
    existedNoLaterThan?: { time: string; k: number; of: number };
    witnesses: { name: string; verified: boolean }[];
    quorum: number;
    /** Auditor cosigners asked for (PROOFS.md §Auditors), and how many must have cosigned. */
    auditors?: { name: string; verified: boolean }[];
    auditorQuorum?: number;
    /**
     * Only when the relying party asks for post-quantum cosignatures (pqQuorum > 0): how many,
     * and the ML-DSA-44 cosigners among those that count whose lines verified.
     */
    pqQuorum?: number;
    pqCosigned?: string[];
    /** As of when: the newest verified cosignature's time (ISO 8601 UTC), and who gave it; null if none. */
    cosignedAt?: string | null;
    cosignedBy?: string[];
  } | null;
  anchors: TrustAnchor[];
  /** The exhibit asked about, then the exhibits it derives from (oldest last). */
  exhibit: ExhibitFacts | null;
  ancestors: ExhibitFacts[];
  timeline: Timeline | null;
  /** Timelines of the ancestors, same order as `ancestors`. */
  ancestorTimelines: Timeline[];
  /** Entries shown (seq numbers) and the last event of the exhibit. */
  entriesShown: number[];
  /**
   * Statements of the exhibit that came from peer ledgers (docs/FEDERATION.md): at which entry,
   * of which kind, from which origin; `confirmation` when it is this ledger's own cancel,
   * confirmed by the peer that logged it (`from`). Absent when there are none.
   */
  crossings?: { seq: number; kind: string; from: string; id: string; confirmation?: true }[];
  lastEventSeq: number | null;
  /** The file in hand, if one was checked. */
  file: { name: string; size: number; digests: Record<string, string>; matches: boolean } | null;
  checks: Check[];
  problems: Problem[];
  /** Digest mismatches and broken seals recorded in the history (seq numbers). */
  /**
   * What the bundle's archived checkpoints date (docs/BUNDLE.md §Archived checkpoints): for each,
   * the first `size` entries existed no later than its witnesses' bound and its token's time.
   */
  timeEvidence?: {
    index: number;
    size: number;
    witnesses?: { time: string; k: number; of: number };
    token?: {
      genTime: string;
      accuracyMs?: number;
      tsa: string;
      policy: string;
      qualified: boolean;
      renewedBy?: { by: string; time: string };
    };
  }[];
  recordedMismatches: number[];
  recordedBrokenSeals: number[];
  /** Non-conformities opened on the exhibit, in log order, open or resolved since; absent when none was. */
  nonconformities?: NonconformityFacts[];
  /** Actors appearing in the history (for the report's actor table). */
  actors: (ActorInfo & { roles: string[]; publicKey: string; enrolledSeq: number; revokedSeq?: number })[];
}
