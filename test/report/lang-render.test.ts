/**
 * The renderers' own wording in the court's language (src/report/messages/render*.ts): the text
 * report, the HTML report, the custody picture and the PDF word their headings and labels in the
 * model's language, show the translation note near the top, and leave no English template, no
 * placeholder and no "undefined" behind; English is worded as before.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../cli/report-pdf.js';
import { COMMON, type Language, type Messages } from '../../src/report/i18n.js';
import {
  buildReportModel,
  type ReportModel,
  renderCustodySvg,
  renderHtml,
  renderText,
} from '../../src/report/index.js';
import { RENDER } from '../../src/report/messages/render.js';
import { HTML } from '../../src/report/messages/render-html.js';
import { HTML_CHECKS } from '../../src/report/messages/render-html-checks.js';
import { SVG } from '../../src/report/messages/render-svg.js';
import { TEXT } from '../../src/report/messages/render-text.js';
import { failVerdict, META, manyEventsVerdict, passVerdict } from './fixtures.js';

const TRANSLATED = ['fr', 'de', 'nl'] as const;
/** English fragments that a language writes alike, as a word of its own: French "Identification". */
const SAME_WORD: Record<(typeof TRANSLATED)[number], string[]> = { fr: ['Identification'], de: [], nl: [] };
const model = (lang: Language, v = failVerdict()) => buildReportModel(v, { ...META, lang });

/** Everything a reader sees of a model: the text report, the HTML (with its picture) and the picture. */
const rendered = (m: ReportModel) => [renderText(m), renderHtml(m), renderCustodySvg(m)].join('\n');

/**
 * The English wording of a catalogue, as it would show: each message's fixed text between its
 * placeholders and optional brackets, kept where it is long enough to be telling.
 */
function englishFragments(area: Messages<string>): string[] {
  return Object.values(area.en)
    .flatMap((t) => t.split(/\{[^{}]*\}|[[\]]/))
    .map((f) => f.trim())
    .filter((f) => f.length > 12);
}

describe('renderers in the court’s language', () => {
  const models = Object.fromEntries(
    TRANSLATED.map((l) => [l, { fail: model(l), pass: model(l, passVerdict()) }]),
  ) as Record<(typeof TRANSLATED)[number], { fail: ReportModel; pass: ReportModel }>;

  it.each(TRANSLATED)('%s: the translation note stands at the top of the text and the HTML', (lang) => {
    const m = models[lang].fail;
    const note = noteOf(lang);
    expect(m.translationNote).toBe(note);
    const text = renderText(m);
    // The text opens with the note (wrapped), then a blank line and the title.
    const lines = text.split('\n');
    const blank = lines.indexOf('');
    expect(lines.slice(0, blank).join(' ')).toBe(note);
    expect(lines[blank + 1]).toBe(m.title);
    const html = renderHtml(m);
    expect(html).toContain(`<html lang="${lang}">`);
    const at = html.indexOf('<p class="translation-note" role="note">');
    expect(at).toBeGreaterThan(html.indexOf('<h1>'));
    expect(at).toBeLessThan(html.indexOf('<div class="verdict'));
    expect(html).toContain('.translation-note {');
  });

  it('French: headings, labels and the picture in French, with French punctuation', () => {
    const text = renderText(models.fr.fail);
    expect(text).toContain('\nIDENTIFICATION DE LA PIÈCE\n==========================\n');
    expect(text).toContain('\nLibellé :                 HDD-01\n');
    expect(text).toContain('\nScellé :                  NL-POL-2024-118342\n');
    expect(text).toContain('\nPériodes de garde\n-----------------\n');
    expect(text).toContain('\nANCRES DE CONFIANCE\n');
    expect(text).toContain('\n    Empreinte SHA-256 : d556 a9c9');
    expect(text).toContain('\n    clé publique :      3N5tG3');
    expect(text).toContain('empreinte recalculée : DIVERGENTE (SHA-256) ; scellé : non rompu');
    // A French " ;" never starts a line, nor does a lone « end one.
    expect(text).not.toMatch(/\n\s*[;:»]/);
    expect(text).not.toMatch(/«\n/);
    const html = renderHtml(models.fr.fail);
    expect(html).toContain('content: "page " counter(page) " sur " counter(pages);');
    expect(html).toContain('<h2>Identification de la preuve</h2>');
    expect(html).toContain('<th>#</th><th>Garde</th><th>Détenteur</th><th>Du (entrée)</th>');
    expect(html).toContain('<span class="fail">✖ ÉCHEC</span>');
    expect(html).toContain(
      'Vérifications réussies : 11 ; en échec : 3 ; non effectuées : 0. Problèmes : 3. Rattaché à une clé d’autorité de confiance.',
    );
    const svg = renderCustodySvg(models.fr.fail);
    expect(svg).toContain('NON VÉRIFIÉ — 3 vérifications en échec : Cosignatures des témoins ; ');
    expect(svg).toContain('>Légende</text>');
    expect(svg).toContain('>Temps (UTC) →</text>');
    expect(svg).toContain('<title id="custody-svg-title">Schéma de la garde : ');
    expect(renderCustodySvg(models.fr.pass)).toContain('VÉRIFIÉ — toutes les vérifications ont réussi (14)');
  });

  it('German and Dutch: headings, labels and the picture', () => {
    const de = rendered(models.de.fail);
    expect(de).toContain('\nIDENTIFIZIERUNG\n===============\n');
    expect(de).toContain('\nSiegel:                   NL-POL-2024-118342\n');
    expect(de).toContain('content: "Seite " counter(page) " von " counter(pages);');
    expect(de).toContain('<th scope="row">Erforderliches Quorum</th><td>1 von 2 erforderlichen');
    expect(de).toContain('<span class="fail">✖ FEHLGESCHLAGEN</span>');
    expect(de).toContain('NICHT VERIFIZIERT — 3 Prüfungen fehlgeschlagen: ');
    expect(de).toContain('  FEHLGESCHLAGEN Mitsignaturen der Zeugen');
    const nl = rendered(models.nl.fail);
    expect(nl).toContain('\nBEWARING\n========\n');
    expect(nl).toContain('\nZegel:                       NL-POL-2024-118342\n');
    expect(nl).toContain('<th>Houder</th>');
    expect(nl).toContain('<span class="notchecked">! waarschuwing</span>');
    expect(nl).toContain('>Legenda</text>');
  });

  it.each(TRANSLATED)('%s: no English template of the renderers is left', (lang) => {
    const out = [rendered(models[lang].fail), rendered(models[lang].pass)].join('\n');
    const areas = [RENDER, TEXT, HTML, HTML_CHECKS, SVG] as unknown as Messages<string>[];
    const fragments = areas.flatMap((a) => englishFragments(a));
    expect(fragments.length).toBeGreaterThan(100);
    const left = fragments.filter((f) => out.includes(f) && !SAME_WORD[lang].includes(f));
    expect(left).toEqual([]);
  });

  it.each(TRANSLATED)('%s: no placeholder, no "undefined", no "null" is left', (lang) => {
    const out = rendered(models[lang].fail);
    expect(out).not.toMatch(/\{[A-Za-z/]+\}/);
    expect(out).not.toMatch(/\bundefined\b/);
    expect(out).not.toMatch(/\bnull\b/);
  });

  it('English is worded as before, with no translation note', () => {
    const m = model('en');
    expect(m.translationNote).toBeNull();
    const text = renderText(m);
    expect(text).toContain('\nIDENTIFICATION\n==============\nLabel:             HDD-01\n');
    expect(text).toContain('\nSeal:              NL-POL-2024-118342\n');
    expect(text).toContain('\n    SHA-256 fingerprint: d556 a9c9');
    expect(text).toContain('re-hash: MISMATCH (SHA-256); seal: intact');
    expect(text).toContain('\n  FAILED      Witness cosignatures\n');
    const html = renderHtml(m);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('content: "page " counter(page) " of " counter(pages);');
    expect(html).not.toContain('translation-note');
    expect(html).toContain(
      'Checks: 11 passed, 3 failed, 0 not checked. Problems: 3. Anchored to a trusted authority key.',
    );
    expect(renderCustodySvg(m)).toContain('NOT VERIFIED — 3 checks failed: Witness cosignatures; ');
    // A model made before reports had a language reads as English.
    const old = { ...m, lang: undefined } as unknown as ReportModel;
    expect(renderText(old)).toBe(text);
  });
});

function noteOf(lang: Language): string {
  return COMMON[lang].translationNote;
}

describe('the PDF in the court’s language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lang-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const hasPdftotext = (() => {
    try {
      execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // Translated text runs longer: a five-event exhibit must still fit on four pages.
  it.each(['en', ...TRANSLATED] as const)(
    '%s: a five-event exhibit fits on 4 pages, and qpdf finds nothing wrong',
    async (lang) => {
      const m = buildReportModel(manyEventsVerdict(5), { ...META, lang });
      const file = join(dir, `five-${lang}.pdf`);
      writeFileSync(file, await renderPdf(m, { bundle: new Uint8Array(64), name: 'EX-1.custody' }));
      expect(
        Number(execFileSync('qpdf', ['--show-npages', file], { encoding: 'utf8' }).trim()),
      ).toBeLessThanOrEqual(4);
      expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toContain(
        'No syntax or stream encoding errors found',
      );
      if (!hasPdftotext) return;
      const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], {
        encoding: 'utf8',
      }).replace(/\s+/g, ' ');
      expect(page1).toContain(RENDER[lang].custodyAtAGlance);
      expect(page1).toContain(RENDER[lang].verified);
      if (lang !== 'en') expect(page1).toContain(noteOf(lang).split(' ').slice(0, 8).join(' '));
      else expect(page1).not.toContain('Translation');
    },
  );
});
