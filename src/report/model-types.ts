/**
 * The shape of the report model, format `custody-report/v1`. The JSON
 * rendering is this model as is, so every field name below is part of the
 * report format and documented where it is declared; changing one changes
 * the format.
 */

import type { Check } from '../bundle/verdict.js';
import type { Problem, Verdict } from '../findings.js';
import type { ChainKind } from '../format/kinds.js';
import type { Language } from './i18n.js';
import type { Guarantee } from './model-guarantees.js';

export const REPORT_FORMAT = 'custody-report/v1';

export interface ReportMeta {
  tool: string;
  toolVersion: string;
  /** When the report was generated, UTC milliseconds. */
  generatedAt: number;
  /** The exact commands that repeat the verification. */
  commands: string[];
  /** SHA-256 (hex) of the verifier page of the release that made the report, when it is at hand. */
  verifierPageSha256?: string | null;
  /** A report made by the verifier page itself: the SHA-256 of the page's embedded code. */
  verifierCodeSha256?: string;
  /** SHA-256 (hex) of the bundle file verified. */
  bundleSha256?: string | null;
  /** The legal framing of the declaration (default eu). */
  framing?: 'eu' | 'us' | 'uk';
  /** The language of the report's wording (default en; docs/VERIFYING.md §Languages). */
  lang?: Language;
}

/**
 * Where the report's evidence comes from (docs/VERIFYING.md §Reports): which release made it,
 * the published verifier page of that release, the bundle it verified and when. The evidence is
 * the bundle, checked with a verifier obtained independently; the report proves nothing alone.
 */
export interface Provenance {
  tool: string;
  toolVersion: string;
  verifierPageSha256: string | null;
  verifierCodeSha256: string | null;
  bundleSha256: string | null;
  verifiedAt: TimeText;
  text: string;
}

/** A point in time, in UTC and in the signer's declared time zone. */
export interface TimeText {
  /** UTC milliseconds as recorded (a claim of the signer's clock). */
  ms: number;
  /** ISO 8601, e.g. "2024-03-04T07:02:00.000Z" ("" if the time is not representable). */
  iso: string;
  /** "2024-03-04 07:02:00 UTC". */
  utc: string;
  /** "2024-03-04 08:02:00 UTC+01:00 (Europe/Amsterdam)", or the UTC text if the zone is unknown here. */
  local: string;
  /** The declared IANA time zone name. */
  zone: string;
  /** False when this system does not know the zone; `local` is then the UTC text. */
  zoneKnown: boolean;
}

export interface DurationText {
  /** Milliseconds, or null for a period still open at the end of the record. */
  ms: number | null;
  /** "3 days 4 h 10 min", "0 s (same moment)", "open (still lasting at the end of the record)". */
  text: string;
}

export interface Party {
  id: string;
  name: string;
  org: string;
  jurisdiction: string;
  /** "Name (Org, NL)". */
  text: string;
}

export interface DigestRow {
  /** Wire name: "sha256". */
  algorithm: string;
  /** Display name: "SHA-256". */
  name: string;
  /** Lowercase hex. */
  hex: string;
}

export interface Identification {
  exhibitId: string;
  label: string;
  caseRef: string;
  description: string;
  size: { bytes: number; text: string; human: string };
  digests: DigestRow[];
  registration: { seq: number; time: TimeText; by: Party };
  seal: string | null;
  location: string | null;
  seizedAt: TimeText | null;
  /** Exhibit id of the exhibit this one was derived from, if any. */
  parent: string | null;
  /**
   * What the registration says the evidence is (register body version 2: a folder, a segment
   * set, a device; digests reported by an acquisition tool), in words; null when it says nothing
   * more than a file.
   */
  evidence: string | null;
}

/**
 * A non-conformity opened on the exhibit (ISO/IEC 17025 §7.10, docs/CUSTODY-RULES.md
 * §Non-conformities): a seal recorded broken or a re-computed SHA-256 that differed, at `seq`;
 * still open, or resolved by a signed `resolve` (its entry, time, signer and action).
 */
export interface NonconformityRow {
  seq: number;
  kind: 'seal-broken' | 'digest-mismatch';
  time: TimeText;
  open: boolean;
  resolvedSeq: number | null;
  resolvedAt: TimeText | null;
  resolvedBy: Party | null;
  /** The action the resolution recorded (committed text; "withheld" when not revealed). */
  action: string | null;
  text: string;
}

/** The exhibit's non-conformities: what opens one, then each, in log order. */
export interface Nonconformities {
  intro: string;
  rows: NonconformityRow[];
}

/** 'not comparable': re-hashed only with algorithms the registration did not record. */
export type RehashResult = 'match' | 'MISMATCH' | 'not re-hashed' | 'not comparable';
export type SealResult = 'intact' | 'broken' | 'not recorded';

export interface PeriodRow {
  /** 1-based position in the custody timeline. */
  index: number;
  status: 'held' | 'in-transit';
  holder: Party;
  /** Receiver, for in-transit periods. */
  to: Party | null;
  legalBasis: string | null;
  from: TimeText;
  fromSeq: number;
  until: TimeText | null;
  untilSeq: number | null;
  duration: DurationText;
  /** "held by X" / "in transit from X to Y". */
  text: string;
}

export interface HandoverRow {
  /** Entry number of the transfer. */
  seq: number;
  from: Party;
  to: Party;
  sentAt: TimeText;
  reason: string | null;
  method: string | null;
  seal: string | null;
  legalBasis: string | null;
  /** Sender and receiver are enrolled in different jurisdictions. */
  crossBorder: boolean;
  outcome: 'accepted' | 'rejected' | 'cancelled' | 'pending';
  outcomeSeq: number | null;
  outcomeAt: TimeText | null;
  outcomeBy: Party | null;
  /** Reason given for a rejection or cancellation, or the receiver's note. */
  outcomeNote: string | null;
  /** For accepted hand-overs: whether the signer of the acceptance is the receiver named in the transfer. */
  acceptedByNamedReceiver: boolean | null;
  /** For accepted hand-overs: the receiver's re-hash and seal findings. */
  rehash: RehashResult | null;
  rehashAlgorithms: string[];
  sealOnReceipt: SealResult | null;
  transit: DurationText | null;
  /** Problem codes at the transfer or its outcome entry. */
  problems: string[];
}

export interface EventRow {
  seq: number;
  kind: ChainKind;
  /** One line in plain words: "Handed over to X (legal basis: …)". */
  summary: string;
  actor: Party;
  /** The time the signer claims (signed). */
  time: TimeText;
  /** The log's time of the entry: when the ledger appended it (later than claimed for a statement signed offline). */
  logged: TimeText;
  details: { key: string; value: string }[];
  /** For registrations of copies derived from this exhibit: the copy's id. */
  derivedExhibit: string | null;
  rehash: RehashResult | null;
  seal: SealResult | null;
  problems: { code: string; severity: string; message: string }[];
  digestMismatch: boolean;
  sealBroken: boolean;
  /** True when any error problem, recorded mismatch or broken seal concerns this entry. */
  flagged: boolean;
}

export interface Custody {
  exhibitId: string | null;
  periods: PeriodRow[];
  handovers: HandoverRow[];
  events: EventRow[];
  /** Final state in words: "held by X (…) since …". */
  finalState: string;
  /** The story in numbered plain sentences, oldest first. */
  story: string[];
  /** Disclosures, legal holds and erasures of the exhibit, oldest first (docs/PRIVACY.md). */
  notes: NoteRow[];
}

/** An annotation of the exhibit: it moves nothing in custody, but says who saw or erased what. */
export interface NoteRow {
  seq: number;
  kind: string;
  summary: string;
  actor: Party;
  time: TimeText;
  logged: TimeText;
  details: { key: string; value: string }[];
}

export interface LineageRow {
  relation: 'this exhibit' | 'derived from' | 'derived copy';
  exhibitId: string;
  label: string | null;
  caseRef: string | null;
  registeredSeq: number | null;
  registeredAt: TimeText | null;
  registeredBy: Party | null;
  digests: DigestRow[];
  text: string;
  /** Custody periods of an ancestor (empty for this exhibit and for copies). */
  periods: PeriodRow[];
}

export interface CheckRow {
  id: string;
  title: string;
  verdict: Check['verdict'];
  /** "PASSED" / "FAILED" / "NOT CHECKED". */
  verdictText: string;
  /** The verifier's own words: what was checked, or why it failed / was not checked. */
  detail: string;
  /** What the check means, in plain words (empty for checks this report does not know). */
  meaning: string;
}

export interface ProblemRow {
  code: string;
  severity: Problem['severity'];
  seq: number | null;
  exhibit: string | null;
  message: string;
  /** "PROBLEM SIGNATURE_INVALID at entry 13 (exhibit EX-…): message". */
  text: string;
}

export interface AnchorRow {
  role: string;
  name: string;
  publicKey: string;
  /** SHA-256 of the 32 key bytes, hex. */
  fingerprint: string;
  /** The same, in groups of four for reading aloud: "ab12 cd34 …". */
  fingerprintGrouped: string;
  matched: boolean;
}

export interface ActorRow extends Party {
  roles: string[];
  publicKey: string;
  enrolledSeq: number;
  revokedSeq: number | null;
}

export interface CheckpointInfo {
  size: number;
  root: string;
  signedBy: Party | null;
  witnesses: { name: string; verified: boolean }[];
  witnessesVerified: number;
  quorum: number;
  quorumMet: boolean;
  /** Auditors asked for (their cosignature: they replayed the log and every rule and map root holds). */
  auditors: { name: string; verified: boolean }[];
  auditorQuorum: number;
  auditorQuorumMet: boolean;
  /**
   * Only when the relying party asks for post-quantum cosignatures: how many (its pqQuorum), and
   * the ML-DSA-44 cosigners among those that count whose lines verified.
   */
  pqQuorum?: number;
  pqCosigned?: string[];
  /** As of when the result holds: the newest verified cosignature (its signer's clock), or null. */
  cosignedAt: string | null;
  cosignedBy: string[];
  /** What content and order, signer identity and time each rest on (./model-guarantees.ts). */
  guarantees: Guarantee[];
  text: string;
}

export interface FileInfo {
  name: string;
  size: { bytes: number; text: string; human: string };
  digests: DigestRow[];
  matches: boolean;
}

export interface Method {
  tool: string;
  toolVersion: string;
  algorithms: { name: string; standard: string; use: string }[];
  /** Notes on weak digests shown for comparison only, if any. */
  notes: string[];
}

export interface Scope {
  /** Statements the verification proves; each rests only on checks that passed. */
  proven: string[];
  /** What is not proven (always including the limits of any such record). */
  notProven: string[];
}

export interface Certification {
  heading: string;
  paragraphs: string[];
  commands: string[];
  signatureLines: string[];
}

/** The validation appendix (docs/VALIDATION.md): the verifier, what is tested, known limitations. */
export interface Validation {
  heading: string;
  /** Which release made the report and the hash that identifies its verifier page. */
  identity: string;
  testedHeading: string;
  /** The suites every change passed before it landed, one sentence each. */
  tested: string[];
  limitsHeading: string;
  limits: string[];
}

export interface ReportModel {
  /** Always "custody-report/v1". */
  format: typeof REPORT_FORMAT;
  /** The language of every sentence below (en, fr, de, nl); field names and codes stay as documented. */
  lang: Language;
  /** In a translated report, the note that the legal meaning rests on the original-language record; null in English. */
  translationNote: string | null;
  title: string;
  generatedAt: TimeText;
  provenance: Provenance;
  source: { kind: 'bundle' | 'ledger'; name: string; bytes: number | null; origin: string; text: string };
  verdict: {
    status: 'VERIFIED' | 'NOT VERIFIED';
    /**
     * The verdict of the contract every verifying command shares (docs/CLI.md
     * §Verdicts): VERIFIED exactly when `status` is, else why not.
     */
    outcome: Verdict;
    verified: boolean;
    /** The record chains back to an authority key the caller supplied as trusted. */
    anchored: boolean;
    /** One sentence in plain words. */
    sentence: string;
    /** Why, one reason per line (failed checks, problems, missing anchor). */
    reasons: string[];
    checksPassed: number;
    checksFailed: number;
    checksNotChecked: number;
    problemCount: number;
  };
  identification: Identification | null;
  file: FileInfo | null;
  custody: Custody;
  lineage: LineageRow[];
  /** Null when none was ever opened on the exhibit. */
  nonconformities: Nonconformities | null;
  checks: CheckRow[];
  problems: ProblemRow[];
  anchors: AnchorRow[];
  checkpoint: CheckpointInfo | null;
  actors: ActorRow[];
  method: Method;
  scope: Scope;
  certification: Certification;
  validation: Validation;
}
