/**
 * What the verification proves and does not (src/report/model-scope.ts) and what each checkpoint
 * guarantee rests on (model-guarantees.ts) in French, German and Dutch; catalogues in
 * src/report/messages/{scope-proven,scope-unproven,scope-limits,guarantees}.ts. Every branch is
 * worded in the language with nothing left in English, the record's values stay verbatim, the
 * limitations stay, and English reads exactly as before.
 */
import { describe, expect, it } from 'vitest';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { LANGUAGES, type Language, type Messages } from '../../src/report/i18n.js';
import { buildReportModel, type Scope } from '../../src/report/index.js';
import { GUARANTEES } from '../../src/report/messages/guarantees.js';
import { SCOPE_LIMITS } from '../../src/report/messages/scope-limits.js';
import { SCOPE_PROVEN } from '../../src/report/messages/scope-proven.js';
import { SCOPE_UNPROVEN } from '../../src/report/messages/scope-unproven.js';
import { type Guarantee, guaranteesOf } from '../../src/report/model-guarantees.js';
import { deriveScope } from '../../src/report/model-scope.js';
import { findings } from '../../src/report/model-verdict.js';
import {
  buildWorld,
  caseVerdict,
  DIGESTS,
  derivedVerdict,
  failVerdict,
  META,
  ORIGINAL,
  ORIGINAL_ID,
  passVerdict,
  singleEventVerdict,
  statement,
  timelineOf,
} from './fixtures.js';

const TRANSLATED = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');
const AREAS: Messages<string>[] = [SCOPE_PROVEN, SCOPE_UNPROVEN, SCOPE_LIMITS, GUARANTEES];

/** One verdict per branch of the scope's wording. */
function variants(): Record<string, ExhibitVerdictV2> {
  const out: Record<string, ExhibitVerdictV2> = {
    pass: passVerdict(),
    fail: failVerdict(),
    mismatchOnly: caseVerdict({ mismatchOnly: true }),
    noHead: caseVerdict({ noHead: true }),
    noFile: caseVerdict({ noFile: true }),
    derived: derivedVerdict(),
    single: singleEventVerdict(),
  };
  const unanchored = caseVerdict({ anchored: false });
  unanchored.ok = true;
  out['unanchored'] = unanchored;
  const witnessFail = passVerdict();
  witnessFail.checkpoint!.witnesses[1]!.verified = false;
  witnessFail.checks.find((c) => c.id === 'witness-quorum')!.verdict = 'fail';
  witnessFail.ok = false;
  out['witnessFail'] = witnessFail;
  const fileMismatch = passVerdict();
  fileMismatch.file!.matches = false;
  fileMismatch.file!.digests = { sha256: '00'.repeat(32) };
  out['fileMismatch'] = fileMismatch;
  const headFail = passVerdict();
  headFail.checks.find((c) => c.id === 'history-complete')!.verdict = 'fail';
  headFail.ok = false;
  out['headFail'] = headFail;
  const twice = derivedVerdict();
  twice.ancestors = [twice.ancestors[0]!, twice.ancestors[0]!];
  out['twice'] = twice;
  const w = buildWorld();
  const upTo13 = w.shown.filter((s) => s.index <= 13);
  const pending = passVerdict();
  pending.timeline = timelineOf(w, ORIGINAL, upTo13);
  out['pending'] = pending;
  const reject = statement(
    w,
    14,
    'reject',
    'court',
    '2024-05-21T14:45:00Z',
    { reason: 'seal number does not match the EIO' },
    { exhibit: ORIGINAL, after: new Uint8Array(32) },
  );
  const rejected = passVerdict();
  rejected.timeline = timelineOf(w, ORIGINAL, [...upTo13, reject]);
  out['rejected'] = rejected;
  const wrongAcceptor = passVerdict();
  wrongAcceptor.timeline!.events.find((e) => e.seq === 14)!.actor = {
    id: 'K-00000-00000',
    name: 'Somebody Else',
    org: 'Elsewhere',
    jurisdiction: 'FR',
  };
  out['wrongAcceptor'] = wrongAcceptor;
  const noExhibit = passVerdict() as ExhibitVerdictV2 & { exhibit: unknown; timeline: unknown };
  noExhibit.exhibit = null;
  noExhibit.timeline = null;
  noExhibit.checkpoint = null;
  noExhibit.ok = false;
  out['noExhibit'] = noExhibit as ExhibitVerdictV2;
  const noCheckpoint = passVerdict();
  noCheckpoint.checkpoint = null;
  noCheckpoint.checks = noCheckpoint.checks.filter((c) => !/checkpoint|inclusion|witness/.test(c.id));
  out['noCheckpoint'] = noCheckpoint;
  const unsigned = passVerdict();
  unsigned.checkpoint!.signedBy = null;
  out['unsigned'] = unsigned;
  const quorum0 = passVerdict();
  quorum0.checkpoint!.quorum = 0;
  out['quorum0'] = quorum0;
  const oneWitness = passVerdict();
  oneWitness.checkpoint!.witnesses[1]!.verified = false;
  oneWitness.checkpoint!.quorum = 1;
  out['oneWitness'] = oneWitness;
  const auditors = (names: string[], verified: boolean[], quorum: number) => {
    const v = passVerdict();
    v.checkpoint!.auditors = names.map((name, i) => ({ name, verified: verified[i]! }));
    v.checkpoint!.auditorQuorum = quorum;
    return v;
  };
  out['audited1'] = auditors(['auditor.a'], [true], 1);
  out['audited2'] = auditors(['auditor.a', 'auditor.b'], [true, true], 2);
  out['auditedPartial'] = auditors(['auditor.a', 'auditor.b'], [true, false], 2);
  const crossings = passVerdict();
  crossings.crossings = [
    { seq: 7, kind: 'register', from: 'peer.example/ledger', id: 'x' },
    { seq: 9, kind: 'transfer', from: 'peer.example/ledger', id: 'y' },
    { seq: 11, kind: 'transfer', from: 'other.example', id: 'z' },
  ];
  out['crossings'] = crossings;
  const recorded = passVerdict();
  // 11 is an event shown (flagged on it); 98 and 99 are not among them.
  recorded.recordedMismatches = [11, 99];
  out['recorded'] = recorded;
  const sealRecorded = passVerdict();
  sealRecorded.recordedBrokenSeals = [98];
  out['sealRecorded'] = sealRecorded;
  // A receiver who re-hashed only in an algorithm that was not registered: nothing compared.
  const notRehashed = passVerdict();
  const accept = notRehashed.timeline!.events.find((e) => e.seq === 7)!;
  delete accept.details['recomputed sha256'];
  accept.details['recomputed sha512'] = 'ab'.repeat(64);
  out['notRehashed'] = notRehashed;
  const oneEntry = passVerdict();
  oneEntry.entriesShown = [5];
  out['oneEntry'] = oneEntry;
  // Four reasons (one more than named) and five (two more).
  for (const [name, extra] of [
    ['moreReasons1', ['M2', 'M3']],
    ['moreReasons2', ['M2', 'M3', 'M4']],
  ] as const) {
    const v = failVerdict();
    for (const title of extra) v.checks.push({ id: `mystery-${title}`, title, verdict: 'fail', detail: 'd' });
    out[name] = v;
  }
  return out;
}

/** The scopes of every variant in `lang`, and two the fixtures cannot give: two hand-overs returned, seals broken. */
function scopes(lang: Language): Record<string, Scope> {
  const meta = { ...META, lang };
  const out: Record<string, Scope> = {};
  for (const [name, v] of Object.entries(variants())) out[name] = buildReportModel(v, meta).scope;
  const v = passVerdict();
  const m = buildReportModel(v, meta);
  const f = findings(v, lang);
  const twoReturned = {
    ...m.custody,
    handovers: m.custody.handovers.map((h, i) => (i < 2 ? { ...h, outcome: 'rejected' as const } : h)),
  };
  out['twoReturned'] = deriveScope(v, f, m.identification, twoReturned, m.file, m.checkpoint);
  const sealBroken = {
    ...m.custody,
    events: m.custody.events.map((e) => (e.seq === 9 ? { ...e, sealBroken: true, digestMismatch: true } : e)),
  };
  out['sealBroken'] = deriveScope(v, f, m.identification, sealBroken, m.file, m.checkpoint);
  return out;
}

type Checkpoint = Parameters<typeof guaranteesOf>[0];
type Evidence = NonNullable<Parameters<typeof guaranteesOf>[1]>;

/** What the guarantees rest on, one case per branch. */
function guarantees(lang: Language): Record<string, Guarantee[]> {
  const cp: Checkpoint = { size: 17, root: 'ab', signedBy: null, witnesses: [], quorum: 0 };
  const t = '2024-06-01T00:00:00Z';
  const ev: Evidence = [
    {
      index: 20,
      size: 18,
      witnesses: { time: '2024-07-01T00:00:00Z', k: 3, of: 4 },
      token: {
        genTime: '2024-07-02T00:00:00Z',
        accuracyMs: 500,
        tsa: 'TSA One',
        policy: '1.2',
        qualified: true,
      },
    },
    {
      index: 30,
      size: 25,
      witnesses: { time: '2024-06-20T00:00:00Z', k: 11, of: 12 },
      token: {
        genTime: '2024-06-25T00:00:00Z',
        tsa: 'TSA Two',
        policy: '1.2',
        qualified: false,
        renewedBy: { by: 'PQ-9', time: '2040-01-01T00:00:00Z' },
      },
    },
    { index: 5, size: 10 },
  ];
  const one: Evidence = [{ index: 40, size: 18, witnesses: { time: t, k: 1, of: 1 } }];
  const sunset = { algorithm: 'Ed25519' as const, distrustedFrom: '2030-01-01' };
  return {
    plain: guaranteesOf(cp, [], null, lang),
    cosigned: guaranteesOf({ ...cp, cosignedAt: t }, [], null, lang),
    bound: guaranteesOf(
      { ...cp, existedNoLaterThan: { time: t, k: 2, of: 3 }, mlDsaSignedBy: ['PQ-1', 'PQ-2'] },
      [],
      null,
      lang,
    ),
    bound1: guaranteesOf({ ...cp, existedNoLaterThan: { time: t, k: 1, of: 1 } }, [], null, lang),
    anchored: guaranteesOf(
      { ...cp, mlDsaSignedBy: ['PQ-1'], sunset: { ...sunset, anchoredBy: { by: 'PQ-1', time: t } } },
      [],
      null,
      lang,
    ),
    sunsetBare: guaranteesOf({ ...cp, sunset }, [], null, lang),
    archived: guaranteesOf({ ...cp, existedNoLaterThan: { time: t, k: 2, of: 3 } }, ev, 14, lang),
    archivedQualified: guaranteesOf(cp, [ev[0]!], 14, lang),
    archivedOne: guaranteesOf({ ...cp, existedNoLaterThan: { time: t, k: 1, of: 1 } }, one, 14, lang),
    archivedNone: guaranteesOf(cp, [ev[2]!], 14, lang),
  };
}

/** Every sentence of the area in `lang`, one per line. */
function sentences(lang: Language): string[] {
  const s = Object.values(scopes(lang)).flatMap((x) => [...x.proven, ...x.notProven]);
  const g = Object.values(guarantees(lang)).flatMap((x) => x.map((y) => y.restsOn));
  return [...s, ...g];
}

/** The fixed words of a template: what is left between its placeholders and optional marks. */
const fixedParts = (template: string) =>
  template
    .split(/\{[^{}]+\}|[[\]]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');

const ENGLISH = AREAS.flatMap((a) => Object.values(a.en))
  .flatMap(fixedParts)
  .filter((p) => p.length > 12);

describe.each(TRANSLATED)('scope and guarantees in %s', (lang) => {
  const all = sentences(lang);
  const text = all.join('\n');

  it('leaves no English wording, no placeholder, nothing undefined', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(ENGLISH.length).toBeGreaterThan(100);
    for (const p of ENGLISH) expect(text, p).not.toContain(p);
    expect(text).not.toMatch(/\{[A-Za-z]+\}/);
    expect(text).not.toMatch(/undefined|NaN|not recorded/);
  });

  it('words every message of the area (each branch is reached)', () => {
    for (const area of [SCOPE_PROVEN, SCOPE_UNPROVEN, SCOPE_LIMITS, GUARANTEES])
      for (const [key, template] of Object.entries(area[lang]))
        for (const p of fixedParts(template)) expect(text, `${key}: ${p}`).toContain(p);
  });

  it('keeps every limit of any record, whatever the checks say', () => {
    for (const s of Object.values(scopes(lang)))
      for (const key of ['truth', 'times', 'people', 'physical'] as const)
        expect(s.notProven).toContain(SCOPE_LIMITS[lang][key]);
  });

  it('quotes the record verbatim inside the translated sentences', () => {
    const pass = scopes(lang)['pass']!.proven.join('\n');
    for (const v of [DIGESTS.sha256, ORIGINAL_ID, 'HDD-01', 'HDD01.dd', '2024-03-04 07:02:00 UTC'])
      expect(pass).toContain(v);
    expect(pass).toContain('witness.eurojust.example, witness.nfi.example');
  });
});

describe('scope and guarantees: exact sentences', () => {
  it('French', () => {
    const s = scopes('fr');
    expect(s['pass']!.proven).toContain(
      'Continuité de la garde au sein de l’enregistrement : la garde a été continue depuis l’enregistrement (entrée 5) jusqu’à l’entrée 14 : chaque remise a été acceptée par le destinataire qu’elle désigne (3 sur 3).',
    );
    expect(s['oneWitness']!.proven).toContain(
      'Confirmation indépendante : 1 témoin (witness.eurojust.example) a cosigné ce point de contrôle, ce qui atteint le quorum requis de 1 : c’est cet historique qui lui a été présenté, et non un autre.',
    );
    expect(s['noHead']!.notProven).toContain(
      'Que l’entrée 14 soit le dernier événement de cette pièce à conviction jusqu’au point de contrôle : le dossier n’apporte pas la preuve de la fiche de la pièce à conviction au point de contrôle ; des événements ultérieurs de la pièce ont donc pu être omis.',
    );
    const np = s['mismatchOnly']!.notProven.find((x) => x.startsWith('La continuité'))!;
    expect(np).toMatch(/^La continuité et l’intégrité de la garde ne sont PAS démontrées\. Motifs : /);
    expect(np).toContain(
      ' ; l’entrée 14 a consigné une empreinte différente de l’empreinte enregistrée. Les faits consignés sont des entrées authentiques : l’élément de preuve peut avoir changé, et ce qui s’est passé doit être établi par d’autres sources.',
    );
    expect(s['moreReasons1']!.notProven[0]).toMatch(/ ; et 1 autre\.$/);
    expect(s['moreReasons2']!.notProven[0]).toMatch(/ ; et 2 autres\.$/);
    expect(guarantees('fr')['sunsetBare']![1]!.restsOn).toBe(
      'les signatures Ed25519 de chaque déclaration signée, qui ne sont plus tenues pour fiables (à partir du 2030-01-01) : NON prouvé',
    );
  });

  it('German', () => {
    const s = scopes('de');
    expect(s['pass']!.proven).toContain(
      'Unversehrtheit bei der Übergabe: Empfänger, die den Hashwert bei Erhalt neu berechnet und mit dem registrierten übereinstimmend gefunden haben: 3 von 3 (Einträge 7, 12, 14). Kein Siegel wurde als gebrochen aufgezeichnet.',
    );
    expect(s['pass']!.notProven).toContain(
      'Physischer Gewahrsam außerhalb der Aufzeichnung: wo sich das Beweismittel zwischen den Einträgen physisch befand und wer Zugang zu ihm hatte.',
    );
    expect(s['derived']!.proven).toContain(
      `Herkunft: Dieses Beweisstück ist als abgeleitet von „HDD-01“ (${ORIGINAL_ID}, registriert in Eintrag 5) aufgezeichnet; die Ableitung wurde von Dr. M. Bakker (Nederlands Forensisch Instituut, NL) in Eintrag 9 registriert.`,
    );
    expect(s['moreReasons1']!.notProven[0]).toMatch(/; und 1 weiterer\.$/);
    expect(guarantees('de')['bound']![2]!.restsOn).toBe(
      'den Uhren der Zeugen: Der Prüfpunkt existierte spätestens am 2024-06-01T00:00:00Z, dem 2. frühesten von 3 Zeugen-Zeitstempeln (dies gilt, sofern weniger als 2 Zeugen falsche Zeitangaben machen); die eigenen Zeitangaben der signierten Erklärungen beruhen auf den Angaben ihrer Unterzeichner',
    );
  });

  it('Dutch', () => {
    const s = scopes('nl');
    expect(s['pass']!.notProven).toContain(
      'Gebeurtenissen na het controlepunt: niets wat na het controlepunt van grootte 17 is vastgelegd, wordt gedekt.',
    );
    expect(s['crossings']!.notProven.join('\n')).toContain(
      'De geschiedenis van het stuk van overtuiging in het register "other.example": deze vastlegging toont wat daarvandaan is overgekomen (vermelding 11),',
    );
    expect(s['crossings']!.notProven.join('\n')).toContain('is overgekomen (vermeldingen 7, 9),');
    expect(s['quorum0']!.notProven).toContain(
      'Onafhankelijke bevestiging van het controlepunt: er zijn geen medeondertekeningen van getuigen vereist of gecontroleerd; het is dus niet aangetoond dat aan anderen dezelfde geschiedenis is getoond (een gesplitste weergave is niet uitgesloten).',
    );
    expect(guarantees('nl')['archivedQualified']![2]!.restsOn).toBe(
      'gearchiveerd tijdsbewijs: de laatste gebeurtenis van het stuk van overtuiging (vermelding 14) bestond uiterlijk op 2024-07-02T00:00:00Z (±500 ms) volgens het RFC 3161-token van TSA One over het controlepunt van grootte 18, gearchiveerd in vermelding 20 (een gekwalificeerd tijdstempel: de vertrouwende partij vermeldt deze TSA als gekwalificeerd), en uiterlijk op 2024-07-01T00:00:00Z, de 3e vroegste van 4 tijdstempels van getuigen op het controlepunt van grootte 18, gearchiveerd in vermelding 20',
    );
  });
});

describe('scope and guarantees: English as before', () => {
  it('reads exactly as it did', () => {
    const s = scopes('en');
    expect(s['pass']!.proven).toContain(
      'Integrity at hand-over: 3 of 3 receivers re-computed the digest on receipt and it matched the registered one (entries 7, 12, 14). No seal was recorded as broken.',
    );
    expect(s['oneEntry']!.proven[0]).toMatch(
      /^Authenticity of the record: each of the 1 entry shown carries /,
    );
    expect(s['rejected']!.proven).toContain(
      'Continuity of custody within the record: custody was continuous from registration (entry 5) to entry 14: every hand-over was accepted by the receiver named in it (2 of 3), except 1 that was rejected or cancelled, returning custody to the sender.',
    );
    expect(s['twoReturned']!.proven.join('\n')).toContain(
      'except 2 that were rejected or cancelled, returning custody to the sender.',
    );
    expect(s['crossings']!.notProven.join('\n')).toContain(
      'this record shows what crossed from it (entries 11),',
    );
    expect(s['twice']!.proven.join('\n')).toContain(
      `(${ORIGINAL_ID}, registered at entry 5), derived in turn from "HDD-01" (${ORIGINAL_ID}, registered at entry 5);`,
    );
    expect(s['moreReasons2']!.notProven[0]).toMatch(/; and 2 more\.$/);
    expect(s['noExhibit']!.notProven).toContain(
      'What happened before registration: the seizure itself, and any handling of the evidence before it was registered, are outside the record.',
    );
    expect(s['unsigned']!.notProven).toContain(
      'Completeness of the history up to a signed checkpoint is NOT shown. Reason: the checkpoint is not signed by a log key.',
    );
    const g = guarantees('en');
    expect(g['archived']![2]!.restsOn).toBe(
      "archived time evidence: the exhibit's last event (entry 14) existed no later than 2024-06-25T00:00:00Z by the RFC 3161 token of TSA Two over the checkpoint of size 25 archived at entry 30 (the TSA's clock; not marked qualified by the relying party; its own signature's algorithm is distrusted by now, and the ML-DSA-44 signature of PQ-9 made at 2040-01-01T00:00:00Z vouches for it), and no later than 2024-06-20T00:00:00Z, the 11th earliest of 12 witness timestamps on the checkpoint of size 25 archived at entry 30; the checkpoint itself existed no later than 2024-06-01T00:00:00Z (2nd earliest of 3 witness timestamps)",
    );
    expect(g['anchored']![0]!.restsOn).toBe(
      'the SHA-256 Merkle tree (RFC 9162) of the first 17 entries, whose root the log signed with Ed25519 and with ML-DSA-44 (FIPS 204, key PQ-1); Ed25519 is distrusted from 2030-01-01, so this rests on the ML-DSA-44 signature of PQ-1 made at 2024-06-01T00:00:00Z, before then',
    );
    expect(g['bound1']![2]!.restsOn).toBe(
      "the witnesses' clocks: the checkpoint existed no later than 2024-06-01T00:00:00Z, the 1st earliest of 1 witness timestamps (it holds if fewer than 1 witnesses lie about time); the statements' own times are their signers' word",
    );
    expect(g['plain']!.map((x) => x.guarantee)).toEqual(['content and order', 'signer identity', 'time']);
  });
});
