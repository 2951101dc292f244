/**
 * Verdicts for the report tests: a realistic three-jurisdiction case, as a
 * format v2 bundle verification reports it (src/bundle/verdict-v2.ts).
 *
 * Insp. de Vries (Politie, NL) seizes and registers a hard disk image; it goes
 * to the NFI (NL) for examination, where a working copy is derived; then to the
 * BKA (DE) under a European Investigation Order; then to the Tribunal judiciaire
 * de Paris (FR) under a Joint Investigation Team agreement.
 *
 * The statements are v2 envelopes (genesis and enrolments, then the exhibit's
 * chain), with the cleartext of their committed fields as a bundle reveals it.
 * The actor directory, the exhibit facts and the timelines are built from them
 * with the verifier's own pure functions (actorDirectory, exhibitFacts,
 * buildTimelineV2), so the fixtures have exactly the shape verifyBundleV2
 * produces; what only a verification decides (checks, problems, anchors) is
 * literal. Statements are not signed: the report never sees a signature, and
 * hostile text can go where a real signer's kinds table would refuse it.
 * test/report/model.test.ts checks the shape against a real verifyBundleV2.
 */

import type { Check, ExhibitFacts, TrustAnchor } from '../../src/bundle/verdict.js';
import type { ExhibitVerdictV2, OpenedField } from '../../src/bundle/verdict-v2.js';
import { toBase64, toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Timeline } from '../../src/custody/timeline.js';
import {
  type ActorDirectory,
  actorDirectory,
  buildTimelineV2,
  type ShownStatement,
} from '../../src/custody/timeline-v2.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { KINDS_V2 } from '../../src/format/kinds.js';
import { ids45 } from '../../src/format/short-id.js';
import { ed25519Key } from '../../src/format/sign-statement.js';
import type { Statement } from '../../src/format/statement.js';
import type { ReportMeta } from '../../src/report/model.js';
import { CHECKS_V2 } from '../../src/verify/bundle-v2-checks.js';
import { exhibitFacts } from '../../src/verify/bundle-v2-facts.js';
import type { Problem } from '../../src/verify/report.js';
import { seededSigner } from '../helpers/world.js';

export const t = (iso: string) => Date.parse(iso);
export const LEDGER_ORIGIN = 'custody.om.nl/ledger/2024';

export interface Person {
  key: string;
  name: string;
  org: string;
  jurisdiction: string;
  tz: string;
  roles: string[];
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

/** Exhibit ids (an exhibit's id is its registration's statement identity). */
export const ORIGINAL = sha256(utf8('registration of HDD-01'));
export const COPY = sha256(utf8('registration of HDD-01/WC1'));
export const OTHER = sha256(utf8('registration of PHONE-02'));
/** The short ids the report shows. */
export const ORIGINAL_ID = ids45('EX', ORIGINAL);
export const COPY_ID = ids45('EX', COPY);
export const OTHER_ID = ids45('EX', OTHER);

export const EIO = 'EIO 2024/0412 NL→DE (Directive 2014/41/EU)';
export const JIT = 'JIT agreement NL-DE-FR 2023/17 (Framework Decision 2002/465/JHA)';

const basePeople: Person[] = [
  {
    key: 'authority',
    name: 'authority',
    org: 'Openbaar Ministerie',
    jurisdiction: 'NL',
    tz: 'Europe/Amsterdam',
    roles: ['authority'],
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
/** A commitment stand-in: the report only needs the field to be there. */
const commitment = (field: string, value: string) => sha256(utf8(`commitment ${field} ${value}`));

export interface PersonKeys extends Person {
  /** Short key id, as the report shows it. */
  id: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

export interface World {
  people: Record<string, PersonKeys>;
  actors: ActorDirectory;
  /** The accepted statements with their revealed cleartext, in log order. */
  shown: ShownStatement[];
  /** The log key genesis names. */
  logKey: Uint8Array;
}

/** One statement of the case: clear fields as given, committed fields committed and revealed. */
export function statement(
  w: Pick<World, 'people'>,
  index: number,
  kind: string,
  who: string,
  iso: string,
  fields: Record<string, Canonical | undefined>,
  links: { exhibit?: Uint8Array; after?: Uint8Array; id?: Uint8Array } = {},
): ShownStatement {
  const spec = KINDS_V2[kind]!;
  const p = w.people[who]!;
  const body: Record<string, Canonical> = {};
  const opened: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (Object.hasOwn(spec.committed, k)) {
      body[k] = commitment(k, String(v));
      opened[k] = String(v);
    } else body[k] = v;
  }
  const s: Statement = {
    v: 2,
    origin: LEDGER_ORIGIN,
    class: spec.class,
    kind,
    bv: 1,
    time: t(iso),
    tz: p.tz,
    signer: { key: ed25519Key(p.publicKey) },
    body,
  };
  if (links.exhibit) s.exhibit = links.exhibit;
  if (links.after) s.after = links.after;
  // Logged a moment after it was signed, as a workstation's submission is.
  const logTime = t(iso) + 1500;
  return { index, logTime, id: links.id ?? sha256(utf8(`statement ${index} ${kind}`)), statement: s, opened };
}

export function buildWorld(o: CaseOptions = {}): World {
  const people: World['people'] = {};
  for (const p0 of basePeople) {
    const p = { ...p0, ...(o.people?.[p0.key] ?? {}) } as Person;
    const publicKey = seededSigner(`report ${p0.key}`).publicKey;
    const keyId = keyIdOf(ed25519Key(publicKey), KEY_PURPOSES.statement);
    people[p.key] = { ...p, id: ids45('K', keyId), keyId, publicKey };
  }
  const logKey = seededSigner('report log').publicKey;
  const w = { people };
  const P = (k: string) => people[k]!;
  const shown: ShownStatement[] = [];
  const add = (s: ShownStatement) => shown.push(s);
  const ZERO = new Uint8Array(32);
  // 0: genesis by the authority; 1-4: enrolments.
  const a = P('authority');
  add(
    statement(w, 0, 'genesis', 'authority', '2024-01-02T09:00:00Z', {
      name: 'OM custody ledger',
      jurisdiction: a.jurisdiction,
      org: a.org,
      logKey: [KEY_TYPES.ed25519, logKey],
    }),
  );
  ['police', 'nfi', 'bka', 'court'].forEach((k, i) => {
    const p = P(k);
    add(
      statement(
        w,
        i + 1,
        'enrol',
        'authority',
        `2024-01-0${i + 3}T09:00:00Z`,
        {
          key: [KEY_TYPES.ed25519, p.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles: p.roles,
          jurisdiction: p.jurisdiction,
          name: p.name,
          org: p.org,
        },
        { after: ZERO },
      ),
    );
  });
  const x = { exhibit: ORIGINAL, after: ZERO };
  const digests = { sha256: hexBytes(DIGESTS.sha256), md5: hexBytes(DIGESTS.md5) };
  // 5: registration by the police.
  add(
    statement(
      w,
      5,
      'register',
      'police',
      '2024-03-04T07:02:00Z',
      {
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
      { id: ORIGINAL },
    ),
  );
  // 6: to the NFI.
  add(
    statement(
      w,
      6,
      'transfer',
      'police',
      '2024-03-05T08:00:00Z',
      {
        to: P('nfi').keyId,
        reason: o.reason ?? 'forensic examination (request NFI 2024-4471)',
        method: 'sealed evidence bag, police courier',
        seal: 'NL-POL-2024-118342',
      },
      x,
    ),
  );
  // 7: accepted by the NFI, re-hashed, seal intact.
  add(
    statement(
      w,
      7,
      'accept',
      'nfi',
      '2024-03-05T10:30:00Z',
      { digests: { sha256: hexBytes(DIGESTS.sha256) }, seal: 'intact' },
      x,
    ),
  );
  // 8: examined.
  add(
    statement(
      w,
      8,
      'examine',
      'nfi',
      '2024-03-06T09:12:00Z',
      {
        action: 'verified the image and made a working copy',
        tool: 'FTK Imager 4.7.1',
        digests: { sha256: hexBytes(DIGESTS.sha256) },
      },
      x,
    ),
  );
  // 9: working copy registered (derived from the original: it links to it).
  add(
    statement(
      w,
      9,
      'register',
      'nfi',
      '2024-03-06T09:40:00Z',
      {
        label: 'HDD-01/WC1',
        caseRef: o.caseRef ?? 'OM-AMS 2024/0117',
        description: 'Working copy of HDD-01 for analysis',
        digests: { sha256: hexBytes(COPY_DIGESTS.sha256) },
        size: 500_107_862_016,
      },
      { ...x, id: COPY },
    ),
  );
  // 10: another exhibit's registration (ignored by the timeline).
  add(
    statement(
      w,
      10,
      'register',
      'police',
      '2024-03-07T12:00:00Z',
      {
        label: 'PHONE-02',
        caseRef: 'OM-AMS 2024/0117',
        description: 'phone',
        digests: { sha256: ZERO },
        size: 1,
      },
      { id: OTHER },
    ),
  );
  // 11: NFI to BKA under an EIO.
  add(
    statement(
      w,
      11,
      'transfer',
      'nfi',
      '2024-04-02T07:30:00Z',
      {
        to: P('bka').keyId,
        reason: 'analysis requested by the BKA',
        method: 'diplomatic courier',
        seal: 'NFI-S-55120',
        legalBasis: o.eio ?? EIO,
      },
      x,
    ),
  );
  // 12: accepted by the BKA.
  add(
    statement(
      w,
      12,
      'accept',
      'bka',
      '2024-04-03T13:05:00Z',
      { digests: { sha256: hexBytes(DIGESTS.sha256) }, seal: 'intact' },
      x,
    ),
  );
  // 13: BKA to the French court under the JIT agreement.
  add(
    statement(
      w,
      13,
      'transfer',
      'bka',
      '2024-05-20T08:00:00Z',
      {
        to: P('court').keyId,
        reason: 'production before the investigating judge',
        method: 'hand delivery by JIT liaison officer',
        seal: 'BKA-2024-77031',
        legalBasis: o.jit ?? JIT,
      },
      x,
    ),
  );
  // 14: accepted by the court.
  add(
    statement(
      w,
      14,
      'accept',
      'court',
      '2024-05-21T14:45:00Z',
      {
        digests: { sha256: o.courtMismatch ? sha256(utf8('something else')) : hexBytes(DIGESTS.sha256) },
        seal: 'intact',
        note: 'received under seal BKA-2024-77031',
      },
      x,
    ),
  );
  return { people, actors: actorDirectory(shown), shown, logKey };
}

/** The timeline of `exhibit` from the accepted statements, as verifyBundleV2 builds it. */
export const timelineOf = (w: World, exhibit: Uint8Array, shown = w.shown): Timeline =>
  buildTimelineV2(exhibit, shown, w.actors);

const DETAILS: Record<(typeof CHECKS_V2)[number][0], string> = {
  'bundle-structure': 'custody bundle version 2: 12 entries, 9 records, 2 seen roots, strictly decoded',
  anchor: 'rests on the pinned authority key',
  'checkpoint-signature': 'the checkpoint of size 17 is signed by the log key that genesis names',
  'witness-quorum': '2 of the 2 required witnesses cosigned the checkpoint',
  'inclusion-proofs':
    "each of the 12 entries, the checkpoint's last entry and 2 seen roots are proven against the checkpoint (RFC 9162)",
  records:
    'every entry and statement decodes strictly, at its own index, with the payload its entry commits to',
  signatures: 'every statement carries valid signatures of its signer and required co-signers',
  signers: 'every signer was enrolled, and neither revoked, expired nor compromised when it signed',
  'custody-rules': 'every statement obeys the custody rules, replayed in log order (CUSTODY-RULES.md)',
  'exhibit-links': 'every event links to the one before it, and governance forms one chain',
  'history-complete':
    'the state after entry 16 shows entry 14 as the last event: nothing is left out up to the checkpoint',
  openings: 'every revealed field opens its commitment; none withheld',
  'recorded-integrity': 'no digest mismatch or broken seal was recorded',
  'file-digests': 'the file HDD01.dd has the registered size and digests',
};

export function anchor(
  role: TrustAnchor['role'],
  name: string,
  key: Uint8Array,
  matched = true,
): TrustAnchor {
  return { role, name, publicKey: toBase64(key), fingerprint: toHex(sha256(key)), matched };
}

export interface VerdictOptions extends CaseOptions {
  fail?: boolean;
  mismatchOnly?: boolean;
  noFile?: boolean;
  anchored?: boolean;
  witnessNames?: [string, string];
  checkTitle?: string;
  /** The state record at the checkpoint is not proven (history-complete not checked). */
  noHead?: boolean;
  problemMessage?: string;
}

/** Every committed field of the shown statements, revealed. */
function openingsOf(shown: readonly ShownStatement[]): OpenedField[] {
  const out: OpenedField[] = [];
  for (const s of shown)
    for (const [field, value] of Object.entries(s.opened))
      out.push({ index: s.index, kind: s.statement.kind, field, status: 'revealed', value });
  return out;
}

function verdictFrom(
  w: World,
  x: Uint8Array,
  shown: readonly ShownStatement[],
  exhibit: ExhibitFacts,
  timeline: Timeline,
  o: VerdictOptions,
): ExhibitVerdictV2 {
  const authority = w.people['authority']!;
  const anchored = o.anchored ?? true;
  const [w1, w2] = o.witnessNames ?? ['witness.eurojust.example', 'witness.nfi.example'];
  const problems: Problem[] = [];
  const checks: Check[] = CHECKS_V2.map(([id, title]) => ({
    id,
    title,
    verdict: 'pass',
    detail: DETAILS[id],
  }));
  const setCheck = (id: string, verdict: Check['verdict'], detail: string) => {
    const c = checks.find((c) => c.id === id)!;
    c.verdict = verdict;
    c.detail = detail;
  };
  const mismatch = o.fail || o.mismatchOnly || o.courtMismatch;
  if (o.fail) {
    // A cleartext in the bundle that does not open what the BKA signed: the statement is
    // still accepted (and shown), its revealed note is not to be believed.
    problems.push({
      code: 'OPENING_INVALID',
      severity: 'error',
      seq: 12,
      exhibit: exhibit.id,
      message:
        o.problemMessage ??
        'accept: the revealed note does not open its commitment in the statement signed by KHK Anna Schmidt',
    });
    setCheck('openings', 'fail', 'The cleartext revealed for entry 12 does not open its commitment.');
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
    // A fact the log states, not a refusal: a warning that fails "integrity on every re-check".
    problems.push({
      code: 'DIGEST_MISMATCH_RECORDED',
      severity: 'warning',
      seq: 14,
      exhibit: exhibit.id,
      message: 'entry 14 recorded a digest that differs from the registered one',
    });
    setCheck('recorded-integrity', 'fail', 'Entry 14 recorded a SHA-256 different from the registered one.');
  }
  if (o.noFile) setCheck('file-digests', 'not-checked', 'no evidence file was given');
  if (!anchored) setCheck('anchor', 'not-checked', 'no authority or log key was pinned');
  if (o.noHead)
    setCheck(
      'history-complete',
      'not-checked',
      'the checkpoint’s last entry is not proven, so the state at N is unknown',
    );
  if (o.checkTitle) checks[0]!.title = o.checkTitle;
  problems.sort((p, q) => (p.seq ?? -1) - (q.seq ?? -1));
  const ok =
    anchored && problems.every((p) => p.severity !== 'error') && checks.every((c) => c.verdict !== 'fail');
  const logKeyId = keyIdOf(ed25519Key(w.logKey), KEY_PURPOSES.log);
  const used = new Set<string>();
  for (const s of shown) {
    used.add(toHex(keyIdOf(s.statement.signer.key, KEY_PURPOSES.statement)));
    const to = s.statement.kind === 'transfer' ? s.statement.body['to'] : undefined;
    if (to instanceof Uint8Array) used.add(toHex(to));
  }
  const logActor = w.actors.get(toHex(logKeyId))!;
  return {
    format: 2,
    ok,
    verdict: ok ? 'VERIFIED' : anchored ? 'FAILED' : 'UNANCHORED',
    anchored,
    warnings: [],
    source: { kind: 'bundle', name: 'OM-AMS-2024-0117-HDD-01.custody', bytes: 48_213 },
    origin: LEDGER_ORIGIN,
    exhibitId: toHex(x),
    anchoredTo: anchored ? ['authority'] : [],
    nothingPinned: !anchored,
    coveredSize: 17,
    checkpoint: {
      size: 17,
      root: toHex(sha256(utf8('root at 17'))),
      signedBy: {
        id: logActor.id,
        name: logActor.name,
        jurisdiction: logActor.jurisdiction,
        org: logActor.org,
      },
      witnesses: [
        { name: w1, verified: true },
        { name: w2, verified: !o.fail },
      ],
      quorum: 2,
    },
    anchors: anchored ? [anchor('authority', `authority key ${authority.id}`, authority.publicKey)] : [],
    exhibit,
    ancestors: [],
    timeline,
    ancestorTimelines: [],
    entriesShown: shown.map((s) => s.index),
    lastEventSeq: timeline.events[timeline.events.length - 1]?.seq ?? null,
    file: o.noFile
      ? null
      : { name: 'HDD01.dd', size: exhibit.size, digests: { ...exhibit.digests }, matches: true },
    checks,
    problems,
    recordedMismatches: mismatch ? [14] : [],
    recordedBrokenSeals: [],
    actors: [...w.actors.entries()]
      .filter(([k]) => used.has(k))
      .map(([, a]) => ({ ...a, roles: [...a.roles] })),
    openings: openingsOf(shown),
  };
}

/** The original disk image: the main fixture (pass, or with `fail: true` the failing variant). */
export function caseVerdict(o: VerdictOptions = {}): ExhibitVerdictV2 {
  const w = buildWorld({ ...o, courtMismatch: !!(o.courtMismatch ?? (o.fail || o.mismatchOnly)) });
  return verdictFrom(
    w,
    ORIGINAL,
    w.shown,
    exhibitFacts(ORIGINAL, w.shown, w.actors)!,
    timelineOf(w, ORIGINAL),
    o,
  );
}

export const passVerdict = () => caseVerdict();
export const failVerdict = () => caseVerdict({ fail: true });

/** The NFI working copy, derived from the original. */
export function derivedVerdict(): ExhibitVerdictV2 {
  const w = buildWorld();
  w.shown.push(
    statement(
      w,
      15,
      'examine',
      'nfi',
      '2024-03-07T10:00:00Z',
      { action: 'keyword search and timeline analysis', tool: 'X-Ways 21.0' },
      { exhibit: COPY, after: COPY },
    ),
  );
  const v = verdictFrom(w, COPY, w.shown, exhibitFacts(COPY, w.shown, w.actors)!, timelineOf(w, COPY), {
    noFile: true,
  });
  v.ancestors = [exhibitFacts(ORIGINAL, w.shown, w.actors)!];
  // The original's history as far as the bundle of the copy carries it: up to the derivation.
  v.ancestorTimelines = [
    timelineOf(
      w,
      ORIGINAL,
      w.shown.filter((s) => s.index <= 9),
    ),
  ];
  v.recordedMismatches = [];
  return v;
}

/** A verdict with just a registration. */
export function singleEventVerdict(): ExhibitVerdictV2 {
  const w = buildWorld();
  const shown = w.shown.filter((s) => s.index <= 5);
  return verdictFrom(
    w,
    ORIGINAL,
    shown,
    exhibitFacts(ORIGINAL, shown, w.actors)!,
    timelineOf(w, ORIGINAL, shown),
    {
      noFile: true,
    },
  );
}

/**
 * `n` events: a registration, then hand-overs round four organisations, some
 * accepted at the very same millisecond (zero-length periods).
 */
export function manyEventsVerdict(n: number): ExhibitVerdictV2 {
  const w = buildWorld();
  const keys = ['police', 'nfi', 'bka', 'court'];
  const shown = w.shown.filter((s) => s.index <= 5);
  const reg = shown[5]!;
  let index = 6;
  let time = reg.statement.time;
  let holder = 'police';
  let i = 0;
  let events = 1;
  const x = { exhibit: ORIGINAL, after: new Uint8Array(32) };
  const at = (ms: number) => new Date(ms).toISOString();
  while (events < n) {
    const to = keys[(keys.indexOf(holder) + 1 + (i % 3)) % keys.length]!;
    const from = w.people[holder]!;
    const dest = w.people[to]!;
    time += i % 4 === 0 ? 0 : 3_600_000 * (1 + (i % 50));
    shown.push(
      statement(
        w,
        index++,
        'transfer',
        holder,
        at(time),
        {
          to: dest.keyId,
          reason: `round ${i}`,
          legalBasis: from.jurisdiction !== dest.jurisdiction ? (i % 2 ? EIO : JIT) : undefined,
        },
        x,
      ),
    );
    if (++events >= n) break;
    time += i % 5 === 0 ? 0 : 60_000 * (i + 1);
    shown.push(statement(w, index++, 'accept', to, at(time), { seal: 'intact' }, x));
    events++;
    holder = to;
    i++;
  }
  return verdictFrom(
    w,
    ORIGINAL,
    shown,
    exhibitFacts(ORIGINAL, shown, w.actors)!,
    timelineOf(w, ORIGINAL, shown),
    {},
  );
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
export function hostileVerdict(): ExhibitVerdictV2 {
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
