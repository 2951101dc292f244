/**
 * The custody, lineage and event wording of the report in French, German and Dutch
 * (src/report/messages/custody.ts, src/report/messages/events.ts): whole sentences come out
 * translated, no English template is left in a translated report, nothing is left unfilled, and
 * English reads as it always did.
 */
import { describe, expect, it } from 'vitest';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import type { ActorInfo } from '../../src/custody/timeline.js';
import { LANGUAGES, type Language } from '../../src/report/i18n.js';
import { CUSTODY, LINEAGE } from '../../src/report/messages/custody.js';
import { EVENTS, NOTES } from '../../src/report/messages/events.js';
import { buildReportModel, type ReportModel } from '../../src/report/model.js';
import { eventWording, fillWording, noteWording } from '../../src/report/wording.js';
import {
  buildWorld,
  derivedVerdict,
  failVerdict,
  META,
  ORIGINAL,
  passVerdict,
  statement,
  t,
  timelineOf,
} from './fixtures.js';

const GREFFIERE = 'Greffière Claire Martin (Tribunal judiciaire de Paris, FR)';
const SCHMIDT = 'KHK Anna Schmidt (Bundeskriminalamt, DE)';
const BAKKER = 'Dr. M. Bakker (Nederlands Forensisch Instituut, NL)';
const court: ActorInfo = {
  id: 'K-C',
  name: 'Greffière Claire Martin',
  org: 'Tribunal judiciaire de Paris',
  jurisdiction: 'FR',
};

/** The hand-over to the court left pending (entries up to 13). */
function pendingVerdict(): ExhibitVerdictV2 {
  const w = buildWorld();
  const v = passVerdict();
  v.timeline = timelineOf(
    w,
    ORIGINAL,
    w.shown.filter((s) => s.index <= 13),
  );
  return v;
}

/** The hand-over to the court rejected at entry 14. */
function rejectedVerdict(): ExhibitVerdictV2 {
  const w = buildWorld();
  const reject = statement(
    w,
    14,
    'reject',
    'court',
    '2024-05-21T14:45:00Z',
    { reason: 'seal number differs' },
    {
      exhibit: ORIGINAL,
      after: new Uint8Array(32),
    },
  );
  const v = passVerdict();
  v.timeline = timelineOf(w, ORIGINAL, [...w.shown.filter((s) => s.index <= 13), reject]);
  return v;
}

/** The passing case, then disposed of by the court, with a disclosure and a legal hold noted. */
function disposedVerdict(method?: string): ExhibitVerdictV2 {
  const v = passVerdict();
  const tl = v.timeline!;
  const time = t('2024-09-01T10:00:00Z');
  tl.events.push({
    seq: 20,
    kind: 'dispose',
    time,
    loggedAt: time,
    tz: 'UTC',
    actor: court,
    details: method ? { method } : {},
  });
  tl.status = 'disposed';
  tl.notes = [
    {
      seq: 21,
      kind: 'disclose',
      time,
      loggedAt: time,
      tz: 'UTC',
      actor: court,
      details: { recipient: 'Defence', profile: 'minimal', fields: 'label', legalBasis: 'CPP art. 114' },
    },
    {
      seq: 22,
      kind: 'restrict',
      time,
      loggedAt: time,
      tz: 'UTC',
      actor: court,
      details: { fields: 'description', recipients: 'Court' },
    },
  ];
  return v;
}

/** The pending case with the receiver of the open hand-over unknown. */
function unknownReceiverVerdict(): ExhibitVerdictV2 {
  const v = pendingVerdict();
  const last = v.timeline!.periods.at(-1)!;
  delete last.to;
  return v;
}

const noCustodyVerdict = () => ({ ...passVerdict(), timeline: null });

const CASES: Record<string, () => ExhibitVerdictV2> = {
  pass: passVerdict,
  fail: failVerdict,
  derived: derivedVerdict,
  pending: pendingVerdict,
  rejected: rejectedVerdict,
  disposed: () => disposedVerdict('destroyed'),
  disposedNoMethod: () => disposedVerdict(),
  unknownReceiver: unknownReceiverVerdict,
  noCustody: noCustodyVerdict,
};

const model = (v: ExhibitVerdictV2, lang: Language) => buildReportModel(v, { ...META, lang });
/** The human text of the parts of the report this area words (machine values left out). */
const texts = (m: ReportModel): string[] => {
  const c = m.custody;
  const periods = [...c.periods, ...m.lineage.flatMap((l) => l.periods)];
  return [
    ...c.story,
    c.finalState,
    ...periods.flatMap((p) => [p.text, p.duration.text]),
    ...c.events.map((e) => e.summary),
    ...c.notes.map((n) => n.summary),
    ...c.handovers.flatMap((h) => [h.to.text, h.transit?.text ?? '']),
    ...m.lineage.map((l) => l.text),
    m.identification?.size.text ?? '',
  ];
};

describe('custody wording in fr, de, nl', () => {
  it('French: the story, final state, periods, events and lineage read in French', () => {
    const m = model(failVerdict(), 'fr');
    expect(m.custody.story[0]).toBe(
      '2024-03-04 : Enregistrement par Insp. J. de Vries (Politie Eenheid Amsterdam, NL)',
    );
    expect(m.custody.story.at(-1)).toBe(
      `2024-05-20 : ${SCHMIDT} a remis la pièce à conviction à ${GREFFIERE} en vertu de JIT agreement NL-DE-FR 2023/17 (Framework Decision 2002/465/JHA) ; acceptation le 2024-05-21, empreinte : DIVERGENTE, scellé : non rompu [SIGNALÉ : voir les vérifications et les problèmes]`,
    );
    expect(m.custody.finalState).toBe(
      `À la fin de l’enregistrement, la pièce à conviction est sous la garde de ${GREFFIERE}, depuis le 2024-05-21 14:45:00 UTC (entrée 14).`,
    );
    expect(m.custody.periods[2]!.text).toBe(`sous la garde de ${BAKKER}`);
    expect(m.custody.periods[2]!.duration.text).toBe('27 jours 21 h');
    expect(m.custody.periods.at(-1)!.duration.text).toBe('en cours (encore à la fin de l’enregistrement)');
    expect(m.custody.events[2]!.summary).toBe(`Acceptation par ${BAKKER}`);
    expect(m.custody.handovers[1]!.transit!.text).toBe('1 jour 5 h 35 min');
    expect(m.identification!.size.text).toBe('500\u00a0107\u00a0862\u00a0016 octets');
    expect(m.lineage.at(-1)!.text).toBe(
      `Copie « HDD-01/WC1 » (${m.lineage.at(-1)!.exhibitId}) dérivée de cette pièce à conviction à l’entrée 9 le 2024-03-06 09:40:00 UTC par ${BAKKER}.`,
    );
  });

  it('German: a pending hand-over, a derived exhibit and the notes', () => {
    const p = model(pendingVerdict(), 'de');
    expect(p.custody.finalState).toBe(
      `Am Ende der Aufzeichnung befindet sich das Beweisstück auf dem Transportweg von ${SCHMIDT} zu ${GREFFIERE}, seit 2024-05-20 08:00:00 UTC (Eintrag 13); der Empfänger hat es noch nicht angenommen.`,
    );
    expect(p.custody.story.at(-1)).toMatch(/; am Ende der Aufzeichnung noch nicht angenommen$/);
    const d = model(derivedVerdict(), 'de');
    expect(d.lineage[1]!.text).toMatch(
      /^Abgeleitet von „HDD-01“ \(EX-[0-9A-Z-]+\), registriert in Eintrag 5 am /,
    );
    const n = model(disposedVerdict('destroyed'), 'de');
    expect(n.custody.notes[0]!.summary).toBe(
      `Offengelegt gegenüber Defence (Profil minimal) von ${GREFFIERE}, gestützt auf CPP art. 114; im Klartext übermittelt: label`,
    );
    expect(n.custody.finalState).toBe(
      `Über das Beweisstück hat ${GREFFIERE} am 2024-09-01 10:00:00 UTC abschließend verfügt (destroyed; Eintrag 20).`,
    );
  });

  it('Dutch: a rejected hand-over, an unknown receiver and a missing custody record', () => {
    const r = model(rejectedVerdict(), 'nl');
    expect(r.custody.story.at(-1)).toBe(
      `2024-05-20: ${SCHMIDT} heeft het stuk van overtuiging overgedragen aan ${GREFFIERE} op grond van JIT agreement NL-DE-FR 2023/17 (Framework Decision 2002/465/JHA); geweigerd (seal number differs)`,
    );
    expect(r.custody.handovers.at(-1)!.outcome).toBe('rejected'); // machine value, not translated
    const u = model(unknownReceiverVerdict(), 'nl');
    expect(u.custody.periods.at(-1)!.text).toBe(`onderweg van ${SCHMIDT} naar een onbekende ontvanger`);
    expect(u.custody.handovers.at(-1)!.to.text).toBe('onbekende ontvanger (onbekend, ??)');
    expect(model(noCustodyVerdict(), 'nl').custody.finalState).toBe(
      'Voor dit stuk van overtuiging is geen vastlegging van de bewaring beschikbaar.',
    );
  });

  it('every event and note template is worded in every language, with the "not recorded" of the language', () => {
    expect(fillWording(eventWording('fr', 'transfer').summary, { who: 'A' }, 'non enregistré')).toBe(
      'Remise par A à non enregistré',
    );
    expect(noteWording('nl', 'release')).toBe('Juridische blokkade opgeheven door {who}[ ({ground})]');
    for (const lang of LANGUAGES)
      expect(eventWording(lang, 'register').derived).toBe(EVENTS[lang].registerDerived);
  });

  // English fragments of this area's templates, placeholders and optional-part brackets taken out.
  const englishFragments = [CUSTODY, LINEAGE, EVENTS, NOTES]
    .flatMap((c) => Object.values(c.en))
    .flatMap((tpl) => tpl.split(/\{[^{}]+\}|[[\]]/))
    .map((s) => s.trim())
    .filter((s) => s.length > 12);

  it('the fragment list is not empty (the check below checks something)', () => {
    expect(englishFragments).toContain('handed the exhibit to');
    expect(englishFragments.length).toBeGreaterThan(30);
  });

  for (const lang of ['fr', 'de', 'nl'] as const)
    it(`${lang}: no English template, placeholder or "undefined" is left in any case`, () => {
      for (const [name, make] of Object.entries(CASES)) {
        const all = texts(model(make(), lang));
        expect(all.length, name).toBeGreaterThan(1);
        for (const text of all) {
          for (const f of englishFragments) expect(text, `${name}: "${f}"`).not.toContain(f);
          expect(text, name).not.toMatch(/\{[a-zA-Z]+\}/);
          expect(text, name).not.toContain('undefined');
          expect(text, name).not.toContain('not recorded');
        }
      }
    });

  it('English reads as before', () => {
    const m = model(failVerdict(), 'en');
    expect(m.custody.story.at(-1)).toBe(
      `2024-05-20: ${SCHMIDT} handed the exhibit to ${GREFFIERE} under JIT agreement NL-DE-FR 2023/17 (Framework Decision 2002/465/JHA); accepted 2024-05-21, digest MISMATCH, seal intact [FLAGGED: see checks and problems]`,
    );
    expect(m.custody.periods[1]!.text).toBe(
      `in transit from Insp. J. de Vries (Politie Eenheid Amsterdam, NL) to ${BAKKER}`,
    );
    expect(model(unknownReceiverVerdict(), 'en').custody.finalState).toBe(
      `At the end of the record the exhibit is in transit from ${SCHMIDT} to an unknown receiver, since 2024-05-20 08:00:00 UTC (entry 13); the receiver has not yet accepted it.`,
    );
    expect(model(disposedVerdict(), 'en').custody.finalState).toBe(
      `The exhibit was disposed of (method not recorded) by ${GREFFIERE} on 2024-09-01 10:00:00 UTC (entry 20).`,
    );
    expect(model(rejectedVerdict(), 'en').custody.story.at(-1)).toMatch(
      /; rejected \(seal number differs\)$/,
    );
    expect(model(derivedVerdict(), 'en').lineage[0]!.text).toMatch(
      /^This exhibit, "HDD-01\/WC1" \(EX-[0-9A-Z-]+\), registered at entry 9 by Dr\. M\. Bakker .*, derived from EX-[0-9A-Z-]+\.$/,
    );
  });
});
