/**
 * The verdict, the checks and the problems in French, German and Dutch (src/report/model-verdict.ts,
 * model-areas.ts, the title, source, checkpoint and problem lines of model.ts; catalogues in
 * src/report/messages/{verdict,summary,checks,check-meanings,problem-areas}.ts): every branch is
 * worded in the language, the verifier's own details stay verbatim inside translated sentences,
 * machine values stay as they are, and English reads exactly as before.
 */
import { describe, expect, it } from 'vitest';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { PROBLEM_AREAS, PROBLEM_INFO, type ProblemCode } from '../../src/problem-codes.js';
import { LANGUAGES, type Language } from '../../src/report/i18n.js';
import { buildReportModel, type ReportModel } from '../../src/report/index.js';
import { CHECK_MEANINGS } from '../../src/report/messages/check-meanings.js';
import { AREA_MEANINGS, CHECK_TITLES, CHECK_VERDICTS } from '../../src/report/messages/checks.js';
import { PROBLEM_AREA_TEXT } from '../../src/report/messages/problem-areas.js';
import { SUMMARY } from '../../src/report/messages/summary.js';
import { VERDICT } from '../../src/report/messages/verdict.js';
import { CHECK_MEANING, checkTitle, problemAreaText } from '../../src/report/model-areas.js';
import { CHECKS_V2 } from '../../src/verify/bundle-v2-checks.js';
import { caseVerdict, failVerdict, META, ORIGINAL_ID, passVerdict } from './fixtures.js';

const TRANSLATED = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');
const AREAS = [
  VERDICT,
  SUMMARY,
  CHECK_TITLES,
  CHECK_MEANINGS,
  AREA_MEANINGS,
  CHECK_VERDICTS,
  PROBLEM_AREA_TEXT,
];

/** One verdict per branch of this area's wording. */
function variants(): Record<string, ExhibitVerdictV2> {
  const out: Record<string, ExhibitVerdictV2> = {
    pass: passVerdict(),
    fail: failVerdict(),
    noFile: caseVerdict({ noFile: true }),
    unanchored: caseVerdict({ anchored: false }),
  };
  // VERIFIED although the file in hand differs (the file's check is not among the essentials).
  const differs = passVerdict();
  differs.file!.matches = false;
  out['fileDiffers'] = differs;
  // VERIFIED with a recorded mismatch (a "recorded" check failed), 1 check passed, 1 not performed.
  const recorded = caseVerdict({ mismatchOnly: true });
  recorded.checks = recorded.checks.filter((c) => ['recorded-integrity', 'file-digests'].includes(c.id));
  recorded.checks.find((c) => c.id === 'file-digests')!.verdict = 'not-checked';
  recorded.ok = true;
  recorded.verdict = 'VERIFIED';
  out['recorded'] = recorded;
  // One check failed, with one problem at no particular entry.
  const head = passVerdict();
  head.checks.find((c) => c.id === 'history-complete')!.verdict = 'fail';
  head.problems.push({
    code: 'EXHIBIT_RECORD_MISMATCH',
    severity: 'error',
    seq: null,
    exhibit: null,
    message: 'the exhibit record at the checkpoint is not the one the replay produces',
  });
  head.ok = false;
  out['head'] = head;
  // A single check, passed.
  const single = passVerdict();
  single.checks = [single.checks[0]!];
  out['single'] = single;
  // No reason given for a failure; no exhibit; essential checks not performed.
  const silent = passVerdict();
  silent.ok = false;
  out['silent'] = silent;
  const none = passVerdict() as ExhibitVerdictV2 & { exhibit: unknown };
  none.exhibit = null;
  none.ok = false;
  out['none'] = none as ExhibitVerdictV2;
  const skipped = passVerdict();
  for (const c of skipped.checks.filter((c) => c.id === 'anchor' || c.id === 'signatures'))
    c.verdict = 'not-checked';
  out['skipped'] = skipped;
  // Anchored by the log key alone: no authority key to name.
  const logOnly = passVerdict();
  logOnly.anchors = logOnly.anchors.map((a) => ({ ...a, role: 'log' as const }));
  out['logOnly'] = logOnly;
  // Older check ids, ids this report does not know in each area, a result it does not know.
  const old = failVerdict();
  const olds = ['trust-anchor', 'entry-signatures', 'chain', 'hash-chain', 'exhibit-chain', 'inclusion'];
  const unknown = ['x-witness', 'x-file', 'x-seal', 'x-head', 'x-checkpoint', 'x-core'];
  for (const id of [...olds, 'inclusion-proof', 'file-digest', ...unknown])
    old.checks.push({ id, title: `Old ${id}`, verdict: 'pass', detail: 'ok' });
  old.checks.push({ id: 'x-odd', title: 'Odd', verdict: 'odd' as 'pass', detail: 'ok' });
  out['old'] = old;
  // An unsigned checkpoint with auditors, post-quantum cosignatures and a cosigning time; a live ledger.
  const cp = passVerdict();
  Object.assign(cp.checkpoint!, {
    signedBy: null,
    auditors: [{ name: 'auditor.example', verified: true }],
    auditorQuorum: 1,
    pqQuorum: 2,
    pqCosigned: ['witness.eurojust.example'],
    cosignedAt: '2024-05-01T09:00:00Z',
    cosignedBy: ['witness.eurojust.example', 'witness.nfi.example'],
  });
  cp.source = { kind: 'ledger', name: 'custody.ledger' };
  out['checkpoint'] = cp;
  return out;
}

const models = (lang: Language) =>
  Object.fromEntries(Object.entries(variants()).map(([k, v]) => [k, buildReportModel(v, { ...META, lang })]));

/** Every sentence this area puts in a report, and the problem-area texts. */
function areaText(ms: Record<string, ReportModel>, lang: Language): string {
  const out: string[] = [];
  for (const m of Object.values(ms)) {
    out.push(m.title, m.source.text, m.verdict.sentence, ...m.verdict.reasons);
    out.push(...m.checks.flatMap((c) => [c.title, c.verdictText, c.meaning]));
    out.push(...m.problems.map((p) => p.text), m.checkpoint?.text ?? '');
    out.push(...m.scope.notProven);
  }
  for (const area of Object.keys(PROBLEM_AREAS)) {
    const code = (Object.keys(PROBLEM_INFO) as ProblemCode[]).find((c) => PROBLEM_INFO[c].area === area)!;
    out.push(problemAreaText(code, lang));
  }
  out.push(problemAreaText('NOT_A_CODE', lang));
  return out.join('\n');
}

/** The fixed parts of a template: the text between its placeholders and optional brackets. */
const fragments = (template: string) =>
  template
    .split(/\{[^{}]+\}|[[\]]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 12);

describe('verdict, checks and problems in the report language', () => {
  const all = Object.fromEntries(LANGUAGES.map((l) => [l, models(l)])) as Record<
    Language,
    Record<string, ReportModel>
  >;
  const text = Object.fromEntries(LANGUAGES.map((l) => [l, areaText(all[l], l)])) as Record<Language, string>;
  const fp = all.en['pass']!.anchors[0]!.fingerprintGrouped;

  it('English: the branches above cover every template of this area', () => {
    for (const area of AREAS)
      for (const english of Object.values(area.en))
        for (const f of fragments(english)) expect(text.en, `"${f}"`).toContain(f);
  });

  it('English reads as before', () => {
    const pass = all.en['pass']!;
    expect(pass.verdict.sentence).toBe(
      `VERIFIED: all 14 checks passed for exhibit "HDD-01" (${ORIGINAL_ID}): every entry of its custody record is signed by the key it names, no entry was altered, removed or reordered, and the record is anchored to the authority key you supplied (fingerprint ${fp}), and the file "HDD01.dd" matches the registered digests.`,
    );
    expect(pass.title).toBe(`Custody verification report: HDD-01 (${ORIGINAL_ID})`);
    expect(pass.source.text).toBe(
      'evidence bundle "OM-AMS-2024-0117-HDD-01.custody" (48,213 bytes) from ledger "custody.om.nl/ledger/2024"',
    );
    const fail = all.en['fail']!;
    expect(fail.verdict.sentence).toBe(
      `NOT VERIFIED (FAILED): for exhibit "HDD-01" (${ORIGINAL_ID}), 3 of 14 checks failed (Witness cosignatures; Revealed cleartext; Integrity on every re-check), and 2 problems were found; the record is anchored to the authority key you supplied (fingerprint ${fp}).`,
    );
    expect(fail.verdict.reasons).toContain(
      'Problem OPENING_INVALID at entry 12: ' + fail.problems[1]!.message,
    );
    expect(fail.problems.map((p) => p.text)[2]).toMatch(
      /^warning DIGEST_MISMATCH_RECORDED at entry 14 \(exhibit EX-[^)]+\): entry 14 recorded/,
    );
    expect(fail.checkpoint!.text).toMatch(
      /^checkpoint of size 17, root [0-9a-f]{64}, signed by the .+; 1 of 2 required witness cosignatures verified; no auditor asked for$/,
    );
    expect(all.en['checkpoint']!.checkpoint!.text).toMatch(
      /NOT signed by a known log key; 2 of 2 required witness cosignatures verified; 1 of 1 required auditor cosignatures verified; 1 of 2 required post-quantum \(ML-DSA-44\) cosignatures verified; as of size 17, cosigned at 2024-05-01T09:00:00Z by witness.eurojust.example, witness.nfi.example$/,
    );
    expect(all.en['checkpoint']!.source.text).toBe(
      'live ledger "custody.ledger" (origin "custody.om.nl/ledger/2024")',
    );
    expect(all.en['none']!.verdict.sentence).toMatch(
      /^NOT VERIFIED \(VERIFIED\): for exhibit the exhibit asked about, the exhibit was not found;/,
    );
    expect(all.en['logOnly']!.verdict.sentence).toContain('anchored to the authority key no trusted key');
    // The English catalogue's titles are the verifier's, and English shows the verdict's own.
    expect(Object.entries(CHECK_TITLES.en).filter(([id]) => id !== 'hash-chain')).toEqual(
      CHECKS_V2.map(([id, title]) => [id, title]),
    );
    expect(checkTitle('anchor', 'A title of its own')).toBe('A title of its own');
    expect(CHECK_MEANING['inclusion-proof']).toBe(CHECK_MEANING['inclusion-proofs']);
  });

  it('French: the verdict, reasons, checks and problems', () => {
    const pass = all.fr['pass']!;
    expect(pass.verdict.sentence).toBe(
      `VÉRIFIÉ : les 14 vérifications ont réussi pour la pièce à conviction « HDD-01 » (${ORIGINAL_ID}) : chaque entrée de son historique de garde est signée par la clé qu’elle désigne, aucune entrée n’a été modifiée, supprimée ou déplacée, l’enregistrement est rattaché à la clé de l’autorité (fournie par vous ; empreinte ${fp}), et le fichier « HDD01.dd » correspond aux empreintes enregistrées.`,
    );
    const fail = all.fr['fail']!;
    expect(fail.verdict.sentence).toBe(
      `NON VÉRIFIÉ (FAILED) : pour la pièce à conviction « HDD-01 » (${ORIGINAL_ID}), 3 vérifications sur 14 ont échoué (Cosignatures des témoins ; Texte en clair révélé ; Intégrité à chaque nouveau contrôle), et 2 problèmes ont été constatés ; l’enregistrement est rattaché à la clé de l’autorité (fournie par vous ; empreinte ${fp}).`,
    );
    // The verifier's own words stay verbatim inside the translated sentence.
    expect(fail.verdict.reasons).toContain(
      'Problème OPENING_INVALID à l’entrée 12 : accept: the revealed note does not open its commitment in the statement signed by KHK Anna Schmidt',
    );
    expect(fail.verdict.reasons[0]).toBe(
      'Vérification échouée : Cosignatures des témoins — Only 1 of the 2 required witnesses cosigned the checkpoint.',
    );
    expect(fail.problems[0]!.text).toBe(
      'PROBLÈME WITNESS_QUORUM : 1 of the 2 required witnesses cosigned the checkpoint',
    );
    expect(fail.title).toBe(`Rapport de vérification de la chaîne de possession : HDD-01 (${ORIGINAL_ID})`);
    expect(fail.source.text).toMatch(
      /^dossier de preuve « OM-AMS-2024-0117-HDD-01\.custody » \(48.213 octets\) du registre « custody\.om\.nl\/ledger\/2024 »$/,
    );
    expect(fail.scope.notProven.join('\n')).toContain('la vérification « Texte en clair révélé » a échoué');
    const ck = fail.checks.find((c) => c.id === 'openings')!;
    expect([ck.title, ck.verdictText, ck.verdict]).toEqual(['Texte en clair révélé', 'ÉCHEC', 'fail']);
    expect(all.fr['noFile']!.verdict.sentence).toContain(
      '13 vérifications ont réussi (1 non effectuée : Le fichier présenté)',
    );
    expect(problemAreaText('WITNESS_QUORUM', 'fr')).toBe(
      'Les cosignatures des témoins sur le point de contrôle.',
    );
  });

  it('German and Dutch: the verdict, reasons, checks and problems', () => {
    expect(all.de['pass']!.verdict.sentence).toMatch(
      /^VERIFIZIERT: alle 14 Prüfungen für das Beweisstück „HDD-01“ \(EX-[^)]+\) bestanden: Jeder Eintrag/,
    );
    expect(all.de['fail']!.verdict.sentence).toBe(
      `NICHT VERIFIZIERT (FAILED) für das Beweisstück „HDD-01“ (${ORIGINAL_ID}): 3 von 14 Prüfungen fehlgeschlagen (Mitsignaturen der Zeugen; Offengelegter Klartext; Integrität bei jeder Nachprüfung), 2 Probleme festgestellt; die Aufzeichnung ist im Schlüssel der Behörde (von Ihnen angegeben; Fingerabdruck ${fp}) verankert.`,
    );
    expect(all.de['fail']!.problems[1]!.text).toMatch(
      /^PROBLEM OPENING_INVALID bei Eintrag 12 \(Beweisstück EX-[^)]+\): accept: the revealed note/,
    );
    expect(all.de['unanchored']!.verdict.reasons[0]).toBe(
      'Nicht verankert: Kein als vertrauenswürdig angegebener Schlüssel der Behörde passt zu dieser Aufzeichnung; sie könnte daher von jedermann erstellt worden sein.',
    );
    expect(all.nl['pass']!.verdict.sentence).toMatch(
      /^GEVERIFIEERD: het stuk van overtuiging "HDD-01" \(EX-[^)]+\) heeft alle 14 controles doorstaan: elke vermelding/,
    );
    expect(all.nl['fail']!.verdict.sentence).toBe(
      `NIET GEVERIFIEERD (FAILED): voor het stuk van overtuiging "HDD-01" (${ORIGINAL_ID}) geldt: 3 van de 14 controles zijn niet geslaagd (Medeondertekeningen van getuigen; Onthulde klaartekst; Integriteit bij elke hercontrole), en 2 problemen zijn vastgesteld; de vastlegging is verankerd aan de sleutel van de autoriteit (door u opgegeven; vingerafdruk ${fp}).`,
    );
    expect(all.nl['fail']!.checks.map((c) => c.verdictText)).toContain('NIET GESLAAGD');
    expect(all.nl['checkpoint']!.checkpoint!.text).toContain(
      'NIET ondertekend met een bekende logboeksleutel; 2 van 2 vereiste medeondertekeningen van getuigen geverifieerd',
    );
  });

  it.each(TRANSLATED)('%s: machine values stay as they are', (lang) => {
    const fail = all[lang]['fail']!;
    expect(fail.verdict.status).toBe('NOT VERIFIED');
    expect(fail.verdict.outcome).toBe('FAILED');
    expect(all[lang]['pass']!.verdict.status).toBe('VERIFIED');
    expect(fail.checks.map((c) => [c.id, c.verdict, c.detail])).toEqual(
      all.en['fail']!.checks.map((c) => [c.id, c.verdict, c.detail]),
    );
    expect(fail.problems.map((p) => [p.code, p.severity, p.message])).toEqual(
      all.en['fail']!.problems.map((p) => [p.code, p.severity, p.message]),
    );
    // An unknown check keeps the verifier's title; an unknown result, its own word.
    const old = all[lang]['old']!.checks;
    expect(old.find((c) => c.id === 'x-core')!.title).toBe('Old x-core');
    expect(old.find((c) => c.id === 'x-odd')!.verdictText).toBe('ODD');
    expect(old.find((c) => c.id === 'chain')!.title).toBe(CHECK_TITLES[lang]['hash-chain']);
  });

  it.each(TRANSLATED)('%s: no English template of this area is left', (lang) => {
    for (const area of AREAS)
      for (const english of Object.values(area.en))
        for (const f of fragments(english)) expect(text[lang], `${lang}: "${f}"`).not.toContain(f);
  });

  it.each(LANGUAGES)('%s: no placeholder or "undefined" is printed', (lang) => {
    expect(text[lang]).not.toMatch(/\{[^{}]*\}/);
    expect(text[lang]).not.toContain('undefined');
    expect(text[lang]).not.toMatch(/\[|\]/);
  });
});
