/**
 * Hand-built verdicts for the report tests: a realistic three-jurisdiction case.
 *
 * Insp. de Vries (Politie, NL) seizes and registers a hard disk image; it goes
 * to the NFI (NL) for examination, where a working copy is derived; then to the
 * BKA (DE) under a European Investigation Order; then to the Tribunal judiciaire
 * de Paris (FR) under a Joint Investigation Team agreement.
 *
 * Timelines are built with the real `buildTimeline` from payloads, so the
 * fixtures have exactly the shape the bundle verifier will produce.
 */

import type { Check, ExhibitFacts, ExhibitVerdict, TrustAnchor } from '../../src/bundle/verdict.js';
import { toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { ActorRecord } from '../../src/custody/state.js';
import type { Digests, Payload, Role } from '../../src/format/events.js';
import { exhibitIdFromBytes, keyId } from '../../src/format/ids.js';
import type { ReportMeta } from '../../src/report/model.js';
import { buildTimeline, type Timeline } from '../../src/report/timeline.js';
import type { Problem } from '../../src/verify/report.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const ZERO = new Uint8Array(32);
export const t = (iso: string) => Date.parse(iso);

export interface Person {
  key: string;
  name: string;
  org: string;
  jurisdiction: string;
  tz: string;
  roles: Role[];
}

export interface CaseOptions {
  /** Overrides for people, by key. */
  people?: Partial<Record<string, Partial<Person>>>;
  label?: string;
  caseRef?: string;
  description?: string;
  seal?: string;
  location?: string;
  eio?: string;
  jit?: string;
  reason?: string;
  /** Recomputed sha256 at the French court's acceptance (entry 14) differs. */
  courtMismatch?: boolean;
}

export const DIGESTS = {
  sha256: toHex(sha256(utf8('HDD01 raw image'))),
  md5: toHex(sha256(utf8('HDD01 md5'))).slice(0, 32),
};
export const COPY_DIGESTS = { sha256: toHex(sha256(utf8('HDD01 working copy'))) };
export const ORIGINAL_ID = exhibitIdFromBytes(sha256(utf8('HDD-01')));
export const COPY_ID = exhibitIdFromBytes(sha256(utf8('HDD-01/WC1')));
export const OTHER_ID = exhibitIdFromBytes(sha256(utf8('PHONE-02')));

export const EIO = 'EIO 2024/0412 NL→DE (Directive 2014/41/EU)';
export const JIT = 'JIT agreement NL-DE-FR 2023/17 (Framework Decision 2002/465/JHA)';

const basePeople: Person[] = [
  {
    key: 'authority',
    name: 'Ledger Authority',
    org: 'Openbaar Ministerie',
    jurisdiction: 'NL',
    tz: 'Europe/Amsterdam',
    roles: ['authority', 'log'],
  },
  {
    key: 'police',
    name: 'Insp. J. de Vries',
    org: 'Politie Eenheid Amsterdam',
    jurisdiction: 'NL',
    tz: 'Europe/Amsterdam',
    roles: ['collector', 'custodian'],
  },
  {
    key: 'nfi',
    name: 'Dr. M. Bakker',
    org: 'Nederlands Forensisch Instituut',
    jurisdiction: 'NL',
    tz: 'Europe/Amsterdam',
    roles: ['examiner', 'custodian'],
  },
  {
    key: 'bka',
    name: 'KHK Anna Schmidt',
    org: 'Bundeskriminalamt',
    jurisdiction: 'DE',
    tz: 'Europe/Berlin',
    roles: ['custodian', 'examiner'],
  },
  {
    key: 'court',
    name: 'Greffière Claire Martin',
    org: 'Tribunal judiciaire de Paris',
    jurisdiction: 'FR',
    tz: 'Europe/Paris',
    roles: ['court'],
  },
];

const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

export interface World {
  people: Record<string, Person & { id: string; publicKey: Uint8Array }>;
  actors: Map<string, ActorRecord>;
  payloads: Payload[];
}

export function buildWorld(o: CaseOptions = {}): World {
  const people: World['people'] = {};
  const actors = new Map<string, ActorRecord>();
  basePeople.forEach((p0, i) => {
    const p = { ...p0, ...(o.people?.[p0.key] ?? {}) } as Person;
    const publicKey = sha256(utf8(`public key of ${p0.key}`));
    const id = keyId(publicKey);
    people[p.key] = { ...p, id, publicKey };
    actors.set(id, {
      id,
      publicKey,
      name: p.name,
      roles: p.roles,
      jurisdiction: p.jurisdiction,
      org: p.org,
      enrolledSeq: i,
    });
  });
  const P = (k: string) => people[k]!;
  let seq = 5;
  const payloads: Payload[] = [];
  const add = (who: string, iso: string, ev: Pick<Payload, 'kind' | 'body'>) => {
    payloads.push({
      v: 1,
      seq: seq++,
      prev: ZERO,
      time: t(iso),
      tz: P(who).tz,
      actor: P(who).id,
      ...ev,
    } as Payload);
  };
  const digests: Digests = { sha256: hexBytes(DIGESTS.sha256), md5: hexBytes(DIGESTS.md5) };
  // 5: registration by the police.
  add('police', '2024-03-04T07:02:00Z', {
    kind: 'register',
    body: {
      exhibit: ORIGINAL_ID,
      label: o.label ?? 'HDD-01',
      caseRef: o.caseRef ?? 'OM-AMS 2024/0117',
      description:
        o.description ??
        'Seagate Barracuda 500 GB hard disk, serial Z3T8K2LM, removed from the desktop PC in the living room; raw image HDD01.dd.',
      digests,
      size: 500_107_862_016,
      seal: o.seal ?? 'NL-POL-2024-118342',
      location: o.location ?? 'Keizersgracht 100, Amsterdam',
      seizedAt: t('2024-03-04T05:15:00Z'),
    },
  });
  // 6: to the NFI.
  add('police', '2024-03-05T08:00:00Z', {
    kind: 'transfer',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      to: P('nfi').id,
      reason: o.reason ?? 'forensic examination (request NFI 2024-4471)',
      method: 'sealed evidence bag, police courier',
      seal: 'NL-POL-2024-118342',
    },
  });
  // 7: accepted by the NFI, re-hashed, seal intact.
  add('nfi', '2024-03-05T10:30:00Z', {
    kind: 'accept',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      digests: { sha256: hexBytes(DIGESTS.sha256) },
      seal: 'intact',
    },
  });
  // 8: examined.
  add('nfi', '2024-03-06T09:12:00Z', {
    kind: 'examine',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      action: 'verified the image and made a working copy',
      tool: 'FTK Imager 4.7.1',
      digests: { sha256: hexBytes(DIGESTS.sha256) },
    },
  });
  // 9: working copy registered (derived).
  add('nfi', '2024-03-06T09:40:00Z', {
    kind: 'register',
    body: {
      exhibit: COPY_ID,
      label: 'HDD-01/WC1',
      caseRef: o.caseRef ?? 'OM-AMS 2024/0117',
      description: 'Working copy of HDD-01 for analysis',
      digests: { sha256: hexBytes(COPY_DIGESTS.sha256) },
      size: 500_107_862_016,
      parent: ORIGINAL_ID,
      parentAfter: ZERO,
    },
  });
  // 10: another exhibit's event (ignored by the timeline).
  add('police', '2024-03-07T12:00:00Z', {
    kind: 'register',
    body: {
      exhibit: OTHER_ID,
      label: 'PHONE-02',
      caseRef: 'OM-AMS 2024/0117',
      description: 'phone',
      digests: { sha256: ZERO },
      size: 1,
    },
  });
  // 11: NFI to BKA under an EIO.
  add('nfi', '2024-04-02T07:30:00Z', {
    kind: 'transfer',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      to: P('bka').id,
      reason: 'analysis requested by the BKA',
      method: 'diplomatic courier',
      seal: 'NFI-S-55120',
      legalBasis: o.eio ?? EIO,
    },
  });
  // 12: accepted by the BKA.
  add('bka', '2024-04-03T13:05:00Z', {
    kind: 'accept',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      digests: { sha256: hexBytes(DIGESTS.sha256) },
      seal: 'intact',
    },
  });
  // 13: BKA to the French court under the JIT agreement.
  add('bka', '2024-05-20T08:00:00Z', {
    kind: 'transfer',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      to: P('court').id,
      reason: 'production before the investigating judge',
      method: 'hand delivery by JIT liaison officer',
      seal: 'BKA-2024-77031',
      legalBasis: o.jit ?? JIT,
    },
  });
  // 14: accepted by the court.
  add('court', '2024-05-21T14:45:00Z', {
    kind: 'accept',
    body: {
      exhibit: ORIGINAL_ID,
      after: ZERO,
      digests: { sha256: o.courtMismatch ? sha256(utf8('something else')) : hexBytes(DIGESTS.sha256) },
      seal: 'intact',
      note: 'received under seal BKA-2024-77031',
    },
  });
  return { people, actors, payloads };
}

/** The checks of the bundle verifier (src/bundle/verify.ts), in its order. */
const CHECKS: [string, string, string][] = [
  ['bundle-structure', 'Bundle structure', 'custody bundle version 1 with 17 entries, strictly decoded'],
  ['anchor', 'Trust anchor', 'the ledger was started by the authority key you trust'],
  ['checkpoint-signature', 'Checkpoint signature', 'the checkpoint of size 17 is signed by the log key'],
  ['witness-quorum', 'Witness cosignatures', '2 of 2 required witnesses cosigned the checkpoint'],
  [
    'inclusion-proofs',
    'Inclusion in the log',
    'each of the 17 entries is proven to be in the log at its position',
  ],
  ['records', 'Record format', 'every record is canonical and well-formed'],
  ['signatures', 'Signatures', 'all 17 entries carry a valid Ed25519 signature of the actor they name'],
  [
    'signers',
    'Signers entitled to act',
    'every signer was enrolled by the authority and not revoked when it signed',
  ],
  ['custody-rules', 'Custody rules', 'every event respected the custody rules'],
  ['exhibit-links', 'No missing events', 'every event of the exhibit links to the one before it'],
  ['history-complete', 'Nothing after the last event', 'the log key attests that entry 14 is the last event'],
  ['recorded-integrity', 'Integrity on every re-check', 'no digest mismatch or broken seal was recorded'],
  ['file-digests', 'The file in hand', 'the file HDD01.dd has exactly the registered size and digests'],
];

function facts(w: World, p: Payload, parent?: string): ExhibitFacts {
  if (p.kind !== 'register') throw new Error('not a registration');
  const a = w.actors.get(p.actor)!;
  const digests: Record<string, string> = {};
  for (const [alg, v] of Object.entries(p.body.digests)) if (v) digests[alg] = toHex(v as Uint8Array);
  const f: ExhibitFacts = {
    id: p.body.exhibit,
    label: p.body.label,
    caseRef: p.body.caseRef,
    description: p.body.description,
    size: p.body.size,
    digests,
    registeredSeq: p.seq,
    registeredAt: p.time,
    registeredTz: p.tz,
    registeredBy: { id: a.id, name: a.name, jurisdiction: a.jurisdiction, org: a.org },
  };
  if (p.body.seal) f.seal = p.body.seal;
  if (p.body.location) f.location = p.body.location;
  if (p.body.seizedAt !== undefined) f.seizedAt = p.body.seizedAt;
  if (parent) f.parent = parent;
  return f;
}

export function anchor(role: TrustAnchor['role'], name: string, matched = true): TrustAnchor {
  const key = sha256(utf8(`anchor ${name}`));
  return { role, name, publicKey: b64(key), fingerprint: toHex(sha256(key)), matched };
}

export interface VerdictOptions extends CaseOptions {
  fail?: boolean;
  mismatchOnly?: boolean;
  noFile?: boolean;
  anchored?: boolean;
  witnessNames?: [string, string];
  checkTitle?: string;
  noHead?: boolean;
  problemMessage?: string;
}

function verdictFrom(w: World, exhibit: ExhibitFacts, timeline: Timeline, o: VerdictOptions): ExhibitVerdict {
  const authority = w.people['authority']!;
  const anchored = o.anchored ?? true;
  const [w1, w2] = o.witnessNames ?? ['witness.eurojust.example', 'witness.nfi.example'];
  const problems: Problem[] = [];
  const checks: Check[] = CHECKS.map(([id, title, detail]) => ({ id, title, verdict: 'pass', detail }));
  const setCheck = (id: string, verdict: Check['verdict'], detail: string) => {
    const c = checks.find((x) => x.id === id)!;
    c.verdict = verdict;
    c.detail = detail;
  };
  const mismatch = o.fail || o.mismatchOnly || o.courtMismatch;
  if (o.fail) {
    problems.push({
      code: 'SIGNATURE_INVALID',
      severity: 'error',
      seq: 12,
      exhibit: null,
      message:
        o.problemMessage ?? 'the signature of entry 12 does not verify under the key of KHK Anna Schmidt',
    });
    setCheck(
      'signatures',
      'fail',
      'The signature of entry 12 does not verify: the entry was altered after it was signed.',
    );
    problems.push({
      code: 'WITNESS_QUORUM',
      severity: 'error',
      seq: null,
      exhibit: null,
      message: '1 of the 2 required witnesses cosigned the checkpoint',
    });
    setCheck('witness-quorum', 'fail', 'Only 1 of the 2 required witnesses cosigned the checkpoint.');
  }
  if (mismatch) {
    problems.push({
      code: 'DIGEST_MISMATCH_RECORDED',
      severity: 'error',
      seq: 14,
      exhibit: exhibit.id,
      message: 'entry 14 recorded a re-computed digest that differs from the registered one',
    });
    setCheck('recorded-integrity', 'fail', 'Entry 14 recorded a SHA-256 different from the registered one.');
  }
  if (o.noFile) setCheck('file-digests', 'not-checked', 'no evidence file was given (--file)');
  if (!anchored) setCheck('anchor', 'not-checked', 'no authority key was given');
  if (o.noHead) setCheck('history-complete', 'not-checked', 'the bundle carries no head attestation');
  if (o.checkTitle) checks[0]!.title = o.checkTitle;
  const ok = problems.every((p) => p.severity !== 'error') && checks.every((c) => c.verdict !== 'fail');
  const shown = [...new Set([exhibit.registeredSeq, ...timeline.events.map((e) => e.seq)])].sort(
    (a, b) => a - b,
  );
  return {
    ok,
    source: { kind: 'bundle', name: 'OM-AMS-2024-0117-HDD-01.custody', bytes: 48_213 },
    origin: 'custody.om.nl/ledger/2024',
    checkpoint: {
      size: 17,
      root: toHex(sha256(utf8('root at 17'))),
      signedBy: {
        id: authority.id,
        name: authority.name,
        jurisdiction: authority.jurisdiction,
        org: authority.org,
      },
      witnesses: [
        { name: w1, verified: true },
        { name: w2, verified: !o.fail },
      ],
      quorum: 2,
    },
    anchors: [
      { ...anchor('authority', authority.name, anchored) },
      anchor('witness', w1),
      anchor('witness', w2, !o.fail),
    ],
    exhibit,
    ancestors: [],
    timeline,
    ancestorTimelines: [],
    entriesShown: shown,
    lastEventSeq: timeline.events[timeline.events.length - 1]?.seq ?? null,
    file: o.noFile
      ? null
      : { name: 'HDD01.dd', size: exhibit.size, digests: { ...exhibit.digests }, matches: true },
    checks,
    problems,
    recordedMismatches: mismatch ? [14] : [],
    recordedBrokenSeals: [],
    actors: [...w.actors.values()].map((a) => ({
      id: a.id,
      name: a.name,
      jurisdiction: a.jurisdiction,
      org: a.org,
      roles: a.roles,
      publicKey: b64(a.publicKey),
      enrolledSeq: a.enrolledSeq,
    })),
  };
}

/** The original disk image: the main fixture (pass, or with `fail: true` the failing variant). */
export function caseVerdict(o: VerdictOptions = {}): ExhibitVerdict {
  const w = buildWorld({ ...o, courtMismatch: !!(o.courtMismatch ?? (o.fail || o.mismatchOnly)) });
  const reg = w.payloads.find((p) => p.seq === 5)!;
  const timeline = buildTimeline(ORIGINAL_ID, w.payloads, w.actors);
  return verdictFrom(w, facts(w, reg), timeline, o);
}

export const passVerdict = () => caseVerdict();
export const failVerdict = () => caseVerdict({ fail: true });

/** The NFI working copy, derived from the original. */
export function derivedVerdict(): ExhibitVerdict {
  const w = buildWorld();
  const orig = w.payloads.find((p) => p.seq === 5)!;
  const reg = w.payloads.find((p) => p.seq === 9)!;
  const nfi = w.people['nfi']!;
  w.payloads.push({
    v: 1,
    seq: 15,
    prev: ZERO,
    time: t('2024-03-07T10:00:00Z'),
    tz: nfi.tz,
    actor: nfi.id,
    kind: 'examine',
    body: {
      exhibit: COPY_ID,
      after: ZERO,
      action: 'keyword search and timeline analysis',
      tool: 'X-Ways 21.0',
    },
  });
  const timeline = buildTimeline(COPY_ID, w.payloads, w.actors);
  const v = verdictFrom(w, facts(w, reg, ORIGINAL_ID), timeline, { noFile: true });
  v.ancestors = [facts(w, orig)];
  v.ancestorTimelines = [buildTimeline(ORIGINAL_ID, w.payloads.slice(0, 5), w.actors)];
  v.recordedMismatches = [];
  return v;
}

/** A verdict with just a registration. */
export function singleEventVerdict(): ExhibitVerdict {
  const w = buildWorld();
  const reg = w.payloads.find((p) => p.seq === 5)!;
  const timeline = buildTimeline(ORIGINAL_ID, [reg], w.actors);
  return verdictFrom(w, facts(w, reg), timeline, { noFile: true });
}

/**
 * `n` events: a registration, then hand-overs round five organisations, some
 * accepted at the very same millisecond (zero-length periods).
 */
export function manyEventsVerdict(n: number): ExhibitVerdict {
  const w = buildWorld();
  const keys = ['police', 'nfi', 'bka', 'court'];
  const reg = w.payloads.find((p) => p.seq === 5)!;
  const payloads: Payload[] = [reg];
  let seq = 6;
  let time = reg.time;
  let holder = 'police';
  let i = 0;
  while (payloads.length < n) {
    const to = keys[(keys.indexOf(holder) + 1 + (i % 3)) % keys.length]!;
    const from = w.people[holder]!;
    const dest = w.people[to]!;
    time += i % 4 === 0 ? 0 : 3_600_000 * (1 + (i % 50));
    payloads.push({
      v: 1,
      seq: seq++,
      prev: ZERO,
      time,
      tz: from.tz,
      actor: from.id,
      kind: 'transfer',
      body: {
        exhibit: ORIGINAL_ID,
        after: ZERO,
        to: dest.id,
        reason: `round ${i}`,
        ...(from.jurisdiction !== dest.jurisdiction ? { legalBasis: i % 2 ? EIO : JIT } : {}),
      },
    } as Payload);
    if (payloads.length >= n) break;
    time += i % 5 === 0 ? 0 : 60_000 * (i + 1);
    payloads.push({
      v: 1,
      seq: seq++,
      prev: ZERO,
      time,
      tz: dest.tz,
      actor: dest.id,
      kind: 'accept',
      body: { exhibit: ORIGINAL_ID, after: ZERO, seal: 'intact' },
    } as Payload);
    holder = to;
    i++;
  }
  const timeline = buildTimeline(ORIGINAL_ID, payloads, w.actors);
  return verdictFrom(w, facts(w, reg), timeline, {});
}

export const HOSTILE = [
  '<script>alert(1)</script>',
  '" onload="x',
  "' onclick='y",
  '<img src=x onerror=alert(2)>',
  '</style><script>z()</script>',
  'javascript:alert(3)',
  '<svg onload=alert(4)>',
  ']]><!--',
];
export const H = HOSTILE.join(' & ');

/** Every text field carries hostile markup. */
export function hostileVerdict(): ExhibitVerdict {
  const people: CaseOptions['people'] = {};
  for (const k of ['authority', 'police', 'nfi', 'bka', 'court'])
    people[k] = { name: `${k} ${H}`, org: `${k} org ${H}` };
  const v = caseVerdict({
    people,
    label: `HDD ${H}`,
    caseRef: `case ${H}`,
    description: `desc ${H}\nsecond line \u202Eevil\u202C`,
    seal: `seal ${H}`,
    location: `place ${H}`,
    eio: `EIO ${H}`,
    jit: `JIT ${H}`,
    reason: `reason ${H}`,
    witnessNames: [`w1 ${H}`, `w2 ${H}`],
    checkTitle: `check ${H}`,
    fail: true,
    problemMessage: `msg ${H}`,
  });
  v.source.name = `bundle ${H}.custody`;
  v.origin = `origin ${H}`;
  if (v.file) v.file.name = `file ${H}`;
  for (const a of v.anchors) a.name = `anchor ${H}`;
  v.checks[1]!.detail = `detail ${H}`;
  // A hostile declared time zone (unknown to Intl): falls back to UTC text.
  if (v.timeline?.events[1]) v.timeline.events[1].tz = `Europe/${H}`;
  return v;
}

export const META: ReportMeta = {
  tool: 'custody',
  toolVersion: '0.1.0',
  generatedAt: t('2024-06-01T09:00:00Z'),
  commands: [
    'npx custody verify-bundle OM-AMS-2024-0117-HDD-01.custody --trust authority.pub --witness "witness.eurojust.example+1a2b3c4d+AQID..." --witness "witness.nfi.example+5e6f7a8b+BAUG..." --quorum 2 --file HDD01.dd --report report.html',
  ],
};

export const HOSTILE_META: ReportMeta = {
  tool: `custody ${H}`,
  toolVersion: `0.1.0 ${H}`,
  generatedAt: META.generatedAt,
  commands: [`npx custody verify-bundle ${H}`],
};
