/**
 * The report's event wording (src/report/wording.ts): templates fill from an
 * event's details, optional parts drop out whole, and a value is inserted
 * once and never read as a template (a signer's free text cannot reword the
 * report).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventWording, fillWording } from '../../src/report/wording.js';

describe('fillWording', () => {
  it('fills placeholders and keeps an optional part only when every detail it names is there', () => {
    const t = eventWording('en', 'transfer').summary;
    expect(fillWording(t, { who: 'A', to: 'B', legalBasis: 'EIO 2026/17' })).toBe(
      'A handed it over to B (legal basis: EIO 2026/17)',
    );
    expect(fillWording(t, { who: 'A', to: 'B' })).toBe('A handed it over to B');
    expect(fillWording(t, { who: 'A', to: 'B', legalBasis: '' })).toBe('A handed it over to B');
  });

  it('says "not recorded" for a missing detail outside an optional part, never "undefined"', () => {
    expect(fillWording(eventWording('en', 'transfer').summary, { who: 'A' })).toBe(
      'A handed it over to not recorded',
    );
  });

  it('the derived-copy wording names the label when there is one', () => {
    const t = eventWording('en', 'register').derived!;
    expect(fillWording(t, { who: 'E', label: 'copy 1', derived: 'EX-AB' })).toBe(
      'E registered a derived copy, "copy 1" (EX-AB)',
    );
    expect(fillWording(t, { who: 'E', derived: 'EX-AB' })).toBe('E registered a derived copy, (EX-AB)');
  });

  it('inserts a value as written, even when it looks like a placeholder or an optional part', () => {
    const hostile = '{who} [{reason}] {__proto__} {constructor}';
    expect(fillWording(eventWording('en', 'reject').summary, { who: 'R', reason: hostile })).toBe(
      `Rejected by R: ${hostile}`,
    );
    expect(fillWording('{constructor}[ {toString}]', {})).toBe('not recorded');
  });

  it('property: every value appears verbatim and no brace of the template survives', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (who, reason) => {
        const out = fillWording(eventWording('en', 'cancel').summary, { who, reason });
        expect(out.startsWith(`Hand-over cancelled by ${who === '' ? 'not recorded' : who}`)).toBe(true);
        if (reason !== '') expect(out.endsWith(`: ${reason}`)).toBe(true);
      }),
    );
  });
});
