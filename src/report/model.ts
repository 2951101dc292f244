/**
 * The admissibility report model: one plain-data description of a verified
 * exhibit (src/bundle/verdict.ts), rendered as text (text.ts), JSON (json.ts)
 * and printable HTML with an SVG custody picture (html.ts, svg.ts).
 *
 * Everything a reader is told is decided here, once: the verdict sentence, the
 * custody story, and above all the scope — what the verification proves and
 * what it does not. Scope statements are derived from the verdict and are only
 * made when the checks they rest on passed (see `deriveScope`). The JSON
 * rendering is this model as is; field names are part of the report format
 * `custody-report/v1` and documented on the interfaces below.
 *
 * Pure: no I/O. Every string copied from the verdict is attacker-controllable
 * (it comes from a bundle file); renderers must escape it (`visible` makes
 * control and bidirectional characters visible for display).
 */
import type { Check, ExhibitFacts, ExhibitVerdict } from '../bundle/verdict.js';
import type { Problem } from '../verify/report.js';
import type { ActorInfo, CustodyPeriod, Timeline, TimelineEvent } from './timeline.js';

export const REPORT_FORMAT = 'custody-report/v1';

export interface ReportMeta {
  tool: string;
  toolVersion: string;
  /** When the report was generated, UTC milliseconds. */
  generatedAt: number;
  /** The exact commands that repeat the verification. */
  commands: string[];
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
  kind: string;
  /** One line in plain words: "Handed over to X (legal basis: …)". */
  summary: string;
  actor: Party;
  time: TimeText;
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

export interface ReportModel {
  /** Always "custody-report/v1". */
  format: typeof REPORT_FORMAT;
  title: string;
  generatedAt: TimeText;
  source: { kind: 'bundle' | 'ledger'; name: string; bytes: number | null; origin: string; text: string };
  verdict: {
    status: 'VERIFIED' | 'NOT VERIFIED';
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
  checks: CheckRow[];
  problems: ProblemRow[];
  anchors: AnchorRow[];
  checkpoint: CheckpointInfo | null;
  actors: ActorRow[];
  method: Method;
  scope: Scope;
  certification: Certification;
}

// ---------------------------------------------------------------------------
// Formatting helpers (exported for the renderers and tests)

const DIGEST_NAMES: Record<string, string> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
};
const DIGEST_ORDER = ['sha256', 'sha512', 'sha1', 'md5'];

/** "sha256" → "SHA-256". */
export function digestName(alg: string): string {
  return DIGEST_NAMES[alg] ?? alg.toUpperCase();
}

function digestRows(d: Record<string, string>): DigestRow[] {
  const rank = (a: string) => {
    const i = DIGEST_ORDER.indexOf(a);
    return i < 0 ? DIGEST_ORDER.length : i;
  };
  return Object.keys(d)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((algorithm) => ({ algorithm, name: digestName(algorithm), hex: d[algorithm] ?? '' }));
}

/** 1234567 → "1,234,567". */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  const out = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${out}` : out;
}

export function sizeText(bytes: number): { bytes: number; text: string; human: string } {
  const text = `${groupDigits(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let human = text;
  if (Number.isFinite(bytes) && bytes >= 1024) {
    let v = bytes / 1024;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    human = `${v.toFixed(2)} ${units[u]}`;
  }
  return { bytes, text, human };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  if (formatters.has(zone)) return formatters.get(zone) ?? null;
  let f: Intl.DateTimeFormat | null = null;
  try {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch {
    f = null;
  }
  if (formatters.size < 1000) formatters.set(zone, f);
  return f;
}

/** A time in UTC and in `zone` (the signer's declared zone); falls back to UTC if the zone is unknown. */
export function timeText(ms: number, zone = 'UTC'): TimeText {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) {
    const bad = `invalid time (${String(ms)})`;
    return { ms, iso: '', utc: bad, local: bad, zone, zoneKnown: false };
  }
  const frac = d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3)}` : '';
  const utc = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} UTC`;
  const iso = d.toISOString();
  if (zone === 'UTC') return { ms, iso, utc, local: utc, zone, zoneKnown: true };
  const f = zoneFormatter(zone);
  if (!f) return { ms, iso, utc, local: `${utc} (time zone ${zone} unknown here)`, zone, zoneKnown: false };
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(d)) parts[p.type] = p.value;
  const offset = (parts['timeZoneName'] ?? 'GMT').replace(/^GMT/, 'UTC');
  const local = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}${frac} ${offset === 'UTC' ? 'UTC+00:00' : offset} (${zone})`;
  return { ms, iso, utc, local, zone, zoneKnown: true };
}

export function durationText(ms: number | null): DurationText {
  if (ms === null) return { ms, text: 'open (still lasting at the end of the record)' };
  if (!Number.isFinite(ms) || ms < 0) return { ms, text: `invalid (${String(ms)} ms)` };
  const s = Math.floor(ms / 1000);
  if (s === 0) return { ms, text: ms === 0 ? '0 s (same moment)' : `${ms} ms` };
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} ${d === 1 ? 'day' : 'days'}`);
  if (h) parts.push(`${h} h`);
  if (m && d < 30) parts.push(`${m} min`);
  if (sec && !d && !h) parts.push(`${sec} s`);
  return { ms, text: parts.join(' ') || '0 s' };
}

const UNSAFE_CHARS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for display: control characters, bidirectional overrides, invisible
 * formatting characters and lone surrogates are shown as "[U+XXXX]" so that
 * nothing in a record can hide or reorder what the reader sees. Newlines and
 * tabs are kept.
 */
export function visible(s: string): string {
  return s.replace(
    UNSAFE_CHARS,
    (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}

/** Fingerprint hex in groups of four. */
export function groupHex(h: string): string {
  return (h.match(/.{1,4}/g) ?? []).join(' ');
}

const party = (a: ActorInfo): Party => ({
  id: a.id,
  name: a.name,
  org: a.org,
  jurisdiction: a.jurisdiction,
  text: `${a.name} (${a.org}, ${a.jurisdiction})`,
});

/** Lanes of the custody picture: one per jurisdiction and organisation. */
export const laneKey = (p: Pick<Party, 'jurisdiction' | 'org'>): string => `${p.jurisdiction}\u0000${p.org}`;

// ---------------------------------------------------------------------------
// Classification of checks and problems (what each failure blocks)

/**
 * What a failed check or problem undermines. "core" failures (signatures,
 * chain, structure, anchor, custody rules, and anything this report does not
 * recognise) block every claim; the others block only the claims that rest on
 * them. Unknown check ids and codes are "core": the report errs on the side of
 * claiming less.
 */
export type Area = 'core' | 'checkpoint' | 'witness' | 'file' | 'recorded' | 'head';

export function checkArea(id: string): Area {
  const s = id.toLowerCase();
  if (/witness|cosign|quorum/.test(s)) return 'witness';
  if (/file/.test(s)) return 'file';
  if (/recorded|mismatch|seal/.test(s)) return 'recorded';
  if (/history-complete|head|last-event/.test(s)) return 'head';
  if (/checkpoint|inclusion|consisten/.test(s)) return 'checkpoint';
  return 'core';
}

export function problemArea(code: string): Area {
  if (/^(WITNESS_|COSIGNATURE_)/.test(code)) return 'witness';
  if (/^FILE_/.test(code)) return 'file';
  if (code === 'DIGEST_MISMATCH_RECORDED' || code === 'SEAL_BROKEN_RECORDED') return 'recorded';
  // The exhibit's record at the checkpoint (map proofs): only the "no later event" claim rests on it.
  if (/^EXHIBIT_(HEAD|RECORD)_MISMATCH$/.test(code)) return 'head';
  if (code === 'PROOF_INVALID') return 'checkpoint';
  if (code === 'CHECKPOINT_MISMATCH' || code === 'LOG_TRUNCATED') return 'core';
  if (/^(CHECKPOINT_|INCLUSION_|NOTE_)/.test(code)) return 'checkpoint';
  return 'core';
}

const CHECK_MEANING: Record<string, string> = {
  records:
    'Every record is in the one canonical encoding and well-formed, so each signature covers exactly one meaning.',
  signers: 'Every signer was enrolled by the authority, and was not revoked, when it signed.',
  'exhibit-links':
    "Every event of the exhibit (and of the exhibits it derives from) names the exhibit's previous event by its hash, from registration to the last event shown: none is missing.",
  openings:
    'Every name and free text shown opens the salted commitment that was signed, so it is the text the signer wrote; a field shown as withheld was not disclosed in this bundle.',
  'history-complete':
    "The ledger's state at the checkpoint, proven against the map root in the checkpoint's last entry, names the last event shown as the exhibit's last event: nothing was left out at the end.",
  'file-digests': 'The file you supplied has exactly the size and digests registered for the exhibit.',
  'bundle-structure':
    'The bundle file is complete and well-formed: every record is in the one canonical encoding, nothing is missing and nothing is left over.',
  'trust-anchor':
    'The ledger was founded by (or handed over to) an authority key that you supplied as trusted.',
  anchor: 'The ledger was founded by (or handed over to) an authority key that you supplied as trusted.',
  signatures:
    'Every entry carries a valid Ed25519 signature by the key of the person or office it names, so no entry was altered after it was signed.',
  'entry-signatures':
    'Every entry carries a valid Ed25519 signature by the key of the person or office it names, so no entry was altered after it was signed.',
  'hash-chain':
    'Every entry names the entry before it by its hash, so no entry was removed, inserted or reordered.',
  chain: 'Every entry names the entry before it by its hash, so no entry was removed, inserted or reordered.',
  'exhibit-chain':
    "Every event of the exhibit names the exhibit's previous event by its hash, so none of its events is missing.",
  'custody-rules':
    'Replayed in order, every event was allowed: only the holder handed the exhibit over, only the named receiver accepted it, hand-overs across borders name a legal basis, revoked keys signed nothing.',
  'checkpoint-signature':
    "The checkpoint (the log's signed statement of its size and Merkle root) is signed by the log's key.",
  inclusion:
    "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
  'inclusion-proofs':
    "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
  'inclusion-proof':
    "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
  'witness-quorum':
    'Enough independent witnesses cosigned the checkpoint, confirming that they were shown this same history and no conflicting one.',
  'recorded-integrity':
    'No receiver or examiner recorded a digest different from the registered one, and no seal was recorded as broken.',
  'file-digest': 'The file you supplied has exactly the digests registered for the exhibit.',
};

const AREA_MEANING: Record<Area, string> = {
  core: '',
  checkpoint: 'Concerns the signed checkpoint and the proofs that the entries are included in it.',
  witness: 'Concerns the independent witnesses who cosign checkpoints.',
  file: 'Concerns the evidence file you supplied.',
  recorded: 'Concerns digests and seals recorded by receivers and examiners.',
  head: "Concerns the log's statement that no later event of the exhibit exists.",
};

const VERDICT_TEXT: Record<Check['verdict'], string> = {
  pass: 'PASSED',
  fail: 'FAILED',
  'not-checked': 'NOT CHECKED',
};

// ---------------------------------------------------------------------------
// Timeline → rows

interface Ctx {
  v: ExhibitVerdict;
  registered: Record<string, string>;
  problemsBySeq: Map<number, Problem[]>;
  mismatches: Set<number>;
  brokenSeals: Set<number>;
}

function rehashOf(ev: TimelineEvent, ctx: Ctx): { result: RehashResult; algorithms: string[] } {
  const algorithms: string[] = [];
  let differs = false;
  let compared = 0;
  for (const [k, val] of Object.entries(ev.details)) {
    if (!k.startsWith('recomputed ')) continue;
    const alg = k.slice('recomputed '.length);
    algorithms.push(digestName(alg));
    const reg = ctx.registered[alg];
    if (reg === undefined) continue;
    compared++;
    if (reg.toLowerCase() !== val.toLowerCase()) differs = true;
  }
  if (differs || ctx.mismatches.has(ev.seq)) return { result: 'MISMATCH', algorithms };
  // Only a digest the registration recorded can match; another algorithm compares nothing.
  if (compared > 0) return { result: 'match', algorithms };
  return { result: algorithms.length ? 'not comparable' : 'not re-hashed', algorithms };
}

function sealOf(ev: TimelineEvent, ctx: Ctx): SealResult {
  if (ctx.brokenSeals.has(ev.seq) || ev.details['seal'] === 'broken') return 'broken';
  return ev.details['seal'] === 'intact' ? 'intact' : 'not recorded';
}

function eventSummary(ev: TimelineEvent, d: Record<string, string>): string {
  const who = `${ev.actor.name} (${ev.actor.org}, ${ev.actor.jurisdiction})`;
  switch (ev.kind) {
    case 'register':
      return ev.derived
        ? `${who} registered a derived copy, ${d['label'] ? `"${d['label']}" ` : ''}(${ev.derived})`
        : `Registered by ${who}`;
    case 'transfer':
      return `${who} handed it over to ${d['to'] ?? 'an unknown receiver'}${d['legalBasis'] ? ` (legal basis: ${d['legalBasis']})` : ''}`;
    case 'accept':
      return `Accepted by ${who}`;
    case 'reject':
      return `Rejected by ${who}${d['reason'] ? `: ${d['reason']}` : ''}`;
    case 'cancel':
      return `Hand-over cancelled by ${who}${d['reason'] ? `: ${d['reason']}` : ''}`;
    case 'examine':
      return `Examined by ${who}${d['action'] ? `: ${d['action']}` : ''}`;
    case 'dispose':
      return `Disposed of by ${who}${d['method'] ? ` (${d['method']})` : ''}`;
    default:
      return `${ev.kind} by ${who}`;
  }
}

function eventRow(ev: TimelineEvent, ctx: Ctx): EventRow {
  const probs = ctx.problemsBySeq.get(ev.seq) ?? [];
  const hasRehash = ev.kind === 'accept' || ev.kind === 'examine';
  const rehash = hasRehash && !ev.derived ? rehashOf(ev, ctx).result : null;
  const seal = ev.kind === 'accept' ? sealOf(ev, ctx) : null;
  const digestMismatch = ctx.mismatches.has(ev.seq) || rehash === 'MISMATCH';
  const sealBroken = ctx.brokenSeals.has(ev.seq) || seal === 'broken';
  return {
    seq: ev.seq,
    kind: ev.kind,
    summary: eventSummary(ev, ev.details),
    actor: party(ev.actor),
    time: timeText(ev.time, ev.tz),
    details: Object.entries(ev.details).map(([key, value]) => ({ key, value })),
    derivedExhibit: ev.derived ?? null,
    rehash,
    seal,
    problems: probs.map((p) => ({ code: p.code, severity: p.severity, message: p.message })),
    digestMismatch,
    sealBroken,
    flagged: digestMismatch || sealBroken || probs.some((p) => p.severity === 'error'),
  };
}

function tzOfSeq(t: Timeline, seq: number | null, fallback: string): string {
  if (seq === null) return fallback;
  return t.events.find((e) => e.seq === seq)?.tz ?? fallback;
}

function periodRows(t: Timeline): PeriodRow[] {
  return t.periods.map((p: CustodyPeriod, i) => {
    const holder = party(p.holder);
    const to = p.to ? party(p.to) : null;
    return {
      index: i + 1,
      status: p.status,
      holder,
      to,
      legalBasis: p.legalBasis ?? null,
      from: timeText(p.from, p.fromTz),
      fromSeq: p.fromSeq,
      until: p.until === null ? null : timeText(p.until, tzOfSeq(t, p.untilSeq, p.fromTz)),
      untilSeq: p.untilSeq,
      duration: durationText(p.until === null ? null : p.until - p.from),
      text:
        p.status === 'held'
          ? `held by ${holder.text}`
          : `in transit from ${holder.text} to ${to ? to.text : 'an unknown receiver'}`,
    };
  });
}

function handoverRows(t: Timeline, ctx: Ctx): HandoverRow[] {
  const rows: HandoverRow[] = [];
  for (const p of t.periods) {
    if (p.status !== 'in-transit') continue;
    const tr = t.events.find((e) => e.seq === p.fromSeq && e.kind === 'transfer');
    const end = p.untilSeq === null ? undefined : t.events.find((e) => e.seq === p.untilSeq);
    const from = party(p.holder);
    const to = p.to
      ? party(p.to)
      : party({ id: '', name: 'unknown receiver', org: 'unknown', jurisdiction: '??' });
    const outcome: HandoverRow['outcome'] =
      end?.kind === 'accept'
        ? 'accepted'
        : end?.kind === 'reject'
          ? 'rejected'
          : end?.kind === 'cancel'
            ? 'cancelled'
            : 'pending';
    const rh = end && outcome === 'accepted' ? rehashOf(end, ctx) : null;
    const codes = [
      ...(ctx.problemsBySeq.get(p.fromSeq) ?? []),
      ...(end ? (ctx.problemsBySeq.get(end.seq) ?? []) : []),
    ].map((x) => x.code);
    const d = tr?.details ?? {};
    rows.push({
      seq: p.fromSeq,
      from,
      to,
      sentAt: timeText(p.from, p.fromTz),
      reason: d['reason'] ?? null,
      method: d['method'] ?? null,
      seal: d['seal'] ?? null,
      legalBasis: p.legalBasis ?? d['legalBasis'] ?? null,
      crossBorder: from.jurisdiction !== to.jurisdiction,
      outcome,
      outcomeSeq: end ? end.seq : null,
      outcomeAt: end ? timeText(end.time, end.tz) : null,
      outcomeBy: end ? party(end.actor) : null,
      outcomeNote: end ? (end.details['reason'] ?? end.details['note'] ?? null) : null,
      acceptedByNamedReceiver: outcome === 'accepted' && end ? end.actor.id === to.id : null,
      rehash: rh ? rh.result : null,
      rehashAlgorithms: rh ? rh.algorithms : [],
      sealOnReceipt: end && outcome === 'accepted' ? sealOf(end, ctx) : null,
      transit: p.until === null ? null : durationText(p.until - p.from),
      problems: [...new Set(codes)],
    });
  }
  return rows;
}

function finalStateText(t: Timeline | null, periods: PeriodRow[]): string {
  if (!t) return 'No custody record is available for this exhibit.';
  const last = periods[periods.length - 1];
  switch (t.status) {
    case 'held':
      return last
        ? `At the end of the record the exhibit is held by ${last.holder.text}, since ${last.from.utc} (entry ${last.fromSeq}).`
        : 'At the end of the record the exhibit is held.';
    case 'in-transit':
      return last
        ? `At the end of the record the exhibit is in transit from ${last.holder.text} to ${last.to?.text ?? 'an unknown receiver'}, since ${last.from.utc} (entry ${last.fromSeq}); the receiver has not yet accepted it.`
        : 'At the end of the record the exhibit is in transit.';
    case 'disposed': {
      const ev = [...t.events].reverse().find((e) => e.kind === 'dispose');
      return ev
        ? `The exhibit was disposed of (${ev.details['method'] ?? 'method not recorded'}) by ${party(ev.actor).text} on ${timeText(ev.time, ev.tz).utc} (entry ${ev.seq}).`
        : 'The exhibit was disposed of.';
    }
    default:
      return 'The state of the exhibit at the end of the record is unknown.';
  }
}

function story(events: EventRow[], handovers: HandoverRow[]): string[] {
  const out: string[] = [];
  const byTransfer = new Map(handovers.map((h) => [h.seq, h]));
  const outcomes = new Set(handovers.map((h) => h.outcomeSeq).filter((s) => s !== null));
  for (const e of events) {
    if (outcomes.has(e.seq)) continue;
    const when = e.time.utc.slice(0, 10);
    const h = byTransfer.get(e.seq);
    let s: string;
    if (h) {
      s = `${when}: ${h.from.text} handed the exhibit to ${h.to.text}`;
      if (h.legalBasis) s += ` under ${h.legalBasis}`;
      if (h.outcome === 'accepted' && h.outcomeAt) {
        s += `; accepted ${h.outcomeAt.utc.slice(0, 10)}`;
        if (h.outcomeBy && !h.acceptedByNamedReceiver)
          s += ` by ${h.outcomeBy.text} (NOT the named receiver)`;
        s += `, digest ${h.rehash === 'match' ? 'matched' : h.rehash === 'MISMATCH' ? 'MISMATCH' : h.rehash}`;
        s += `, seal ${h.sealOnReceipt === 'broken' ? 'BROKEN' : (h.sealOnReceipt ?? 'not recorded')}`;
      } else if (h.outcome === 'pending') s += '; not yet accepted at the end of the record';
      else s += `; ${h.outcome}${h.outcomeNote ? ` (${h.outcomeNote})` : ''}`;
    } else {
      s = `${when}: ${e.summary}`;
      if (e.kind === 'examine' && e.rehash && e.rehash !== 'not re-hashed')
        s += `; digest ${e.rehash === 'match' ? 'matched' : e.rehash === 'MISMATCH' ? 'MISMATCH' : e.rehash}`;
    }
    if (e.flagged || (h?.problems.length ?? 0) > 0) s += ' [FLAGGED: see checks and problems]';
    out.push(s);
  }
  return out;
}

function custodyOf(t: Timeline | null, ctx: Ctx): Custody {
  if (!t)
    return {
      exhibitId: null,
      periods: [],
      handovers: [],
      events: [],
      finalState: finalStateText(null, []),
      story: [],
    };
  const periods = periodRows(t);
  const handovers = handoverRows(t, ctx);
  const events = t.events.map((e) => eventRow(e, ctx));
  // Outcome entries that carry problems flag their hand-over too.
  return {
    exhibitId: t.exhibit,
    periods,
    handovers,
    events,
    finalState: finalStateText(t, periods),
    story: story(events, handovers),
  };
}

// ---------------------------------------------------------------------------

function identification(x: ExhibitFacts): Identification {
  return {
    exhibitId: x.id,
    label: x.label,
    caseRef: x.caseRef,
    description: x.description,
    size: sizeText(x.size),
    digests: digestRows(x.digests),
    registration: {
      seq: x.registeredSeq,
      time: timeText(x.registeredAt, x.registeredTz),
      by: party(x.registeredBy),
    },
    seal: x.seal ?? null,
    location: x.location ?? null,
    seizedAt: x.seizedAt === undefined ? null : timeText(x.seizedAt, x.registeredTz),
    parent: x.parent ?? null,
  };
}

function lineage(v: ExhibitVerdict, custody: Custody): LineageRow[] {
  const rows: LineageRow[] = [];
  const x = v.exhibit;
  if (!x) return rows;
  const reg = (f: ExhibitFacts) => timeText(f.registeredAt, f.registeredTz);
  if (v.ancestors.length > 0 || custody.events.some((e) => e.derivedExhibit))
    rows.push({
      relation: 'this exhibit',
      exhibitId: x.id,
      label: x.label,
      caseRef: x.caseRef,
      registeredSeq: x.registeredSeq,
      registeredAt: reg(x),
      registeredBy: party(x.registeredBy),
      digests: digestRows(x.digests),
      text: `This exhibit, "${x.label}" (${x.id}), registered at entry ${x.registeredSeq} by ${party(x.registeredBy).text}${x.parent ? `, derived from ${x.parent}` : ''}.`,
      periods: [],
    });
  v.ancestors.forEach((a, i) => {
    const t = v.ancestorTimelines[i];
    const periods = t ? periodRows(t) : [];
    rows.push({
      relation: 'derived from',
      exhibitId: a.id,
      label: a.label,
      caseRef: a.caseRef,
      registeredSeq: a.registeredSeq,
      registeredAt: reg(a),
      registeredBy: party(a.registeredBy),
      digests: digestRows(a.digests),
      text: `${i === 0 ? 'Derived from' : 'which was derived from'} "${a.label}" (${a.id}), registered at entry ${a.registeredSeq} on ${reg(a).utc} by ${party(a.registeredBy).text}.`,
      periods,
    });
  });
  for (const e of custody.events) {
    if (!e.derivedExhibit) continue;
    const d = Object.fromEntries(e.details.map((r) => [r.key, r.value]));
    const digests: Record<string, string> = {};
    for (const alg of Object.keys(DIGEST_NAMES)) if (d[alg] !== undefined) digests[alg] = d[alg];
    rows.push({
      relation: 'derived copy',
      exhibitId: e.derivedExhibit,
      label: d['label'] ?? null,
      caseRef: d['case'] ?? null,
      registeredSeq: e.seq,
      registeredAt: e.time,
      registeredBy: e.actor,
      digests: digestRows(digests),
      text: `Copy ${d['label'] ? `"${d['label']}" ` : ''}(${e.derivedExhibit}) derived from this exhibit at entry ${e.seq} on ${e.time.utc} by ${e.actor.text}.`,
      periods: [],
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Verdict and scope

interface Findings {
  anchored: boolean;
  verified: boolean;
  failedChecks: Check[];
  notChecked: Check[];
  errorProblems: Problem[];
  blocked: Record<Area, string[]>;
}

function findings(v: ExhibitVerdict): Findings {
  // A pinned authority key or a pinned log key anchors the verdict (BUNDLE.md §Trust).
  const anchored = v.anchors.some((a) => (a.role === 'authority' || a.role === 'log') && a.matched);
  const failedChecks = v.checks.filter((c) => c.verdict === 'fail');
  const notChecked = v.checks.filter((c) => c.verdict === 'not-checked');
  const errorProblems = v.problems.filter((p) => p.severity === 'error');
  const blocked: Record<Area, string[]> = {
    core: [],
    checkpoint: [],
    witness: [],
    file: [],
    recorded: [],
    head: [],
  };
  for (const c of failedChecks) blocked[checkArea(c.id)].push(`the check "${c.title}" failed`);
  for (const c of notChecked)
    if (checkArea(c.id) === 'core') blocked.core.push(`the check "${c.title}" was not performed`);
  for (const p of errorProblems)
    blocked[problemArea(p.code)].push(`${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}: ${p.message}`);
  if (!anchored) blocked.core.push('no trusted authority key matched the record (not anchored)');
  if (!v.exhibit) blocked.core.push('the exhibit was not found in the record');
  if (!v.ok && failedChecks.length === 0 && errorProblems.length === 0)
    blocked.core.push('the verifier reported a failure without naming a failed check or problem');
  const coreNotChecked = notChecked.some((c) => checkArea(c.id) === 'core');
  const verified =
    v.ok &&
    anchored &&
    failedChecks.length === 0 &&
    errorProblems.length === 0 &&
    !coreNotChecked &&
    v.exhibit !== null;
  return { anchored, verified, failedChecks, notChecked, errorProblems, blocked };
}

function fingerprintOf(v: ExhibitVerdict): string {
  const a = v.anchors.find((x) => x.role === 'authority' && x.matched);
  return a ? `"${a.name}" (fingerprint ${groupHex(a.fingerprint)})` : 'no trusted key';
}

function verdictOf(v: ExhibitVerdict, f: Findings, file: FileInfo | null) {
  const name = v.exhibit ? `"${v.exhibit.label}" (${v.exhibit.id})` : 'the exhibit asked about';
  const reasons: string[] = [];
  for (const c of f.failedChecks) reasons.push(`Check failed: ${c.title} — ${c.detail}`);
  for (const p of f.errorProblems)
    reasons.push(`Problem ${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}: ${p.message}`);
  if (!f.anchored)
    reasons.push(
      'Not anchored: no authority key supplied as trusted matched this record, so anyone could have produced it.',
    );
  if (!v.exhibit) reasons.push('The exhibit was not found in the record.');
  for (const c of f.notChecked)
    if (checkArea(c.id) === 'core') reasons.push(`Check not performed: ${c.title} — ${c.detail}`);
  if (!v.ok && reasons.length === 0) reasons.push('The verifier reported a failure.');
  let sentence: string;
  if (f.verified) {
    const passed = v.checks.length - f.notChecked.length;
    const skipped = f.notChecked.length
      ? ` (${f.notChecked.length} not performed: ${f.notChecked.map((c) => c.title).join('; ')})`
      : '';
    sentence = `VERIFIED: ${passed === v.checks.length ? 'all ' : ''}${passed} checks passed${skipped} for exhibit ${name}: every entry of its custody record is signed by the key it names, no entry was altered, removed or reordered, and the record is anchored to the trusted authority key ${fingerprintOf(v)}`;
    sentence += file
      ? file.matches
        ? `, and the file "${file.name}" matches the registered digests.`
        : '.'
      : '; no evidence file was compared.';
  } else {
    const parts: string[] = [];
    if (f.failedChecks.length)
      parts.push(
        `${f.failedChecks.length} of ${v.checks.length} checks failed (${f.failedChecks.map((c) => c.title).join('; ')})`,
      );
    if (f.errorProblems.length)
      parts.push(
        `${f.errorProblems.length} problem${f.errorProblems.length === 1 ? ' was' : 's were'} found`,
      );
    if (!f.anchored) parts.push('the record is not anchored to a trusted authority key');
    if (!v.exhibit) parts.push('the exhibit was not found');
    const nc = f.notChecked.filter((c) => checkArea(c.id) === 'core');
    if (nc.length)
      parts.push(
        `${nc.length} essential check${nc.length === 1 ? ' was' : 's were'} not performed (${nc.map((c) => c.title).join('; ')})`,
      );
    if (parts.length === 0) parts.push('the verifier reported a failure');
    sentence = `NOT VERIFIED: for exhibit ${name}, ${parts.join(', and ')}${f.anchored ? `; the record is anchored to the trusted authority key ${fingerprintOf(v)}` : ''}.`;
  }
  return {
    status: f.verified ? ('VERIFIED' as const) : ('NOT VERIFIED' as const),
    verified: f.verified,
    anchored: f.anchored,
    sentence,
    reasons,
    checksPassed: v.checks.filter((c) => c.verdict === 'pass').length,
    checksFailed: f.failedChecks.length,
    checksNotChecked: f.notChecked.length,
    problemCount: v.problems.length,
  };
}

const because = (why: string[]) =>
  why.length
    ? ` Reason: ${why.slice(0, 3).join('; ')}${why.length > 3 ? `; and ${why.length - 3} more` : ''}.`
    : '';

function deriveScope(
  v: ExhibitVerdict,
  f: Findings,
  ident: Identification | null,
  custody: Custody,
  file: FileInfo | null,
  checkpoint: CheckpointInfo | null,
): Scope {
  const proven: string[] = [];
  const notProven: string[] = [];
  const core = f.blocked.core;
  const coreOk = core.length === 0 && ident !== null;
  const last = v.lastEventSeq;

  if (coreOk && ident) {
    const shown = v.entriesShown.length;
    proven.push(
      `Authenticity of the record: each of the ${shown} ${shown === 1 ? 'entry' : 'entries'} shown carries a valid Ed25519 signature by the key of the actor it names, each is proven (RFC 9162 inclusion proof) to sit at its position in the log the signed checkpoint commits to, the exhibit's events link one to the next, the events obey the custody rules, and the ledger "${v.origin}" chains back to the trusted authority key ${fingerprintOf(v)}.`,
    );
    const dg = ident.digests.find((d) => d.algorithm === 'sha256') ?? ident.digests[0];
    proven.push(
      `Registration: exhibit "${ident.label}" (${ident.exhibitId}) was registered at entry ${ident.registration.seq}, with the recorded time ${ident.registration.time.utc}, by the key enrolled for ${ident.registration.by.text}${dg ? `, with ${dg.name} ${dg.hex}` : ''}.`,
    );
  } else {
    notProven.push(
      `Authenticity of the record is NOT shown, so nothing below is proven about this exhibit's history.${because(core)}`,
    );
  }

  // The file in hand.
  if (!file) {
    notProven.push(
      'That any particular file is the evidence: no evidence file was compared with the registered digests in this verification.',
    );
  } else if (!file.matches || f.blocked.file.length > 0) {
    notProven.push(
      `That the file "${file.name}" is the registered evidence: its digests do NOT equal the registered ones.${because(f.blocked.file)}`,
    );
  } else if (coreOk && ident) {
    // Only collision-resistant digests identify the file; MD5 and SHA-1 are shown for comparison only.
    for (const d of file.digests.filter((x) => x.algorithm === 'sha256' || x.algorithm === 'sha512')) {
      const reg = ident.digests.find((r) => r.algorithm === d.algorithm);
      if (!reg || reg.hex.toLowerCase() !== d.hex.toLowerCase()) continue;
      proven.push(
        `Identity of the file: the ${d.name} of the file "${file.name}" (${file.size.text}) is ${d.hex}, which equals the digest registered on ${ident.registration.time.utc} (entry ${ident.registration.seq}) by ${ident.registration.by.text}.`,
      );
    }
  } else {
    notProven.push(
      `That the file "${file.name}" is the registered evidence: its digests equal the digests in the record, but the record itself is not shown to be authentic.`,
    );
  }

  // Continuity of custody.
  const hs = custody.handovers;
  const accepted = hs.filter((h) => h.outcome === 'accepted');
  const wrongAcceptor = accepted.filter((h) => !h.acceptedByNamedReceiver);
  const mismatched = custody.events.filter((e) => e.digestMismatch).map((e) => e.seq);
  const broken = custody.events.filter((e) => e.sealBroken).map((e) => e.seq);
  const recordedIssues = [
    ...f.blocked.recorded,
    ...mismatched.map((s) => `entry ${s} recorded a digest different from the registered one`),
    ...broken.map((s) => `entry ${s} recorded a broken seal`),
    ...v.recordedMismatches
      .filter((s) => !mismatched.includes(s))
      .map((s) => `digest mismatch recorded at entry ${s}`),
    ...v.recordedBrokenSeals
      .filter((s) => !broken.includes(s))
      .map((s) => `broken seal recorded at entry ${s}`),
    ...wrongAcceptor.map(
      (h) => `the hand-over at entry ${h.seq} was accepted by someone other than the named receiver`,
    ),
  ];
  if (coreOk && recordedIssues.length === 0) {
    const returned = hs.filter((h) => h.outcome === 'rejected' || h.outcome === 'cancelled');
    const pending = hs.filter((h) => h.outcome === 'pending');
    let s = `Continuity of custody within the record: custody was continuous from registration (entry ${ident?.registration.seq}) to entry ${last ?? '?'}`;
    if (hs.length === 0) s += '; the exhibit was never handed over';
    else {
      s += `: every hand-over was accepted by the receiver named in it (${accepted.length} of ${hs.length})`;
      if (returned.length)
        s += `, except ${returned.length} that ${returned.length === 1 ? 'was' : 'were'} rejected or cancelled, returning custody to the sender`;
    }
    if (pending.length)
      s += `; the last hand-over (entry ${pending[pending.length - 1]?.seq}) is still awaiting acceptance at the end of the record`;
    proven.push(`${s}.`);
    const rehashed = accepted.filter((h) => h.rehash === 'match');
    const notRehashed = accepted.filter((h) => h.rehash !== 'match');
    if (accepted.length)
      proven.push(
        `Integrity at hand-over: ${rehashed.length} of ${accepted.length} receivers re-computed the digest on receipt and it matched the registered one${rehashed.length ? ` (entries ${rehashed.map((h) => h.outcomeSeq).join(', ')})` : ''}${notRehashed.length ? `; at entries ${notRehashed.map((h) => h.outcomeSeq).join(', ')} no digest was re-computed` : ''}. No seal was recorded as broken.`,
      );
  } else if (coreOk) {
    notProven.push(
      `Continuity and integrity of custody are NOT shown.${because(recordedIssues)} The recorded facts are genuine entries: the evidence may have changed, and what happened must be established from other sources.`,
    );
  } else if (recordedIssues.length) {
    notProven.push(
      `Continuity and integrity of custody are NOT shown; moreover the record itself reports a problem.${because(recordedIssues)}`,
    );
  }

  // Completeness up to a signed checkpoint.
  const cpBlocked = f.blocked.checkpoint;
  if (coreOk && checkpoint?.signedBy && cpBlocked.length === 0) {
    proven.push(
      `Completeness: the history of this exhibit is complete from registration (entry ${ident?.registration.seq}) to entry ${last ?? '?'}, and these entries are included in the checkpoint of size ${checkpoint.size} (root ${checkpoint.root}) signed by the ${checkpoint.signedBy.text}.`,
    );
    const wOk = f.blocked.witness.length === 0 && checkpoint.quorum > 0 && checkpoint.quorumMet;
    if (wOk)
      proven.push(
        `Independent confirmation: ${checkpoint.witnessesVerified} witness${checkpoint.witnessesVerified === 1 ? '' : 'es'} (${checkpoint.witnesses
          .filter((w) => w.verified)
          .map((w) => w.name)
          .join(
            ', ',
          )}) cosigned this checkpoint, meeting the required quorum of ${checkpoint.quorum}: they were shown this history, not a different one.`,
      );
    else
      notProven.push(
        checkpoint.quorum === 0
          ? 'Independent confirmation of the checkpoint: no witness cosignatures were required or checked, so it is not shown that others were shown the same history (a split view is not excluded).'
          : `Independent confirmation of the checkpoint: only ${checkpoint.witnessesVerified} of the ${checkpoint.quorum} required witnesses cosigned it, so it is not shown that others were shown the same history (a split view is not excluded).${because(f.blocked.witness)}`,
      );
  } else if (coreOk && !checkpoint) {
    proven.push(
      `Completeness within this copy: in the ledger copy verified, the history of this exhibit is complete from registration (entry ${ident?.registration.seq}) to entry ${last ?? '?'}.`,
    );
    notProven.push(
      'That others were shown the same history: no signed checkpoint was verified, so the ledger copy could have been rewritten as a whole by whoever controls it.',
    );
  } else if (coreOk) {
    notProven.push(
      `Completeness of the history up to a signed checkpoint is NOT shown.${because(cpBlocked.length ? cpBlocked : ['the checkpoint is not signed by a log key'])}`,
    );
  } else if (
    checkpoint &&
    (f.blocked.witness.length > 0 || (checkpoint.quorum > 0 && !checkpoint.quorumMet))
  ) {
    notProven.push(
      `Independent confirmation of the checkpoint: ${checkpoint.witnessesVerified} of the ${checkpoint.quorum} required witnesses cosigned it.${because(f.blocked.witness)}`,
    );
  }

  // Nothing after the last event (the exhibit's record at the checkpoint, proven in the state map).
  const headChecks = v.checks.filter((c) => checkArea(c.id) === 'head');
  const headProven =
    coreOk &&
    checkpoint !== null &&
    headChecks.length > 0 &&
    headChecks.every((c) => c.verdict === 'pass') &&
    f.blocked.head.length === 0;
  if (headProven && checkpoint)
    proven.push(
      `No later event: the state map committed in the checkpointed log names entry ${last ?? '?'} as the last event of this exhibit among the first ${checkpoint.size} entries of the log.`,
    );
  else if (headChecks.some((c) => c.verdict !== 'pass') || f.blocked.head.length > 0)
    notProven.push(
      `That entry ${last ?? '?'} is this exhibit's last event up to the checkpoint: ${
        headChecks.some((c) => c.verdict === 'fail') || f.blocked.head.length > 0
          ? 'the exhibit record at the checkpoint did not verify'
          : 'the bundle does not prove the exhibit record at the checkpoint'
      }, so later events of the exhibit may have been left out.${because(f.blocked.head)}`,
    );

  // Lineage.
  if (coreOk && v.ancestors.length > 0) {
    const chain = v.ancestors
      .map((a) => `"${a.label}" (${a.id}, registered at entry ${a.registeredSeq})`)
      .join(', derived in turn from ');
    proven.push(
      `Lineage: this exhibit is recorded as derived from ${chain}; the derivation was registered by ${ident?.registration.by.text} at entry ${ident?.registration.seq}.`,
    );
  }

  // The limits of any such record (always stated).
  const reg = ident ? ` (entry ${ident.registration.seq}, ${ident.registration.time.utc})` : '';
  notProven.push(
    `What happened before registration${reg}: the seizure itself, and any handling of the evidence before it was registered, are outside the record.`,
    'The truth of what the entries say: descriptions, labels, reasons, seal numbers, places, notes and legal-basis references are statements by the person who signed them; the record proves who made each statement, not that it is true or that the legal basis is valid.',
    "The times: every time is the time claimed when the entry was written (the signer's or the ledger's clock); the record proves the order of the entries, not that any clock was right.",
    "That the people behind the keys are who the entries say: the record proves which key signed each entry; that a key belongs to a named person rests on the authority's enrolment and on each person keeping their key to themselves.",
    checkpoint
      ? headProven
        ? `Events after the checkpoint: anything recorded after the checkpoint of size ${checkpoint.size} is not covered.`
        : `Events after the checkpoint: anything recorded after entry ${last ?? '?'} (the last event shown) or after the checkpoint of size ${checkpoint.size} is not covered.`
      : `Events after entry ${last ?? '?'}: anything recorded after the last event shown, or after this verification, is not covered.`,
    'Physical custody outside the record: where the evidence physically was, and who could reach it, between entries.',
  );
  return { proven, notProven };
}

// ---------------------------------------------------------------------------

function methodOf(meta: ReportMeta, ident: Identification | null): Method {
  const weak = (ident?.digests ?? []).filter((d) => d.algorithm === 'md5' || d.algorithm === 'sha1');
  return {
    tool: meta.tool,
    toolVersion: meta.toolVersion,
    algorithms: [
      {
        name: 'Ed25519',
        standard: 'RFC 8032 (PureEd25519)',
        use: 'signature on every entry, checkpoint and cosignature',
      },
      {
        name: 'SHA-256',
        standard: 'FIPS 180-4',
        use: 'digest of the evidence file; leaf hash of every entry, statement identities, commitments and the state map',
      },
      {
        name: 'Merkle tree',
        standard: 'RFC 9162 (Certificate Transparency v2), section 2.1',
        use: 'inclusion of entries in a checkpoint',
      },
      {
        name: 'Checkpoint',
        standard: 'C2SP tlog-checkpoint, signed with C2SP signed-note',
        use: "the log's signed statement of its size and root",
      },
      {
        name: 'Witness cosignature',
        standard: 'C2SP tlog-cosignature',
        use: 'independent confirmation of a checkpoint',
      },
      {
        name: 'Record encoding',
        standard: 'canonical MessagePack, as specified in docs/FORMAT.md',
        use: 'the exact bytes that are signed and hashed',
      },
    ],
    notes: weak.length
      ? [
          `${weak.map((d) => d.name).join(' and ')} ${weak.length === 1 ? 'is' : 'are'} shown only for comparison with other tools; no finding rests on ${weak.length === 1 ? 'it' : 'them'} (collisions can be constructed).`,
        ]
      : [],
  };
}

function certificationOf(
  v: ExhibitVerdict,
  meta: ReportMeta,
  verdict: ReportModel['verdict'],
  ident: Identification | null,
  generated: TimeText,
  file: FileInfo | null,
): Certification {
  const what = ident
    ? `exhibit "${ident.label}" (${ident.exhibitId}), case ${ident.caseRef}`
    : 'the exhibit named in this report';
  const src =
    v.source.kind === 'bundle'
      ? `the evidence bundle "${v.source.name}"${v.source.bytes !== undefined ? ` (${sizeText(v.source.bytes).text})` : ''}`
      : `the custody ledger "${v.source.name}"`;
  const paragraphs = [
    'I, [full name], [position] at [organisation], am qualified by [training and experience] to carry out and explain the verification described in this report.',
    `On [date] I verified ${src} for ${what}, using ${meta.tool} version ${meta.toolVersion}. The verification identifies electronic data by a process of digital identification: the evidence file by its SHA-256 digest (FIPS 180-4), and each entry of the custody record by its SHA-256 hash and Ed25519 signature (RFC 8032). This report was generated on ${generated.utc}.`,
    verdict.verified
      ? `The result was VERIFIED. ${file?.matches ? `The file "${file.name}" that I examined has the digests registered for the exhibit. ` : ''}What the verification proves, and what it does not prove, is stated in the section "Scope" of this report, which forms part of this certification.`
      : `The result was NOT VERIFIED: ${verdict.reasons.length} finding${verdict.reasons.length === 1 ? '' : 's'} (listed in full under "Checks" and "Problems") prevent${verdict.reasons.length === 1 ? 's' : ''} verification. I do not certify the integrity or the continuity of custody of this exhibit. What can and cannot be concluded is stated in the section "Scope" of this report.`,
    `The verification is repeatable. An independent person who obtains the same ${v.source.kind === 'bundle' ? 'bundle file' : 'ledger'}${file ? ' and evidence file' : ''}, and the authority public key through an official channel (comparing its fingerprint out of band), and who runs the commands below with this or any other implementation of the published format, will obtain the same result (ACPO Good Practice Guide for Digital Evidence, principle 3: an audit trail that an independent third party can examine and achieve the same result).`,
    'I make this certification [in the spirit of US Federal Rule of Evidence 902(14), records of electronic data authenticated by a process of digital identification, subject to the notice requirements of Rule 902(11) / under the corresponding rule of the jurisdiction concerned]. [Adapt to the applicable law before signing.]',
  ];
  return {
    heading: 'Certification (template: a qualified person adapts and signs it)',
    paragraphs,
    commands: [...meta.commands],
    signatureLines: [
      'Signature: ______________________',
      'Name and position: ______________________',
      'Date and place: ______________________',
    ],
  };
}

export function buildReportModel(v: ExhibitVerdict, meta: ReportMeta): ReportModel {
  const problemsBySeq = new Map<number, Problem[]>();
  for (const p of v.problems) {
    if (p.seq === null) continue;
    const list = problemsBySeq.get(p.seq) ?? [];
    list.push(p);
    problemsBySeq.set(p.seq, list);
  }
  const ctx: Ctx = {
    v,
    registered: v.exhibit?.digests ?? {},
    problemsBySeq,
    mismatches: new Set(v.recordedMismatches),
    brokenSeals: new Set(v.recordedBrokenSeals),
  };
  const f = findings(v);
  const ident = v.exhibit ? identification(v.exhibit) : null;
  const file: FileInfo | null = v.file
    ? {
        name: v.file.name,
        size: sizeText(v.file.size),
        digests: digestRows(v.file.digests),
        matches: v.file.matches,
      }
    : null;
  const custody = custodyOf(v.timeline, ctx);
  const cp = v.checkpoint;
  const checkpoint: CheckpointInfo | null = cp
    ? (() => {
        const verified = cp.witnesses.filter((w) => w.verified).length;
        const signedBy = cp.signedBy ? party(cp.signedBy) : null;
        return {
          size: cp.size,
          root: cp.root,
          signedBy,
          witnesses: cp.witnesses.map((w) => ({ name: w.name, verified: w.verified })),
          witnessesVerified: verified,
          quorum: cp.quorum,
          quorumMet: verified >= cp.quorum,
          text: `checkpoint of size ${cp.size}, root ${cp.root}, ${signedBy ? `signed by the ${signedBy.text}` : 'NOT signed by a known log key'}; ${verified} of ${cp.quorum} required witness cosignatures verified`,
        };
      })()
    : null;
  const generatedAt = timeText(meta.generatedAt, 'UTC');
  const verdict = verdictOf(v, f, file);
  const model: ReportModel = {
    format: REPORT_FORMAT,
    title: ident
      ? `Custody verification report: ${ident.label} (${ident.exhibitId})`
      : 'Custody verification report',
    generatedAt,
    source: {
      kind: v.source.kind,
      name: v.source.name,
      bytes: v.source.bytes ?? null,
      origin: v.origin,
      text:
        v.source.kind === 'bundle'
          ? `evidence bundle "${v.source.name}"${v.source.bytes !== undefined ? ` (${sizeText(v.source.bytes).text})` : ''} from ledger "${v.origin}"`
          : `live ledger "${v.source.name}" (origin "${v.origin}")`,
    },
    verdict,
    identification: ident,
    file,
    custody,
    lineage: lineage(v, custody),
    checks: v.checks.map((c) => ({
      id: c.id,
      title: c.title,
      verdict: c.verdict,
      verdictText: VERDICT_TEXT[c.verdict] ?? String(c.verdict).toUpperCase(),
      detail: c.detail,
      meaning: CHECK_MEANING[c.id] ?? AREA_MEANING[checkArea(c.id)],
    })),
    problems: v.problems.map((p) => ({
      code: p.code,
      severity: p.severity,
      seq: p.seq,
      exhibit: p.exhibit,
      message: p.message,
      text: `${p.severity === 'error' ? 'PROBLEM' : 'warning'} ${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}${p.exhibit ? ` (exhibit ${p.exhibit})` : ''}: ${p.message}`,
    })),
    anchors: v.anchors.map((a) => ({
      role: a.role,
      name: a.name,
      publicKey: a.publicKey,
      fingerprint: a.fingerprint,
      fingerprintGrouped: groupHex(a.fingerprint),
      matched: a.matched,
    })),
    checkpoint,
    actors: v.actors.map((a) => ({
      ...party(a),
      roles: [...a.roles],
      publicKey: a.publicKey,
      enrolledSeq: a.enrolledSeq,
      revokedSeq: a.revokedSeq ?? null,
    })),
    method: methodOf(meta, ident),
    scope: deriveScope(v, f, ident, custody, file, checkpoint),
    certification: certificationOf(v, meta, verdict, ident, generatedAt, file),
  };
  return model;
}
