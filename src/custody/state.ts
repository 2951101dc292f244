/**
 * Custody state: what the log says at a given size. It is derived data — the
 * rules compute it by replaying records — so the verifier rebuilds it from
 * scratch and the ledger keeps a persisted copy only to answer queries quickly.
 */
import type { DigestAlgorithm, Digests, Role } from '../format/events.js';

export interface ActorRecord {
  id: string;
  publicKey: Uint8Array;
  name: string;
  roles: Role[];
  jurisdiction: string;
  org: string;
  enrolledSeq: number;
  /** Set when revoked; entries signed after this seq are invalid. */
  revokedSeq?: number;
  revokeReason?: string;
  /** Set when an authority key is rotated out; same effect as revocation. */
  retiredSeq?: number;
}

export type ExhibitStatus = 'held' | 'in-transit' | 'disposed';

export interface PendingTransfer {
  from: string;
  to: string;
  seq: number;
  legalBasis?: string;
}

export interface ExhibitRecord {
  id: string;
  label: string;
  caseRef: string;
  registeredSeq: number;
  digests: Digests;
  size: number;
  parent?: string;
  holder: string;
  status: ExhibitStatus;
  pending?: PendingTransfer;
  /** Per-exhibit chain head: the last event of this exhibit. */
  lastSeq: number;
  lastHash: Uint8Array;
  events: number;
  /** Seqs of events that recorded a re-computed digest different from the registered one. */
  mismatches: number[];
  /** Seqs of accept events that recorded a broken seal. */
  brokenSeals: number[];
}

/** Read access the rules need; implemented in memory (verifier) and over a store cache (ledger). */
export interface StateView {
  /** Number of entries so far (the seq the next entry must have). */
  readonly size: number;
  /** Leaf hash of the last entry (ZERO_HASH before genesis). */
  readonly head: Uint8Array;
  readonly lastTime: number;
  /** Ledger origin, from genesis ('' before genesis). */
  readonly origin: string;
  /** Actor id of the current authority key ('' before genesis). */
  readonly authority: string;
  actor(id: string): ActorRecord | undefined;
  exhibit(id: string): ExhibitRecord | undefined;
}

/** What one accepted entry changes. Records are replaced whole, never mutated. */
export interface Changes {
  actors: ActorRecord[];
  exhibits: ExhibitRecord[];
  origin?: string;
  authority?: string;
}

/** The header of the state that every entry moves forward. */
export interface StateHead {
  size: number;
  head: Uint8Array;
  lastTime: number;
  origin: string;
  authority: string;
}

/** A plain in-memory state (the verifier's). */
export class MemoryState implements StateView {
  size = 0;
  head: Uint8Array = new Uint8Array(32);
  lastTime = 0;
  origin = '';
  authority = '';
  readonly actors = new Map<string, ActorRecord>();
  readonly exhibits = new Map<string, ExhibitRecord>();

  actor(id: string) {
    return this.actors.get(id);
  }
  exhibit(id: string) {
    return this.exhibits.get(id);
  }

  /** Applies the changes of the entry with this leaf hash and time. */
  apply(changes: Changes, leafHash: Uint8Array, time: number): void {
    for (const a of changes.actors) this.actors.set(a.id, a);
    for (const x of changes.exhibits) this.exhibits.set(x.id, x);
    if (changes.origin !== undefined) this.origin = changes.origin;
    if (changes.authority !== undefined) this.authority = changes.authority;
    this.size += 1;
    this.head = leafHash;
    if (time > this.lastTime) this.lastTime = time;
  }
}

export type { DigestAlgorithm };
