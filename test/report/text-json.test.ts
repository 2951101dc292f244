import { describe, expect, it } from 'vitest';
import { buildReportModel, renderJson, renderText, wrap } from '../../src/report/index.js';
import {
  DIGESTS,
  EIO,
  failVerdict,
  HOSTILE_META,
  hostileVerdict,
  JIT,
  META,
  manyEventsVerdict,
  passVerdict,
} from './fixtures.js';

const width = (l: string) => Array.from(l).length;

describe('text report', () => {
  const m = buildReportModel(passVerdict(), META);
  const text = renderText(m);
  const lines = text.split('\n');

  it('fits 100 columns (commands excepted, so they survive copy and paste)', () => {
    for (const l of lines) if (!l.startsWith('  $ ')) expect(width(l), l).toBeLessThanOrEqual(100);
    expect(lines).toContain(`  $ ${META.commands[0]}`);
  });

  it('starts with the verdict and carries the facts', () => {
    expect(lines.slice(0, 8).join('\n')).toContain('# VERIFIED: all 14 checks passed');
    for (const s of [
      'HDD-01',
      'OM-AMS 2024/0117',
      '465.76 GiB (500,107,862,016 bytes)',
      `SHA-256:           ${DIGESTS.sha256}`,
      `MD5:               ${DIGESTS.md5}`,
      'Insp. J. de Vries',
      'KHK Anna Schmidt',
      'Greffière Claire Martin',
      '2024-03-04 08:02:00 UTC+01:00 (Europe/Amsterdam)',
      '2024-04-03 15:05:00 UTC+02:00 (Europe/Berlin)',
      'duration 27 days 21 h',
      're-hash: match (SHA-256); seal: intact',
      'PASSED      Signatures',
      'custody 0.1.0',
      'Proven:',
      'NOT proven:',
      'Signature: ______',
    ])
      expect(text, s).toContain(s);
    // Wrapped text: compare with whitespace collapsed.
    const flat = text.replace(/\s+/g, ' ');
    for (const s of [EIO, JIT, ...m.scope.proven, ...m.scope.notProven, ...m.certification.paragraphs])
      expect(flat, s).toContain(s.replace(/\s+/g, ' '));
    for (const a of m.anchors) expect(flat).toContain(a.fingerprintGrouped);
  });

  it('says NOT VERIFIED for the failing case, with every problem', () => {
    const fm = buildReportModel(failVerdict(), META);
    const ft = renderText(fm);
    expect(ft).toContain('# NOT VERIFIED (FAILED):');
    expect(ft).toContain('FAILED      Revealed cleartext');
    expect(ft).toContain('PROBLEM OPENING_INVALID at entry 12');
    expect(ft).toContain('re-hash: MISMATCH');
    expect(ft).toContain('Nothing is claimed as proven');
    expect(ft).not.toContain('custody was continuous');
  });

  it('never emits control or bidirectional characters from the record', () => {
    const ht = renderText(buildReportModel(hostileVerdict(), HOSTILE_META));
    expect(ht).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(ht).toContain('[U+202E]evil[U+202C]');
    expect(ht).toContain('<script>alert(1)</script>');
  });

  it('wraps long words and keeps indentation', () => {
    const out = wrap(`${'x'.repeat(250)} tail`, '  - ', '    ');
    for (const l of out) expect(width(l)).toBeLessThanOrEqual(100);
    expect(out.join('').replace(/\s|-/g, '')).toBe(`${'x'.repeat(250)}tail`);
    // A line break in the text starts a marked line: record text never stands at a line's start.
    expect(wrap('a\nb', '> ')).toEqual(['> a', '  | b']);
    expect(wrap('Laptop\nRESULT: VERIFIED', '')).toEqual(['Laptop', '| RESULT: VERIFIED']);
  });

  it('handles 100 events', () => {
    const t = renderText(buildReportModel(manyEventsVerdict(100), META));
    for (const l of t.split('\n')) if (!l.startsWith('  $ ')) expect(width(l)).toBeLessThanOrEqual(100);
  });
});

describe('JSON report', () => {
  const m = buildReportModel(passVerdict(), META);
  const json = renderJson(m);

  it('is the model, pretty-printed, with stable top-level fields', () => {
    expect(JSON.parse(json)).toEqual(m);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "format": "custody-report/v1",');
    expect(Object.keys(JSON.parse(json))).toEqual([
      'format',
      'lang',
      'translationNote',
      'title',
      'generatedAt',
      'provenance',
      'source',
      'verdict',
      'identification',
      'file',
      'custody',
      'lineage',
      'nonconformities',
      'checks',
      'problems',
      'anchors',
      'checkpoint',
      'actors',
      'method',
      'scope',
      'certification',
      'validation',
    ]);
    expect(Object.keys(m.verdict)).toEqual([
      'status',
      'outcome',
      'verified',
      'anchored',
      'sentence',
      'reasons',
      'checksPassed',
      'checksFailed',
      'checksNotChecked',
      'problemCount',
    ]);
    expect(Object.keys(m.custody)).toEqual([
      'exhibitId',
      'periods',
      'handovers',
      'events',
      'finalState',
      'story',
      'notes',
    ]);
    expect(Object.keys(m.scope)).toEqual(['proven', 'notProven']);
  });

  it('is deterministic', () => {
    expect(renderJson(buildReportModel(passVerdict(), META))).toBe(json);
  });

  it('keeps the record text unmodified (only JSON escaping)', () => {
    const hm = buildReportModel(hostileVerdict(), HOSTILE_META);
    const back = JSON.parse(renderJson(hm)) as typeof hm;
    expect(back.identification?.description).toContain('\u202Eevil');
    expect(back.identification?.label).toContain('<script>alert(1)</script>');
  });
});
