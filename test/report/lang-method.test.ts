/**
 * Provenance, method and declaration in French, German and Dutch (src/report/model-method.ts,
 * src/report/messages/{method,declaration,framing}.ts): every branch is worded in the language,
 * the signer's blanks keep their brackets, the legal framing cites each law as the language does,
 * and English reads exactly as before.
 */
import { describe, expect, it } from 'vitest';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { COMMON, LANGUAGES, type Language } from '../../src/report/i18n.js';
import { buildReportModel, type ReportMeta } from '../../src/report/index.js';
import { BLANKS, DECLARATION } from '../../src/report/messages/declaration.js';
import { FRAMING } from '../../src/report/messages/framing.js';
import { METHOD } from '../../src/report/messages/method.js';
import { certificationOf, type LEGAL_FRAMINGS, methodOf } from '../../src/report/model-method.js';
import type { Identification } from '../../src/report/model-types.js';
import { caseVerdict, failVerdict, META, passVerdict } from './fixtures.js';

const TRANSLATED = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');
/** Only the digests matter to the method's note on weak algorithms. */
const TWO_WEAK = {
  digests: [
    { algorithm: 'sha1', name: 'SHA-1', hex: '' },
    { algorithm: 'md5', name: 'MD5', hex: '' },
  ],
} as unknown as Identification;
const HASHES = { verifierCodeSha256: 'cd'.repeat(32), bundleSha256: 'ef'.repeat(32) };

const ledgerVerdict = (noFile = false): ExhibitVerdictV2 => {
  const v = caseVerdict({ noFile });
  v.source = { kind: 'ledger', name: 'custody.ledger' };
  return v;
};

/** Every sentence this area puts in a report for `lang`, over every branch it has. */
function allText(lang: Language): string {
  const out: string[] = [];
  const metas: ReportMeta[] = [
    { ...META, lang },
    { ...META, lang, ...HASHES, framing: 'us' },
    { ...META, lang, verifierPageSha256: 'ab'.repeat(32), framing: 'uk' },
  ];
  for (const meta of metas)
    for (const v of [passVerdict(), failVerdict(), ledgerVerdict(), ledgerVerdict(true)]) {
      const m = buildReportModel(v, meta);
      out.push(m.provenance.text, ...m.method.algorithms.map((a) => a.use), ...m.method.notes);
      out.push(m.certification.heading, ...m.certification.paragraphs, ...m.certification.signatureLines);
      // One finding: the singular wording.
      const one = { ...m.verdict, verified: false, reasons: ['x'] };
      out.push(...certificationOf(v, meta, one, m.identification, m.generatedAt, m.file).paragraphs);
      // No identified exhibit: the declaration names it by reference to the report.
      out.push(...certificationOf(v, meta, m.verdict, null, m.generatedAt, m.file).paragraphs);
    }
  out.push(...methodOf({ ...META, lang }, TWO_WEAK).notes);
  return out.join('\n');
}

/** The fixed parts of a template: the text between its placeholders and optional brackets. */
const fragments = (template: string) =>
  template
    .split(/\{[^{}]+\}|[[\]]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 12);

describe('method and declaration in the report language', () => {
  const text = Object.fromEntries(LANGUAGES.map((l) => [l, allText(l)])) as Record<Language, string>;

  it('English: the branches above cover every template of this area', () => {
    for (const area of [METHOD, DECLARATION, BLANKS, FRAMING])
      for (const english of Object.values(area.en))
        for (const f of fragments(english)) expect(text.en, `"${f}"`).toContain(f);
  });

  it.each(TRANSLATED)('%s: no English template of this area is left', (lang) => {
    for (const area of [METHOD, DECLARATION, BLANKS, FRAMING])
      for (const english of Object.values(area.en))
        for (const f of fragments(english)) expect(text[lang], `${lang}: "${f}"`).not.toContain(f);
  });

  it.each(LANGUAGES)('%s: no placeholder, "undefined" or "not recorded" is printed', (lang) => {
    expect(text[lang]).not.toMatch(/\{[^{}]*\}/);
    expect(text[lang]).not.toContain('undefined');
    expect(text[lang]).not.toContain(COMMON[lang].notRecorded);
  });

  it.each(LANGUAGES)('%s: the signer’s blanks keep their square brackets', (lang) => {
    const c = buildReportModel(passVerdict(), { ...META, lang }).certification;
    const paragraphs = c.paragraphs.join('\n');
    for (const b of Object.values(BLANKS[lang])) {
      expect(b.startsWith('[') && b.endsWith(']')).toBe(true);
      expect(paragraphs).toContain(b);
    }
    expect(c.paragraphs.at(-1)).toBe(BLANKS[lang].review);
  });

  it('French: exact sentences, « » quotes, French article numbering', () => {
    const m = buildReportModel(passVerdict(), { ...META, lang: 'fr' });
    expect(m.certification.heading).toBe(
      'Déclaration (modèle : l’expert responsable l’examine et la signe ; l’outil ne certifie rien)',
    );
    expect(m.method.notes).toEqual([
      'MD5 n’est indiqué qu’à titre de comparaison avec d’autres outils ; aucune constatation n’en dépend (des collisions peuvent être construites).',
    ]);
    const p = m.certification.paragraphs;
    expect(p[0]).toBe(
      'Je soussigné(e), [nom et prénom], [fonction] au sein de [organisme], suis l’expert responsable de cette vérification, qualifié(e) par [formation et expérience] pour l’effectuer et l’expliquer.',
    );
    expect(p[1]).toMatch(
      /^Le \[date de la vérification\], j’ai vérifié le dossier de preuve « OM-AMS-2024-0117-HDD-01\.custody » \(.+ octets\) pour la pièce à conviction « HDD-01 » \(EX-[^)]+\), affaire OM-AMS 2024\/0117, au moyen de custody version 0\.1\.0\./,
    );
    expect(p[2]).toMatch(/^Le résultat était : VÉRIFIÉ\. Le fichier « HDD01\.dd » que j’ai examiné/);
    const eu = p.join('\n');
    for (const s of [
      'Règlement (UE) n° 910/2014 (eIDAS), tel que modifié par le règlement (UE) 2024/1183',
      'article 46',
      'cachets électroniques',
      'horodatages électroniques',
      'article 45 duodecies (effets juridiques des registres électroniques)',
      'article 45 terdecies',
      'seuls les enregistrements de données contenus dans un registre électronique qualifié',
      'prestataire de services de confiance qualifié',
      'le juge décide d’après son intime conviction (article 427 du code de procédure pénale)',
      '§ 261 du code de procédure pénale allemand, Strafprozessordnung',
      'article 339 du code de procédure pénale néerlandais (Wetboek van Strafvordering)',
    ])
      expect(eu).toContain(s);
    expect(eu).not.toContain('45k');
  });

  it('German: exact sentences, „ “ quotes, Art. and §', () => {
    const m = buildReportModel(failVerdict(), { ...META, lang: 'de' });
    const p = m.certification.paragraphs;
    expect(p[2]).toMatch(
      /^Das Ergebnis lautete: NICHT VERIFIZIERT; \d+ Befunde \(vollständig aufgeführt unter „Prüfungen“ und „Probleme“\) stehen der Verifizierung entgegen\. Ich gebe keine Erklärung/,
    );
    const one = { ...m.verdict, reasons: ['x'] };
    expect(
      certificationOf(failVerdict(), { ...META, lang: 'de' }, one, m.identification, m.generatedAt, m.file)
        .paragraphs[2],
    ).toContain(
      '; 1 Befund (vollständig aufgeführt unter „Prüfungen“ und „Probleme“) steht der Verifizierung',
    );
    expect(m.certification.signatureLines).toEqual([
      'Unterschrift: ______________________',
      'Name und Funktion: ______________________',
      'Ort und Datum: ______________________',
    ]);
    const eu = p.join('\n');
    for (const s of [
      'Verordnung (EU) Nr. 910/2014 (eIDAS), geändert durch die Verordnung (EU) 2024/1183',
      'Art. 46',
      'elektronischer Siegel',
      'elektronischer Zeitstempel',
      'Art. 45k (Rechtswirkung elektronischer Journale)',
      'Art. 45l',
      'qualifiziertes elektronisches Journal',
      'qualifizierter Vertrauensdiensteanbieter',
      '§ 261 StPO, freie Beweiswürdigung',
      'ERVV (Elektronischer-Rechtsverkehr-Verordnung)',
      'Art. 427',
    ])
      expect(eu).toContain(s);
  });

  it('Dutch: exact sentences and Dutch article numbering', () => {
    const m = buildReportModel(ledgerVerdict(true), { ...META, lang: 'nl', ...HASHES });
    expect(m.provenance.text).toBe(
      `Geverifieerd op ${m.generatedAt.utc} met de verificatiepagina van custody 0.1.0 (de ingebouwde code heeft SHA-256 ${'cd'.repeat(32)}). Het geverifieerde pakket heeft SHA-256 ${'ef'.repeat(32)}. Dit rapport bewijst op zichzelf niets: het bewijs is het pakket, gecontroleerd met een onafhankelijk verkregen verificatieprogramma.`,
    );
    const p = m.certification.paragraphs;
    expect(p[1]).toMatch(
      /^Op \[datum\] heb ik het bewaarregister "custody\.ledger" geverifieerd voor het stuk van overtuiging/,
    );
    expect(p[3]).toContain('een onafhankelijke persoon die hetzelfde register verkrijgt,');
    const eu = p.join('\n');
    for (const s of [
      'Verordening (EU) nr. 910/2014 (eIDAS), zoals gewijzigd bij Verordening (EU) 2024/1183',
      'artikel 46',
      'elektronische zegels',
      'elektronische tijdstempels',
      'artikel 45 duodecies (rechtsgevolgen van elektronische registers)',
      'artikel 45 terdecies',
      'alleen de gegevensrecords in een gekwalificeerd elektronisch register',
      'artikel 339 van het Wetboek van Strafvordering',
      'schriftelijk bescheid van de ondertekenaar (artikel 344)',
    ])
      expect(eu).toContain(s);
  });

  it.each(TRANSLATED)(
    '%s: US and UK framings keep the rule names and never make the tool certify',
    (lang) => {
      const para = (framing: (typeof LEGAL_FRAMINGS)[number]) =>
        buildReportModel(passVerdict(), { ...META, lang, framing }).certification.paragraphs.join('\n');
      const us = para('us');
      for (const s of [
        'Federal Rule of Evidence 902(13)',
        'Rule 902(14)',
        'Rule 902(11)',
        'self-authenticating',
      ])
        expect(us).toContain(s);
      expect(us).not.toContain('910/2014');
      expect(us).toContain(
        {
          fr: 'l’outil ne certifie pas',
          de: 'das Programm bescheinigt nichts',
          nl: 'het programma certificeert niet',
        }[lang],
      );
      const uk = para('uk');
      expect(uk).toContain(
        {
          fr: 'Forensic Science Regulator en vertu du Forensic Science Regulator Act 2021',
          de: 'Forensic Science Regulator (Forensic Science Regulator Act 2021)',
          nl: 'Forensic Science Regulator (Forensic Science Regulator Act 2021)',
        }[lang],
      );
      expect(uk).toContain('statutory Code of Practice');
      expect(uk).not.toContain('902(');
    },
  );

  it('English reads exactly as before', () => {
    const m = buildReportModel(ledgerVerdict(), { ...META, ...HASHES });
    expect(m.provenance.text).toBe(
      `Verified ${m.generatedAt.utc} by the verifier page of custody 0.1.0 (its embedded code has SHA-256 ${'cd'.repeat(32)}). The bundle verified has SHA-256 ${'ef'.repeat(32)}. This report proves nothing by itself: its evidence is the bundle, checked with a verifier obtained independently.`,
    );
    expect(buildReportModel(passVerdict(), META).provenance.text).toBe(
      `Verified ${m.generatedAt.utc} by custody 0.1.0 (the SHA-256 of its verifier page was not at hand). This report proves nothing by itself: its evidence is the bundle, checked with a verifier obtained independently.`,
    );
    const c = m.certification;
    expect(c.heading).toBe(
      'Declaration (template: the responsible expert reviews and signs it; the tool certifies nothing)',
    );
    expect(c.paragraphs[0]).toBe(
      'I, [full name], [position] at [organisation], am the expert responsible for this verification, qualified by [training and experience] to carry it out and explain it.',
    );
    expect(c.paragraphs[1]).toMatch(
      /^On \[date\] I verified the custody ledger "custody\.ledger" for exhibit "HDD-01" /,
    );
    expect(c.paragraphs[3]).toContain('who obtains the same ledger and evidence file, and the authority');
    expect(c.paragraphs.at(-1)).toBe(
      '[Review this declaration, adapt it to the applicable law and procedure, and sign it only if you stand by it.]',
    );
    expect(c.signatureLines[0]).toBe('Signature: ______________________');
    expect(methodOf(META, TWO_WEAK).notes).toEqual([
      'SHA-1 and MD5 are shown only for comparison with other tools; no finding rests on them (collisions can be constructed).',
    ]);
    expect(m.method.algorithms.map((a) => a.use)[3]).toBe("the log's signed statement of its size and root");
  });
});
