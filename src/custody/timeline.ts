/**
 * A custody timeline for people: the events of one exhibit in order and the
 * custody periods they imply (who held it, from when to when, in transit
 * between whom). Pure; built from decoded records and actor records, shared
 * by `custody show`, the reports and the bundle verifier, so it sits below
 * all three (docs/ARCHITECTURE.md §Layers).
 */
import type { AnnotationKind, ChainKind } from '../format/kinds.js';

export interface ActorInfo {
  id: string;
  name: string;
  jurisdiction: string;
  org: string;
}

export interface TimelineEvent {
  seq: number;
  /** A kind of the exhibit's chain: tables of wording and glyphs are keyed by it. */
  kind: ChainKind;
  /** The time the signer claims (signed; may be earlier than logged, e.g. signed offline). */
  time: number;
  /** The log's time of the entry. */
  loggedAt: number;
  tz: string;
  actor: ActorInfo;
  /** For derived registrations seen from the parent: the copy's id. */
  derived?: string;
  details: Record<string, string>;
}

export interface CustodyPeriod {
  holder: ActorInfo;
  status: 'held' | 'in-transit';
  /** Receiver for in-transit periods. */
  to?: ActorInfo;
  legalBasis?: string;
  from: number;
  fromSeq: number;
  fromTz: string;
  /** End of the period, or null if it lasts to the end of the record. */
  until: number | null;
  untilSeq: number | null;
}

export interface Timeline {
  exhibit: string;
  events: TimelineEvent[];
  periods: CustodyPeriod[];
  /** Final state according to the events shown. */
  holder: ActorInfo | null;
  status: 'held' | 'in-transit' | 'disposed' | 'unknown';
  /** The exhibit's annotations (disclosures, legal holds, erasures), which move nothing in its chain. */
  notes?: TimelineNote[];
}

/** An annotation of the exhibit (docs/PRIVACY.md): who recorded what, when. */
export interface TimelineNote {
  seq: number;
  kind: AnnotationKind;
  time: number;
  loggedAt: number;
  tz: string;
  actor: ActorInfo;
  details: Record<string, string>;
}
