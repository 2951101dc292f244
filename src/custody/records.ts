/**
 * The records the state map commits to (docs/FORMAT.md §The state map).
 * The map holds SHA-256(record) under (namespace, key); the record itself is a
 * canonical map with a version `v`, kept beside the map by whoever holds the
 * state (memory here, the store later). Later issues add fields as a new
 * record version and namespaces as new rows, never a new map.
 */
import { sha256 } from '../crypto/sha256.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import type { KeyPurpose, KeyType } from '../format/key-id.js';
import type { RoleV2 } from '../format/kinds.js';

export const NS = {
  ledger: 'ledger',
  key: 'key',
  exhibit: 'exhibit',
  annotation: 'annotation',
  hold: 'hold',
  nonconformity: 'nonconformity',
  label: 'label',
  digest: 'digest',
  short: 'short',
  peer: 'peer',
  crossed: 'crossed',
} as const;
export type Namespace = (typeof NS)[keyof typeof NS];

/** The first 45 bits of an id as the `short` index key part: 6 bytes, the last 3 bits cleared. */
export const shortBits = (id: Uint8Array): Uint8Array => {
  const b = id.slice(0, 6);
  b[5]! &= 0xf8;
  return b;
};

/** Rule parameters (docs/FORMAT.md §Configuration), with their defaults filled in. */
export interface RuleConfig {
  clockSkewMs: number;
  lateSubmissionMs: number;
}
export const DEFAULT_CONFIG: RuleConfig = { clockSkewMs: 300_000, lateSubmissionMs: 2_592_000_000 };

export interface LedgerRecord {
  v: 1;
  origin: string;
  /** Identity of the last ledger statement. */
  head: Uint8Array;
  /** Statement key id of the current authority key. */
  authority: Uint8Array;
  config: RuleConfig;
}

export interface KeyRecord {
  v: 1;
  type: KeyType;
  purpose: KeyPurpose;
  publicKey: Uint8Array;
  roles: RoleV2[];
  jurisdiction: string;
  enrolledAt: number;
  validUntil?: number;
  /** For an access key: the key id of the actor's statement key it reads for (revoking either ends it). */
  actor?: Uint8Array;
  /**
   * The end of the key's life (docs/CUSTODY-RULES.md §Key lifetimes): the size of the checkpoint
   * (`seen`) that the revocation, or the rotation retiring it, was made against. Any statement
   * by the key at a position ≥ revokedAt is invalid, wherever it was placed, except the
   * retirement the key signs itself. Fixed by the tree, not by where the revocation sits.
   */
  revokedAt?: number;
  compromisedSince?: number;
  /**
   * Position of the last statement the key signed. Lets the rules refuse a revocation or
   * rotation made against a checkpoint older than that statement (…_STALE), so that fixing
   * a lifetime by the tree never invalidates what an honest ledger accepted.
   */
  last?: number;
}

/**
 * `away`: the exhibit left this ledger for a peer, whose receiver accepted it
 * there (docs/FEDERATION.md): `holder` and `holderOrigin` name that receiver.
 */
export type ExhibitState = 'held' | 'pending' | 'disposed' | 'away';

export interface ExhibitRecord {
  v: 1;
  /** Identity of the exhibit's last chain statement. */
  head: Uint8Array;
  /** Log position of that statement. */
  at: number;
  /** Statement key id of the holder (the sender, while a transfer is pending). */
  holder: Uint8Array;
  state: ExhibitState;
  /** The receiver's key id while a transfer is pending. */
  to?: Uint8Array;
  /** While a hand-over to a peer ledger is pending: that ledger's origin (the receiver is there). */
  toOrigin?: string;
  /**
   * While the sender's cancel of that hand-over waits for the peer's answer
   * (docs/FEDERATION.md §Cancelling a hand-over between ledgers): the
   * hand-over's identity, which the receiver's answers still follow. `head`
   * is then the cancel.
   */
  cancelOf?: Uint8Array;
  /** When the holder is an actor of a peer ledger (imported hand-over, or away): that ledger's origin. */
  holderOrigin?: string;
  parent?: Uint8Array;
  sha256: Uint8Array;
}

export interface AnnotationRecord {
  v: 1;
  at: number;
}

/**
 * The legal holds on an exhibit's personal data (docs/PRIVACY.md
 * §Restriction), keyed by exhibit id: each hold is its restrict statement's
 * identity, the fields it covers (none listed: all of them) and the
 * disclosure profiles that may still receive them. Sorted by identity.
 */
export interface HoldRecord {
  v: 1;
  holds: [id: Uint8Array, fields: string[], recipients: string[]][];
}

/**
 * The open non-conformities of an exhibit (docs/CUSTODY-RULES.md
 * §Non-conformities), keyed by exhibit id: each is the identity of the chain
 * statement that opened it, its kind, that statement's log position and its
 * claimed time. In log order; the record is absent when none is open.
 */
export interface NonconformityRecord {
  v: 1;
  open: [id: Uint8Array, kind: 'seal-broken' | 'digest-mismatch', at: number, time: number][];
}

/**
 * A peer ledger this one exchanges custody with (docs/FEDERATION.md), keyed
 * by the peer's origin (UTF-8): the C2SP tlog-policy text that names its log
 * keys, witnesses and quorum, as the authority signed it, and where.
 */
export interface PeerRecord {
  v: 1;
  policy: string;
  url?: string;
  at: number;
}

/** One value of a many-valued index. */
export interface IdRecord {
  v: 1;
  id: Uint8Array;
}

export type AnyRecord =
  | LedgerRecord
  | KeyRecord
  | ExhibitRecord
  | AnnotationRecord
  | HoldRecord
  | NonconformityRecord
  | IdRecord
  | PeerRecord;

export const encodeRecord = (r: AnyRecord): Uint8Array => encodeCanonical(r as unknown as Canonical);
export const recordHash = (bytes: Uint8Array): Uint8Array => sha256(bytes);

/** Decodes a stored record; undefined if it is not canonical (the caller reports it). */
export function decodeRecordBytes<R extends AnyRecord>(bytes: Uint8Array): R | undefined {
  const r = decodeCanonical(bytes);
  return 'error' in r ? undefined : (r.value as R);
}
