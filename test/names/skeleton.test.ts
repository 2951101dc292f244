/**
 * The UTS #39 §4 skeleton (src/names/skeleton.ts) over confusables.txt 13.0.0
 * as the `unhomoglyph` package holds it: what the data says of the cases that
 * matter here, the steps the package leaves out (NFD before and after, the
 * default ignorables), and the invariants.
 */
import { test } from '@fast-check/vitest';
import unhomoglyph from 'unhomoglyph';
import { describe, expect, it } from 'vitest';
import { skeleton } from '../../src/names/skeleton.js';
import { CONFUSABLES, text } from './arbitraries.js';

const same = (a: string, b: string) => skeleton(a) === skeleton(b);

describe('what confusables.txt 13.0.0 says', () => {
  it('has 6,311 single code point sources, none mapped to itself', () => {
    const sources = Object.keys(CONFUSABLES);
    expect(sources).toHaveLength(6311);
    expect(sources.every((s) => [...s].length === 1)).toBe(true);
    expect(sources.filter((s) => CONFUSABLES[s] === s)).toEqual([]);
  });

  it('makes Cyrillic а and Greek omicron look-alikes of Latin letters, case by case', () => {
    expect(same('P\u0430ul', 'Paul')).toBe(true); // CYRILLIC SMALL LETTER A
    expect(same('R\u03bfsa', 'Rosa')).toBe(true); // GREEK SMALL LETTER OMICRON -> o
    expect(same('\u039fTTO', 'OTTO')).toBe(true); // GREEK CAPITAL LETTER OMICRON -> O
    expect(same('Paul', 'paul')).toBe(false); // the skeleton does not fold case
  });

  it('makes the digit 0 a look-alike of the capital O only, and 1, I and l one another', () => {
    expect(CONFUSABLES['0']).toBe('O');
    expect(same('HDD-0', 'HDD-O')).toBe(true);
    expect(same('HDD-0', 'HDD-o')).toBe(false);
    expect(same('HDD-1', 'HDD-l')).toBe(true);
    expect(same('HDD-I', 'HDD-l')).toBe(true);
    expect(same('m', 'rn')).toBe(true);
  });

  it('maps Ł, which has no decomposition, to L + U+0338, so Łódź reads as neither Lodz nor Łodz', () => {
    expect(skeleton('\u0141')).toBe('L\u0338');
    expect(same('\u0141\u00f3d\u017a', 'Lodz')).toBe(false);
    expect(same('\u0141\u00f3d\u017a', '\u0141od\u017a')).toBe(false);
  });

  it('omits most fullwidth forms: Ａ is A, but Ｄ, Ｕ and ０ stand for themselves (NFKC maps them)', () => {
    expect(skeleton('\uff21')).toBe('A');
    for (const c of ['\uff24', '\uff35', '\uff10']) {
      expect(CONFUSABLES[c]).toBeUndefined();
      expect(skeleton(c)).toBe(c);
    }
    expect(same('\uff30\uff21\uff35\uff2c', 'PAUL')).toBe(false);
  });
});

describe('the steps unhomoglyph leaves out', () => {
  it('decomposes first: a precomposed source is read through its decomposition', () => {
    // U+0227 ȧ: its own line maps to "å", but NFD first gives a + U+0307, which the data leaves as is.
    expect(CONFUSABLES['\u0227']).toBe('\u00e5');
    expect(unhomoglyph('\u0227')).toBe('\u00e5');
    expect(skeleton('\u0227')).toBe('a\u0307');
    expect(skeleton('\u0227')).toBe(skeleton('a\u0307'));
  });

  it('decomposes after: the NFC and NFD spellings get one skeleton', () => {
    expect(unhomoglyph('J\u00fcrgen')).not.toBe(unhomoglyph('Ju\u0308rgen'));
    expect(skeleton('KHK J\u00fcrgen M\u00fcller')).toBe(skeleton('KHK Ju\u0308rgen Mu\u0308ller'));
    expect(skeleton('J\u00fcrgen')).toBe('Ju\u0308rgen');
  });

  it('drops default ignorables (ZWJ, ZWNJ, soft hyphen), as later revisions of §4 do', () => {
    expect(same('Pa\u200dul', 'Paul')).toBe(true);
    expect(same('Pa\u200cul', 'Paul')).toBe(true);
    expect(same('Pa\u00adul', 'Paul')).toBe(true);
  });

  it('settles where one pass does not: ǆ -> d ž -> d z + U+030C -> U+0306', () => {
    const once = unhomoglyph('\u01c6'.normalize('NFD')).normalize('NFD');
    expect(once).toBe('dz\u030c');
    expect(unhomoglyph(once).normalize('NFD')).toBe('dz\u0306');
    expect(skeleton('\u01c6')).toBe('dz\u0306');
    expect(skeleton('\u01c6')).toBe(skeleton('dz\u030c'));
  });
});

describe('invariants', () => {
  it('settles on every source of the data', () => {
    const unsettled = Object.keys(CONFUSABLES).filter((c) => skeleton(skeleton(c)) !== skeleton(c));
    expect(unsettled).toEqual([]);
  });

  test.prop([text], { numRuns: 500 })('is idempotent', (s) => {
    expect(skeleton(skeleton(s))).toBe(skeleton(s));
  });

  test.prop([text], { numRuns: 500 })('is the same for the NFD and NFC forms', (s) => {
    expect(skeleton(s.normalize('NFD'))).toBe(skeleton(s.normalize('NFC')));
  });
});
