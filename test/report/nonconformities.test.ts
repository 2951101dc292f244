/**
 * The report's non-conformities (src/report/model-nonconformities.ts) and the registration's
 * account of the evidence (src/report/model-lineage.ts): the verifier's list turned into rows
 * and sentences, a resolved one matched with the `resolve` note that names it, in every
 * language and every rendering, hostile action text kept inert.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { EvidenceFacts, NonconformityFacts } from '../../src/bundle/verdict.js';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { LANGUAGES } from '../../src/report/i18n.js';
import { buildReportModel, renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { H, META, passVerdict, t } from './fixtures.js';

const SEALED = 'a'.repeat(64);
const REHASHED = 'b'.repeat(64);
const ACTION = 'Bag resealed as NFI-77; contents re-hashed, unchanged';

/** The pass case with a broken seal on receipt at entry 12 (resolved at 15) and a mismatch at 8 (open). */
function withIssues(action = ACTION): ExhibitVerdictV2 {
  const v = passVerdict();
  const schmidt = v.timeline!.events.find((e) => e.seq === 12)!.actor;
  v.nonconformities = [
    { seq: 8, id: REHASHED, kind: 'digest-mismatch', time: t('2024-03-06T10:00:00Z'), open: true },
    { seq: 12, id: SEALED, kind: 'seal-broken', time: t('2024-03-20T09:00:00Z'), open: false },
  ];
  v.timeline!.notes = [
    {
      seq: 15,
      kind: 'resolve',
      time: t('2024-03-21T08:30:00Z'),
      loggedAt: t('2024-03-21T08:30:01Z'),
      tz: 'Europe/Berlin',
      actor: schmidt,
      details: { issue: SEALED, action },
    },
  ];
  return v;
}

describe('the non-conformities section', () => {
  it('lists each one in order, open or resolved with the resolution that names it', () => {
    const m = buildReportModel(withIssues(), META);
    const rows = m.nonconformities!.rows;
    expect(rows.map((r) => [r.seq, r.kind, r.open, r.resolvedSeq])).toEqual([
      [8, 'digest-mismatch', true, null],
      [12, 'seal-broken', false, 15],
    ]);
    expect(rows[1]!.resolvedBy!.name).toBe('KHK Anna Schmidt');
    expect(rows[1]!.action).toBe(ACTION);
    // The opener's time in its signer's zone (the event's), the resolution's in its own.
    expect(rows[1]!.time.local).toContain('Europe/Berlin');
    expect(rows[0]!.text).toBe(
      'Entry 8, 2024-03-06 10:00:00 UTC: a re-computed SHA-256 differed from the registered one. OPEN: no resolution is recorded.',
    );
    expect(rows[1]!.text).toBe(
      `Entry 12, 2024-03-20 09:00:00 UTC: the seal was recorded broken. Resolved at entry 15, 2024-03-21 08:30:00 UTC, by KHK Anna Schmidt (Bundeskriminalamt, DE): ${ACTION}.`,
    );
  });

  it('is absent when none was ever opened, in the model and in every rendering', () => {
    const m = buildReportModel(passVerdict(), META);
    expect(m.nonconformities).toBeNull();
    expect(renderText(m)).not.toContain('NON-CONFORMITIES');
    expect(renderText(m)).not.toContain('Non-conformities');
    expect(renderHtml(m)).not.toContain('Non-conformities');
    expect(JSON.parse(renderJson(m)).nonconformities).toBeNull();
  });

  it('a resolution not among the entries shown still reads whole', () => {
    const v = withIssues();
    v.timeline!.notes = [];
    const row = buildReportModel(v, META).nonconformities!.rows[1]!;
    expect(row.resolvedSeq).toBeNull();
    expect(row.text).toBe('Entry 12, 2024-03-20 09:00:00 UTC: the seal was recorded broken. Resolved.');
  });

  it('is in the text report, the HTML and the JSON', () => {
    const m = buildReportModel(withIssues(), META);
    const text = renderText(m);
    expect(text).toContain('\nNon-conformities\n----------------\n');
    // Wrapped under its bullet: the continuation lines are indented, never at the margin.
    expect(text).toMatch(/\n {2}- Entry 8, [^\n]*OPEN:\n {4}no resolution is recorded\./);
    expect(text).toContain('Resolved at entry 15');
    const html = renderHtml(m);
    expect(html).toContain('<h3>Non-conformities</h3>');
    expect(html).toMatch(/<li class="fail">Entry 8, [^<]*OPEN/);
    const json = JSON.parse(renderJson(m));
    expect(json.nonconformities.rows[1]).toMatchObject({ seq: 12, kind: 'seal-broken', open: false });
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('is translated whole in %s', (lang) => {
    const m = buildReportModel(withIssues(), { ...META, lang });
    const text = renderText(m);
    for (const r of m.nonconformities!.rows) {
      expect(r.text).not.toMatch(/\bEntry\b|Resolved|OPEN: no/);
      expect(r.text).not.toContain('not recorded');
    }
    expect(text).not.toContain('Non-conformities');
  });

  it('words French as a French reader expects', () => {
    const m = buildReportModel(withIssues(), { ...META, lang: 'fr' });
    expect(renderText(m)).toContain('\nNon-conformités\n');
    expect(m.nonconformities!.rows[0]!.text).toBe(
      'Entrée 8, 2024-03-06 10:00:00 UTC : une empreinte SHA-256 recalculée différait de celle enregistrée. OUVERTE : aucune résolution n’est enregistrée.',
    );
    expect(m.nonconformities!.rows[1]!.text).toContain('Résolue à l’entrée 15');
  });

  it('keeps hostile action text inert in the HTML and visible in the text', () => {
    const m = buildReportModel(withIssues(`resealed ${H}`), META);
    const html = renderHtml(m);
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<img\b/i);
    expect(renderText(m)).not.toMatch(/[\u202e\u0007]/);
  });

  test.prop([
    fc.array(
      fc.record({
        seq: fc.integer({ min: 0, max: 10_000 }),
        kind: fc.constantFrom('seal-broken' as const, 'digest-mismatch' as const),
        open: fc.boolean(),
        resolved: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
    fc.constantFrom(...LANGUAGES),
  ])('one row per non-conformity, in order, open exactly when the verifier says', (list, lang) => {
    const v = passVerdict();
    const actor = v.timeline!.events[0]!.actor;
    v.nonconformities = list.map(
      (n, i): NonconformityFacts => ({
        seq: n.seq,
        id: i.toString(16).padStart(64, '0'),
        kind: n.kind,
        time: t('2024-03-06T10:00:00Z') + i,
        open: n.open,
      }),
    );
    v.timeline!.notes = list.flatMap((n, i) =>
      !n.open && n.resolved
        ? [
            {
              seq: 20_000 + i,
              kind: 'resolve' as const,
              time: t('2024-03-07T10:00:00Z'),
              loggedAt: t('2024-03-07T10:00:00Z'),
              tz: 'UTC',
              actor,
              details: { issue: i.toString(16).padStart(64, '0'), action: `action ${i}` },
            },
          ]
        : [],
    );
    const m = buildReportModel(v, { ...META, lang });
    if (list.length === 0) {
      expect(m.nonconformities).toBeNull();
      return;
    }
    const rows = m.nonconformities!.rows;
    expect(rows.map((r) => [r.seq, r.kind, r.open])).toEqual(list.map((n) => [n.seq, n.kind, n.open]));
    rows.forEach((r, i) => {
      const resolvedHere = !list[i]!.open && list[i]!.resolved;
      expect(r.resolvedSeq).toBe(resolvedHere ? 20_000 + i : null);
      expect(r.action).toBe(resolvedHere ? `action ${i}` : null);
      expect(r.text).not.toMatch(/undefined|\{|\[/);
      expect(r.text).toContain(String(r.seq));
    });
  });
});

describe('the registration says what the evidence is', () => {
  const withEvidence = (evidence: EvidenceFacts) => {
    const v = passVerdict();
    v.exhibit!.evidence = evidence;
    return v;
  };
  const root = 'c'.repeat(64);

  it('a folder: its entries, total size and manifest root', () => {
    const m = buildReportModel(withEvidence({ type: 'directory', entries: 1204, manifest: root }), META);
    expect(m.identification!.evidence).toBe(
      `a folder of 1204 files, 465.76 GiB in all; manifest root ${root}`,
    );
    expect(renderText(m)).toMatch(/Evidence: +a folder of 1204 files/);
    expect(renderHtml(m)).toContain('<th scope="row">Evidence</th>');
  });

  it('a segment set, counted in segments, and one segment in the singular', () => {
    const one = buildReportModel(withEvidence({ type: 'segments', entries: 1, manifest: root }), META);
    expect(one.identification!.evidence).toMatch(/^a segment set of 1 segment, /);
    const de = buildReportModel(withEvidence({ type: 'segments', entries: 3, manifest: root }), {
      ...META,
      lang: 'de',
    });
    expect(de.identification!.evidence).toMatch(/^ein Segmentsatz aus 3 Segmenten, insgesamt /);
  });

  it('a device as the kernel had it, and the tool that reported digests', () => {
    const m = buildReportModel(
      withEvidence({
        type: 'device',
        device: { model: 'WDC WD10EZEX', readOnly: 'yes', mounted: 'no' },
        reported: { tool: 'ewfacquire', version: '20140608' },
      }),
      { ...META, lang: 'nl' },
    );
    expect(m.identification!.evidence).toBe(
      'een blokapparaat (WDC WD10EZEX), alleen-lezen: ja, aangekoppeld: nee, zoals het systeem meldde toen het werd gelezen; hashwaarden ook gemeld door het acquisitieprogramma ewfacquire 20140608',
    );
  });

  it('a plain file says nothing more; with reported digests, only who reported them', () => {
    expect(buildReportModel(withEvidence({ type: 'file' }), META).identification!.evidence).toBeNull();
    expect(buildReportModel(passVerdict(), META).identification!.evidence).toBeNull();
    expect(renderText(buildReportModel(passVerdict(), META))).not.toContain('Evidence:');
    const m = buildReportModel(
      withEvidence({ type: 'file', reported: { tool: 'guymager', version: '0.8.13' } }),
      META,
    );
    expect(m.identification!.evidence).toBe('digests also reported by the acquisition tool guymager 0.8.13');
  });
});
